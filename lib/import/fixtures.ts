// Shop exports as they reach us, for tests: Polish Excel (Windows-1250, semicolons), German Excel (Windows-1252,
// semicolons), French Excel "CSV UTF-8" (with a byte order mark), and a Shopify export with an unquoted formula.

// The letters of Polish, German and French names that single-byte Windows code pages put above 0x7F.
const WINDOWS_1250: Record<string, number> = {
  ą: 0xb9, ć: 0xe6, ę: 0xea, ł: 0xb3, ń: 0xf1, ó: 0xf3, ś: 0x9c, ź: 0x9f, ż: 0xbf,
  Ą: 0xa5, Ć: 0xc6, Ę: 0xca, Ł: 0xa3, Ń: 0xd1, Ó: 0xd3, Ś: 0x8c, Ź: 0x8f, Ż: 0xaf,
  ä: 0xe4, ö: 0xf6, ü: 0xfc, ß: 0xdf, Ä: 0xc4, Ö: 0xd6, Ü: 0xdc, é: 0xe9,
};
const WINDOWS_1252: Record<string, number> = { ä: 0xe4, ö: 0xf6, ü: 0xfc, ß: 0xdf, Ä: 0xc4, Ö: 0xd6, Ü: 0xdc, é: 0xe9, è: 0xe8, à: 0xe0, ç: 0xe7 };

/** The text in a single-byte Windows code page; throws on a character the fixture's table lacks, rather than mangle it. */
export function encodeWindows(text: string, page: 'windows-1250' | 'windows-1252'): Uint8Array {
  const table = page === 'windows-1250' ? WINDOWS_1250 : WINDOWS_1252;
  return Uint8Array.from([...text].map((ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x80) return code;
    const byte = table[ch];
    if (byte === undefined) throw new Error(`no ${page} byte for ${ch}`);
    return byte;
  }));
}

/** A Polish shop's customer export with the headers of issue 13: one source column for both consents. */
export function polishExport(id: string): string {
  return [
    'Identyfikator;Imię;Nazwisko;E-mail;Telefon;Kraj;Zgoda e-mail marketing;Data zgody e-mail;Zgoda WhatsApp marketing;Data zgody WhatsApp;Źródło zgody',
    `${id}-1;Łucja;Wąsowska;lucja.wasowska.${id}@example.pl;600 123 456;Polska;tak;14.03.2026;nie;;formularz rejestracji v2`,
    `${id}-2;Paweł;Żółkiewski;pawel.z.${id}@example.pl;+48 601 234 567;Polska;nie;2026-02-01 10:22;tak;14.03.2026 18:05;formularz rejestracji v2`,
    `${id}-3;Zofia;Śliwińska;zofia.${id}@example.pl;602345678;PL;tak;;tak;;sklep stacjonarny`,
    `${id}-4;Jörg;Müller;joerg.${id}@example.de;0151 2345678;Niemcy;;;tak;01.04.2026;checkout`,
  ].join('\r\n') + '\r\n';
}

/** A German shop's export from Excel: one date and one source column for both consents, Excel's WAHR among the answers. */
export const GERMAN_EXPORT = [
  'Kundennummer;Anrede;Vorname;Nachname;E-Mail-Adresse;Handy;Land;Einwilligung Newsletter;Einwilligung WhatsApp;Datum der Einwilligung;Quelle',
  '10001;Herr;Jürgen;Weiß;juergen.weiss@example.de;0171 2345678;Deutschland;ja;nein;03.02.2026;Double-Opt-In Newsletter-Formular',
  '10002;Frau;Käthe;Schröder;kaethe@example.de;;DE;WAHR;ja;14.03.2026 10:22;Kundenkonto Checkbox',
  '10003;Herr;Ömer;Öztürk;oemer@example.at;+43 664 1234567;Österreich;nein;;;',
].join('\r\n') + '\r\n';

/** A French shop's export saved by Excel as "CSV UTF-8": a byte order mark, semicolons, dates as 14/03/2026. */
export const FRENCH_EXPORT = '\uFEFF' + [
  'Numéro de client;Prénom;Nom;Courriel;Portable;Pays;Consentement e-mail;Consentement SMS;Date du consentement;Origine du consentement',
  "FR-501;Hélène;Lefèvre;helene.lefevre@example.fr;06 12 34 56 78;France;oui;non;14/03/2026;formulaire d'inscription",
  'FR-502;François;Gauthier;francois@example.fr;07 98 76 54 32;FR;non;oui;02/01/2026 09:15;caisse en magasin',
].join('\r\n') + '\r\n';

/** Shopify's customer export with a note that holds an unquoted formula, which breaks a strict CSV read. */
export const SHOPIFY_EXPORT = [
  'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Country Code,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tags',
  "7301,Anna,Kowalczyk,anna.k@example.pl,yes,PL,,'+48600700800,no,120.50,3,,VIP",
  '7302,Max,Mustermann,max@example.de,no,DE,+4915112345678,,no,0.00,0,=HYPERLINK("http://evil.example"),',
  '7303,Claire,Martin,claire@example.fr,yes,FR,,,yes,45.00,1,"Livraison, porte B",newsletter',
].join('\n') + '\n';
