// Word lists for the deterministic demo data.
export const NAMES: Record<string, { first: string[]; last: string[]; domains: string[]; language: string }> = {
  PL: {
    first: ['Anna', 'Katarzyna', 'Małgorzata', 'Agnieszka', 'Magdalena', 'Joanna', 'Zofia', 'Piotr', 'Krzysztof', 'Tomasz', 'Paweł', 'Michał', 'Łukasz', 'Grzegorz', 'Wojciech', 'Jakub'],
    last: ['Nowak', 'Kowalski', 'Wiśniewska', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowska', 'Kozłowski', 'Jankowska', 'Mazur', 'Krawczyk', 'Grabowski'],
    domains: ['wp.pl', 'onet.pl', 'gmail.com', 'interia.pl', 'o2.pl'],
    language: 'pl',
  },
  DE: {
    first: ['Lukas', 'Jonas', 'Felix', 'Maximilian', 'Leon', 'Sophie', 'Marie', 'Hannah', 'Lena', 'Julia', 'Jürgen', 'Sabine', 'Stefan', 'Ute', 'Klaus', 'Anja'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf'],
    domains: ['web.de', 'gmx.de', 't-online.de', 'gmail.com', 'posteo.de'],
    language: 'de',
  },
  AT: {
    first: ['Florian', 'Tobias', 'Elias', 'Lea', 'Anna', 'Sarah', 'Andreas', 'Christina', 'Markus', 'Theresa', 'Georg', 'Katharina'],
    last: ['Gruber', 'Huber', 'Bauer', 'Wagner', 'Pichler', 'Steiner', 'Moser', 'Mayer', 'Hofer', 'Leitner', 'Berger', 'Fuchs'],
    domains: ['gmx.at', 'aon.at', 'gmail.com', 'chello.at'],
    language: 'de',
  },
  FR: {
    first: ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Hugo', 'Louis', 'Gabriel', 'Jules', 'Théo', 'Élodie', 'François', 'Amélie', 'Mathéo'],
    last: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Girard'],
    domains: ['orange.fr', 'free.fr', 'gmail.com', 'laposte.net', 'sfr.fr'],
    language: 'fr',
  },
  NL: {
    first: ['Daan', 'Sem', 'Lucas', 'Emma', 'Julia', 'Tess', 'Noah', 'Sanne', 'Bram', 'Fleur'],
    last: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer'],
    domains: ['ziggo.nl', 'kpnmail.nl', 'gmail.com', 'hotmail.nl'],
    language: 'nl',
  },
  IT: {
    first: ['Francesco', 'Alessandro', 'Lorenzo', 'Sofia', 'Giulia', 'Aurora', 'Matteo', 'Chiara', 'Luca', 'Martina'],
    last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco'],
    domains: ['libero.it', 'gmail.com', 'virgilio.it', 'tiscali.it'],
    language: 'it',
  },
  ES: {
    first: ['Hugo', 'Martín', 'Lucía', 'Sofía', 'Pablo', 'Alejandro', 'María', 'Paula', 'Daniel', 'Carmen'],
    last: ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín'],
    domains: ['gmail.com', 'hotmail.es', 'yahoo.es', 'telefonica.net'],
    language: 'es',
  },
};

/** Share of demo customers per market. */
export const MARKET_WEIGHTS: Array<[market: string, weight: number]> = [
  ['PL', 30],
  ['DE', 25],
  ['FR', 12],
  ['NL', 9],
  ['AT', 8],
  ['IT', 8],
  ['ES', 8],
];

/** Mobile number shapes that libphonenumber accepts as valid, per market: country code, prefixes, digits after the prefix. */
export const MOBILE: Record<string, { cc: string; prefixes: string[]; rest: number }> = {
  PL: { cc: '48', prefixes: ['501', '502', '600', '601', '602', '660', '691', '721', '781', '880'], rest: 6 },
  DE: { cc: '49', prefixes: ['151', '152', '157', '160', '162', '170', '171', '172', '176', '177'], rest: 8 },
  AT: { cc: '43', prefixes: ['650', '660', '664', '676', '680', '699'], rest: 7 },
  FR: { cc: '33', prefixes: ['6', '7'], rest: 8 },
  NL: { cc: '31', prefixes: ['6'], rest: 8 },
  IT: { cc: '39', prefixes: ['320', '328', '333', '338', '340', '347', '348', '366', '380', '393'], rest: 7 },
  ES: { cc: '34', prefixes: ['6', '7'], rest: 8 },
};

export const CUSTOMER_SOURCES = ['shop_checkout', 'amazon_order', 'newsletter_form', 'customer_service'] as const;

export const GRANT_WORDING: Record<string, Record<string, string>> = {
  email: {
    pl: 'Chcę otrzymywać e-mailem informacje o ofertach i nowościach.',
    de: 'Ja, ich möchte Angebote und Neuheiten per E-Mail erhalten.',
    fr: "Oui, je souhaite recevoir les offres et nouveautés par e-mail.",
    en: 'Yes, send me offers and news by e-mail.',
  },
  sms: {
    pl: 'Chcę otrzymywać SMS-y z ofertami.',
    de: 'Ja, ich möchte Angebote per SMS erhalten.',
    fr: 'Oui, je souhaite recevoir des offres par SMS.',
    en: 'Yes, send me offers by SMS.',
  },
  whatsapp: {
    pl: 'Chcę otrzymywać wiadomości WhatsApp o zamówieniach i ofertach.',
    de: 'Ja, ich möchte Nachrichten über WhatsApp erhalten.',
    fr: 'Oui, je souhaite recevoir des messages WhatsApp.',
    en: 'Yes, send me WhatsApp messages.',
  },
  phone: {
    pl: 'Zgadzam się na kontakt telefoniczny w celach marketingowych.',
    de: 'Ja, Sie dürfen mich zu Angeboten anrufen.',
    fr: "J'accepte d'être appelé pour des offres.",
    en: 'Yes, you may call me about offers.',
  },
};

export const WITHDRAWAL_SOURCES = ['whatsapp_keyword', 'support_call', 'unsubscribe_link', 'complaint'] as const;

export const COMPLAINT_TEXTS: Record<string, string> = {
  no_consent: 'Customer says they never agreed to receive WhatsApp messages.',
  unwanted_marketing: 'Received promotions after the order arrived; wants them to stop.',
  too_many_messages: 'Three messages in one day about the same order.',
  wrong_content: 'Message quoted the wrong delivery date.',
  phishing: 'Customer thought our message was a scam and asked whether the link is safe.',
  legal_notice: 'Abmahnung from a law firm over an unsolicited WhatsApp advertisement.',
  other: 'Asked which data we hold about them.',
};
