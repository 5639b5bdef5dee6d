// Shop exports as they reach us, for tests: Polish Excel (Windows-1250, semicolons), German Excel (Windows-1252,
// semicolons), French Excel "CSV UTF-8" (with a byte order mark), and a Shopify export with an unquoted formula.
import fs from 'node:fs';
import type { Queryable } from '@/db';
import type { FileSource } from '@/lib/files/store';
import { storedFile } from '@/lib/files/store';
import { saveUpload } from './files';

// Every character of a single-byte Windows code page, by byte, read off the platform's own decoder.
function codePage(page: 'windows-1250' | 'windows-1252'): Map<string, number> {
  const decoder = new TextDecoder(page);
  const table = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return table;
}

/** The text in a single-byte Windows code page; throws on a character the page lacks, rather than mangle it. */
export function encodeWindows(text: string, page: 'windows-1250' | 'windows-1252'): Uint8Array {
  const table = codePage(page);
  return Uint8Array.from(
    [...text].map((ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x80) return code;
      const byte = table.get(ch);
      if (byte === undefined) throw new Error(`no ${page} byte for ${ch}`);
      return byte;
    }),
  );
}

/** A Polish shop's customer export with the headers of issue 13: one source column for both consents. */
export function polishExport(id: string): string {
  return (
    [
      'Identyfikator;Imię;Nazwisko;E-mail;Telefon;Kraj;Zgoda e-mail marketing;Data zgody e-mail;Zgoda WhatsApp marketing;Data zgody WhatsApp;Źródło zgody',
      `${id}-1;Łucja;Wąsowska;lucja.wasowska.${id}@example.pl;600 123 456;Polska;tak;14.03.2026;nie;;formularz rejestracji v2`,
      `${id}-2;Paweł;Żółkiewski;pawel.z.${id}@example.pl;+48 601 234 567;Polska;nie;2026-02-01 10:22;tak;14.03.2026 18:05;formularz rejestracji v2`,
      `${id}-3;Zofia;Śliwińska;zofia.${id}@example.pl;602345678;PL;tak;;tak;;sklep stacjonarny`,
      `${id}-4;Jörg;Müller;joerg.${id}@example.de;0151 2345678;Niemcy;;;tak;01.04.2026;checkout`,
    ].join('\r\n') + '\r\n'
  );
}

/** A German shop's export from Excel: one date and one source column for both consents, Excel's WAHR among the answers. */
export const GERMAN_EXPORT =
  [
    'Kundennummer;Anrede;Vorname;Nachname;E-Mail-Adresse;Handy;Land;Einwilligung Newsletter;Einwilligung WhatsApp;Datum der Einwilligung;Quelle',
    '10001;Herr;Jürgen;Weiß;juergen.weiss@example.de;0171 2345678;Deutschland;ja;nein;03.02.2026;Double-Opt-In Newsletter-Formular',
    '10002;Frau;Käthe;Schröder;kaethe@example.de;;DE;WAHR;ja;14.03.2026 10:22;Kundenkonto Checkbox',
    '10003;Herr;Ömer;Öztürk;oemer@example.at;+43 664 1234567;Österreich;nein;;;',
  ].join('\r\n') + '\r\n';

/** A French shop's export saved by Excel as "CSV UTF-8": a byte order mark, semicolons, dates as 14/03/2026. */
export const FRENCH_EXPORT =
  '\uFEFF' +
  [
    'Numéro de client;Prénom;Nom;Courriel;Portable;Pays;Consentement e-mail;Consentement SMS;Date du consentement;Origine du consentement',
    "FR-501;Hélène;Lefèvre;helene.lefevre@example.fr;06 12 34 56 78;France;oui;non;14/03/2026;formulaire d'inscription",
    'FR-502;François;Gauthier;francois@example.fr;07 98 76 54 32;FR;non;oui;02/01/2026 09:15;caisse en magasin',
  ].join('\r\n') +
  '\r\n';

/** Shopify's customer export with a note that holds an unquoted formula, which breaks a strict CSV read. */
export const SHOPIFY_EXPORT =
  [
    'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Country Code,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tags',
    "7301,Anna,Kowalczyk,anna.k@example.pl,yes,PL,,'+48600700800,no,120.50,3,,VIP",
    '7302,Max,Mustermann,max@example.de,no,DE,+4915112345678,,no,0.00,0,=HYPERLINK("http://evil.example"),',
    '7303,Claire,Martin,claire@example.fr,yes,FR,,,yes,45.00,1,"Livraison, porte B",newsletter',
  ].join('\n') + '\n';

/** A file on disk, uploaded into the file store of `db` as the upload route does: its key, hash, and the file to read. */
export async function uploadFile(db: Queryable, path: string): Promise<{ fileKey: string; sha256: string; file: FileSource }> {
  const { key, sha256 } = await saveUpload(db, fs.createReadStream(path));
  return { fileKey: key, sha256, file: storedFile(db, key) };
}
