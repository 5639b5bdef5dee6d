import { describe, expect, it } from 'vitest';
import type { ColumnWhy, Target } from './fields';
import { detectPreset, guessMapping, ignoredConsentColumns, readColumns } from './fields';
import { headerWords } from './headers';

// One header on its own, as shops in Poland, Germany, France and elsewhere write them: the meaning it must get (null:
// left out), and whether, left out, it must be flagged as looking like consent. A date or source that names a channel
// but no purpose serves every purpose of that channel until the file shows which consent column it belongs to.
const HEADERS: Array<[header: string, target: Target | null, consentLike: boolean]> = [
  // Customer fields
  ['Identyfikator', 'externalId', false],
  ['Nr klienta', 'externalId', false],
  ['Numer klienta', 'externalId', false],
  ['ID klienta', 'externalId', false],
  ['Kundennummer', 'externalId', false],
  ['Kunden-Nr.', 'externalId', false],
  ['Numéro de client', 'externalId', false],
  ['Customer ID', 'externalId', false],
  ['id_customer', 'externalId', false],
  ['CustomerId', 'externalId', false],
  // Where the order came from (an Amazon value marks an Amazon buyer)
  ['Sales channel', 'orderSource', false],
  ['sales-channel', 'orderSource', false],
  ['Vertriebskanal', 'orderSource', false],
  ['Bestellquelle', 'orderSource', false],
  ['Źródło zamówienia', 'orderSource', false],
  ['Kanał sprzedaży', 'orderSource', false],
  ['Marketplace', 'orderSource', false],
  ['Canal de vente', 'orderSource', false],
  ['Order source', 'orderSource', false],
  ['ID', 'externalId', false],
  ['Imię', 'firstName', false],
  ['Vorname', 'firstName', false],
  ['Prénom', 'firstName', false],
  ['First Name', 'firstName', false],
  ['Nazwisko', 'lastName', false],
  ['Nachname', 'lastName', false],
  ['Nom', 'lastName', false],
  ['Surname', 'lastName', false],
  ['E-mail', 'email', false],
  ['E-Mail-Adresse', 'email', false],
  ['Courriel', 'email', false],
  ['Adres e-mail', 'email', false],
  ['Email address', 'email', false],
  ['Telefon', 'phone', false],
  ['Phone', 'phone', false],
  ['Téléphone', 'phone', false],
  ['Telefon komórkowy', 'phone', false],
  ['Numer telefonu', 'phone', false],
  ['Handy', 'phone', false],
  ['Mobilnummer', 'phone', false],
  ['Mobile', 'phone', false],
  ['Portable', 'phone', false],
  ['Kraj', 'market', false],
  ['Land', 'market', false],
  ['Pays', 'market', false],
  ['Country code', 'market', false],
  ['Default Address Country Code', 'market', false],
  ['Sprache', 'language', false],
  ['Język', 'language', false],
  ['Langue', 'language', false],
  ['Data ostatniego zamówienia', 'lastOrderAt', false],
  ['Letzte Bestellung', 'lastOrderAt', false],
  ['Dernière commande', 'lastOrderAt', false],
  ['Last order date', 'lastOrderAt', false],
  // Consent answers: channel, purpose (marketing when not named) and a word of consent
  ['Zgoda e-mail marketing', 'email.marketing', true],
  ['Zgoda WhatsApp marketing', 'whatsapp.marketing', true],
  ['Zgoda na SMS', 'sms.marketing', true],
  ['Zgoda na kontakt telefoniczny', 'phone.marketing', true],
  ['Zgoda marketingowa e-mail', 'email.marketing', true],
  ['Zgoda na informacje handlowe drogą elektroniczną (e-mail)', 'email.marketing', true],
  ['Zgoda na powiadomienia SMS o statusie zamówienia', 'sms.transactional', true],
  ['Zapisany do newslettera', 'email.marketing', true],
  ['Akceptuje oferty SMS', 'sms.marketing', true],
  ['Newsletter', 'email.marketing', true],
  ['Biuletyn', 'email.marketing', true],
  ['Einwilligung Newsletter', 'email.marketing', true],
  ['Werbeeinwilligung E-Mail', 'email.marketing', true],
  ['Einwilligung Telefonwerbung', 'phone.marketing', true],
  ['SMS-Werbung erlaubt', 'sms.marketing', true],
  ['WhatsApp Einverständnis', 'whatsapp.marketing', true],
  ['WhatsApp Bestellupdates Einwilligung', 'whatsapp.transactional', true],
  ['Accepts Email Marketing', 'email.marketing', true],
  ['Accepts SMS Marketing', 'sms.marketing', true],
  ['Email Marketing Consent', 'email.marketing', true],
  ['WhatsApp order updates opt-in', 'whatsapp.transactional', true],
  ['whatsappOptIn', 'whatsapp.marketing', true],
  ['WA marketing', 'whatsapp.marketing', true],
  ['Consentement e-mail', 'email.marketing', true],
  ['Accepte les offres par SMS', 'sms.marketing', true],
  ['Abonné newsletter', 'email.marketing', true],
  ['Consentement WhatsApp commandes', 'whatsapp.transactional', true],
  ['Promotions par e-mail', 'email.marketing', true],
  // Dates and sources of consent
  ['Data zgody e-mail', 'email.date', true],
  ['Data zgody WhatsApp', 'whatsapp.date', true],
  ['Data zgody', 'consent.date', true],
  ['Einwilligung erteilt am', 'consent.date', true],
  ['Skąd zgoda', 'consent.source', true],
  ['Woher stammt die Einwilligung', 'consent.source', true],
  ['Datum der Einwilligung', 'consent.date', true],
  ['Einwilligungsdatum', 'consent.date', true],
  ['Consent date', 'consent.date', true],
  ['Date du consentement', 'consent.date', true],
  ['Email Marketing Consent Updated At', 'email.marketing.date', true],
  ['newsletter_date_add', 'email.marketing.date', true],
  ['Date d’inscription à la newsletter', 'email.marketing.date', true],
  ['Źródło zgody', 'consent.source', true],
  ['Sposób wyrażenia zgody', 'consent.source', true],
  ['Kanał zgody', 'consent.source', true],
  ['Herkunft der Einwilligung', 'consent.source', true],
  ['Origine du consentement', 'consent.source', true],
  ['SMS Marketing Consent Collected From', 'sms.marketing.source', true],
  ['Quelle Newsletter-Anmeldung', 'email.marketing.source', true],
  ['ip_registration_newsletter', 'email.marketing.ip', true],
  // Not consent, and not to be mistaken for it
  ['Zgoda na regulamin', null, false],
  ['Akceptacja regulaminu', null, false],
  ['Zgoda RODO', null, false],
  ['Zgoda na przetwarzanie danych osobowych', null, false],
  ['AGB akzeptiert', null, false],
  ['Datenschutz gelesen', null, false],
  ['Accepts terms', null, false],
  ['Accepte les CGV', null, false],
  ['Date of birth', null, false],
  ['Data urodzenia', null, false],
  ['Geburtsdatum', null, false],
  ['Date de naissance', null, false],
  ['Data rejestracji', null, false],
  ['Order ID', null, false],
  ['Nr zamówienia', null, false],
  ['Imię i nazwisko', null, false],
  ['Fax', null, false],
  ['Marketing opt-in level', null, false],
  ['Total Orders', null, false],
  ['Tags', null, false],
  // Consent, but not one this file can be read into: flagged when left out
  ['Newsletter-Abmeldedatum', null, true],
  ['Abgemeldet vom Newsletter', null, true],
  ['Data wypisania z newslettera', null, true],
  ['Zgoda marketingowa', null, true],
  ['Opt-in', null, true],
  ['Zgoda e-mail i SMS', null, true],
  ['Oferty partnerów', null, true],
  ['Partnerangebote Einwilligung', null, true],
  ['Offres partenaires', null, true],
];

describe('a header on its own', () => {
  it('has more than 60 real-looking headers in the table', () => {
    expect(HEADERS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(HEADERS)('%s -> %s', (header, target, consentLike) => {
    const [reading] = readColumns([header], null);
    expect(reading).toMatchObject({ target, consentLike });
  });
});

describe('headers as words', () => {
  it.each([
    ['E-Mail-Adresse', ['email', 'adresse']],
    ['whatsappOptIn', ['whatsapp', 'optin']],
    ['Whats App Opt-In', ['whatsapp', 'optin']],
    ['Kunden-Nr.', ['kunden', 'nr']],
    ['  ŹRÓDŁO_zgody ', ['zrodlo', 'zgody']],
    ['newsletter/date', ['newsletter', 'date']],
  ])('%s', (header, expected) => {
    expect(headerWords(header)).toEqual(expected);
  });
});

const why = (header: readonly string[], preset = detectPreset(header)) =>
  readColumns(header, preset).map((r) => [r.target, r.why] as const);

describe('a whole file', () => {
  it('maps the six consent columns of a Polish shop export, with one source for all', () => {
    const header = [
      'Identyfikator',
      'Imię',
      'Nazwisko',
      'E-mail',
      'Telefon',
      'Kraj',
      'Zgoda e-mail marketing',
      'Data zgody e-mail',
      'Zgoda WhatsApp marketing',
      'Data zgody WhatsApp',
      'Źródło zgody',
    ];
    expect(guessMapping(header, detectPreset(header))).toEqual([
      'externalId',
      'firstName',
      'lastName',
      'email',
      'phone',
      'market',
      'email.marketing',
      'email.marketing.date',
      'whatsapp.marketing',
      'whatsapp.marketing.date',
      'consent.source',
    ]);
    expect(ignoredConsentColumns(header, guessMapping(header, null))).toEqual([]);
  });

  it('gives a bare date column to all consent columns, and reads a German Excel export', () => {
    const header = [
      'Kundennummer',
      'Anrede',
      'Vorname',
      'Nachname',
      'E-Mail-Adresse',
      'Handy',
      'Land',
      'Einwilligung Newsletter',
      'Einwilligung WhatsApp',
      'Datum',
      'Quelle',
    ];
    expect(why(header)).toEqual([
      ['externalId', { code: 'mapped' }],
      [null, { code: 'none' }],
      ['firstName', { code: 'mapped' }],
      ['lastName', { code: 'mapped' }],
      ['email', { code: 'mapped' }],
      ['phone', { code: 'mapped' }],
      ['market', { code: 'mapped' }],
      ['email.marketing', { code: 'mapped', newsletter: true }],
      ['whatsapp.marketing', { code: 'mapped', purposeAssumed: true }],
      ['consent.date', { code: 'mapped', shared: true }],
      ['consent.source', { code: 'mapped', shared: true }],
    ]);
  });

  it('keeps a bare date out of a file without consent columns', () => {
    expect(guessMapping(['email', 'Datum'], null)).toEqual(['email', null]);
  });

  it('gives a channel date to the channel’s one consent column, or to all of them', () => {
    expect(guessMapping(['E-mail', 'Consentement e-mail', 'Date consentement e-mail'], null)).toEqual([
      'email',
      'email.marketing',
      'email.marketing.date',
    ]);
    expect(guessMapping(['E-mail', 'E-mail marketing', 'E-mail commandes', 'Date consentement e-mail'], null)).toEqual([
      'email',
      'email.marketing',
      'email.transactional',
      'email.date',
    ]);
  });

  it('gives a meaning to one column only and flags the consent column that repeats it', () => {
    const header = ['E-mail', 'Newsletter', 'Zgoda na newsletter'];
    const readings = readColumns(header, null);
    expect(readings.map((r) => r.target)).toEqual(['email', 'email.marketing', null]);
    expect(readings[2]).toEqual({ target: null, why: { code: 'taken', by: 'Newsletter' } satisfies ColumnWhy, consentLike: true });
    expect(ignoredConsentColumns(header, guessMapping(header, null))).toEqual(['Zgoda na newsletter']);
  });

  it('flags consent columns the user leaves out, not the others', () => {
    const header = ['E-mail', 'Telefon', 'Zgoda SMS', 'Zgoda na regulamin', 'Zgoda marketingowa'];
    expect(ignoredConsentColumns(header, ['email', 'phone', null, null, null])).toEqual(['Zgoda SMS', 'Zgoda marketingowa']);
  });

  it('reads a bare channel column by its values: yes and no are consent, numbers are a phone', () => {
    expect(
      guessMapping(['E-mail', 'WhatsApp'], null, [
        ['a@example.pl', 'tak'],
        ['b@example.pl', 'nie'],
      ]),
    ).toEqual(['email', 'whatsapp.marketing']);
    expect(guessMapping(['E-mail', 'WhatsApp'], null, [['a@example.pl', '+48 600 100 200']])).toEqual(['email', 'phone']);
  });

  it('reads PrestaShop’s customer table: the newsletter with its date and IP, partner offers left out and flagged', () => {
    const header = [
      'id_customer',
      'id_gender',
      'id_lang',
      'firstname',
      'lastname',
      'email',
      'birthday',
      'newsletter',
      'ip_registration_newsletter',
      'newsletter_date_add',
      'optin',
      'active',
      'date_add',
      'date_upd',
    ];
    expect(detectPreset(header)).toBe('prestashop');
    const readings = readColumns(header, 'prestashop');
    expect(readings.map((r) => r.target)).toEqual([
      'externalId',
      null,
      null,
      'firstName',
      'lastName',
      'email',
      null,
      'email.marketing',
      'email.marketing.ip',
      'email.marketing.date',
      null,
      null,
      null,
      null,
    ]);
    expect(readings[2]!.why).toEqual({ code: 'shop_language_id' });
    expect(readings[10]).toEqual({ target: null, why: { code: 'partner' }, consentLike: true });
    expect(
      ignoredConsentColumns(
        header,
        readings.map((r) => r.target),
      ),
    ).toEqual(['optin']);
  });

  it('reads Shopify’s current customer export', () => {
    const header = [
      'Customer ID',
      'First Name',
      'Last Name',
      'Email',
      'Accepts Email Marketing',
      'Default Address Company',
      'Default Address Address1',
      'Default Address Address2',
      'Default Address City',
      'Default Address Province Code',
      'Default Address Country Code',
      'Default Address Zip',
      'Default Address Phone',
      'Phone',
      'Accepts SMS Marketing',
      'Total Spent',
      'Total Orders',
      'Note',
      'Tax Exempt',
      'Tags',
    ];
    expect(detectPreset(header)).toBe('shopify');
    const mapping = guessMapping(header, 'shopify');
    expect(Object.fromEntries(header.map((h, i) => [h, mapping[i]]).filter(([, t]) => t))).toEqual({
      'Customer ID': 'externalId',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Accepts Email Marketing': 'email.marketing',
      'Default Address Country Code': 'market',
      Phone: 'phone',
      'Accepts SMS Marketing': 'sms.marketing',
    });
    expect(ignoredConsentColumns(header, mapping)).toEqual([]);
  });

  it('keeps reading the Zgoda template and the WooCommerce export as before', () => {
    expect(
      guessMapping(['external_id', 'email', 'whatsapp_marketing', 'whatsapp_marketing_date', 'whatsapp_marketing_source'], null),
    ).toEqual(['externalId', 'email', 'whatsapp.marketing', 'whatsapp.marketing.date', 'whatsapp.marketing.source']);
    const woo = ['customer_id', 'first_name', 'last_name', 'email', 'billing_phone', 'billing_country', 'last_order_date'];
    expect(guessMapping(woo, detectPreset(woo))).toEqual([
      'externalId',
      'firstName',
      'lastName',
      'email',
      'phone',
      'market',
      'lastOrderAt',
    ]);
  });
});
