import { describe, expect, it } from 'vitest';
import type { TemplateDraft } from './template-rules';
import type { PromoKind } from './linter';
import { PROMO_KINDS, findPromotional, fold, hasOptOut, isShopLink, lintPromotional, namesSender, optOutFor, reviewDraft } from './linter';
import { LINTER_SAMPLES } from './linter-samples';
import words from './promotional-words.json';

type Sample = [language: string, text: string, expected: Array<[word: string, kind: PromoKind]>];

// Each row: a message and the passages the linter must mark (none: it is a plain transactional message).
const SAMPLES: Sample[] = [
  // English, transactional
  ['en', 'Hello {{1}}, your order {{2}} has been shipped and arrives tomorrow.', []],
  ['en', 'Your parcel is waiting at the pick-up point in Salento until Friday.', []],
  ['en', 'Your tracking code: 1Z999AA10123456784. Track it at https://example.com/orders/123', []],
  ['en', 'We are offering free returns within 30 days; your return label is attached.', []],
  ['en', 'Your refund of 49.90 EUR for order {{1}} has been sent.', []],
  ['en', 'We will deal with your return within 5 days.', []],
  ['en', 'Please keep your receipt and your wholesale invoice for the warranty.', []],
  // English, promotional
  [
    'en',
    'Your order {{1}} has shipped. Enjoy 10% off your next order!',
    [
      ['10%', 'percentage'],
      ['off your next', 'discount'],
    ],
  ],
  ['en', 'Big summer SALE starts today', [['SALE', 'sale']]],
  ['en', 'Use code WINTER20 at checkout', [['Use code', 'coupon']]],
  ['en', 'A special offer just for you', [['special offer', 'offer']]],
  ['en', 'Discover the new collection', [['new collection', 'new_collection']]],
  [
    'en',
    'You might also like these shoes: https://example.com/shop/shoes',
    [
      ['You might also like', 'recommendation'],
      ['https://example.com/shop/shoes', 'shop_link'],
    ],
  ],
  [
    'en',
    'Black Friday deals are here',
    [
      ['Black Friday', 'sale'],
      ['deals', 'offer'],
    ],
  ],
  ['en', 'Get a free gift with your next purchase', [['free gift', 'discount']]],
  // Polish, transactional
  ['pl', 'Dzień dobry {{1}}, Twoje zamówienie {{2}} zostało wysłane.', []],
  ['pl', 'Paczka czeka w paczkomacie przy ul. Długiej, kod odbioru 123456.', []],
  ['pl', 'Zwrot środków za zamówienie {{1}} został zlecony.', []],
  ['pl', 'Podaj kod pocztowy, aby zmienić adres dostawy.', []],
  ['pl', 'Z okazji zwrotu przesyłamy potwierdzenie.', []],
  // Polish, promotional
  [
    'pl',
    'Twoje zamówienie jest w drodze. Z kodem RABAT15 dostaniesz 15% zniżki na kolejne zakupy!',
    [
      ['Z kodem', 'coupon'],
      ['RABAT15', 'discount'],
      ['15%', 'percentage'],
      ['zniżki', 'discount'],
    ],
  ],
  ['pl', 'Wielka WYPRZEDAŻ w naszym sklepie', [['WYPRZEDAŻ', 'sale']]],
  [
    'pl',
    'Wielka wyprzedaz tylko dzis',
    [
      ['wyprzedaz', 'sale'],
      ['tylko dzis', 'offer'],
    ],
  ],
  ['pl', 'Sprawdź nową kolekcję na wiosnę', [['nową kolekcję', 'new_collection']]],
  [
    'pl',
    'Polecamy też te produkty: https://sklep.example.pl/kategoria/buty',
    [
      ['Polecamy', 'recommendation'],
      ['https://sklep.example.pl/kategoria/buty', 'shop_link'],
    ],
  ],
  ['pl', 'Specjalna oferta dla stałych klientów', [['oferta', 'offer']]],
  [
    'pl',
    'Odbierz rabat -20% na wszystko',
    [
      ['rabat', 'discount'],
      ['-20%', 'percentage'],
    ],
  ],
  // German, transactional
  ['de', 'Hallo {{1}}, Ihre Bestellung {{2}} wurde versandt.', []],
  ['de', 'Ihre Rücksendung ist bei uns eingegangen; die Erstattung folgt in 3 Tagen.', []],
  ['de', 'Ihre Sendungsnummer lautet 00340434161234567890, Zustellung morgen.', []],
  ['de', 'Ihr Paket wird an die Sparkasse-Filiale nebenan geliefert.', []],
  ['de', 'Ihre Bestellung mit Geschenkverpackung ist unterwegs.', []],
  // German, promotional
  [
    'de',
    'Ihre Bestellung ist unterwegs. Mit dem Code HERBST10 sparen Sie 10 % beim nächsten Einkauf.',
    [
      ['Mit dem Code', 'coupon'],
      ['sparen', 'discount'],
      ['10 %', 'percentage'],
    ],
  ],
  [
    'de',
    'Unser Sale: jetzt reduziert',
    [
      ['Sale', 'sale'],
      ['reduziert', 'discount'],
    ],
  ],
  [
    'de',
    'Entdecken Sie unsere neue Kollektion',
    [
      ['Entdecken Sie unsere', 'recommendation'],
      ['neue Kollektion', 'new_collection'],
    ],
  ],
  ['de', 'Ein Gutschein für Ihren nächsten Einkauf', [['Gutschein', 'coupon']]],
  [
    'de',
    'Nur heute: Sonderangebote im Shop https://example.de/angebote',
    [
      ['Nur heute', 'offer'],
      ['Sonderangebote', 'offer'],
      ['https://example.de/angebote', 'shop_link'],
    ],
  ],
  // French, transactional
  ['fr', 'Bonjour {{1}}, votre commande {{2}} a été expédiée.', []],
  ['fr', 'La remise de votre colis est prévue demain entre 9h et 12h.', []],
  ['fr', 'Le solde de votre compte est de 0 EUR après remboursement.', []],
  ['fr', 'Votre bon de livraison est joint à ce message.', []],
  // French, promotional
  [
    'fr',
    'Votre commande est en route. Profitez de 10% de réduction avec le code MERCI10 !',
    [
      ['10%', 'percentage'],
      ['réduction', 'discount'],
      ['avec le code', 'coupon'],
    ],
  ],
  ['fr', 'Les SOLDES commencent demain', [['SOLDES', 'sale']]],
  [
    'fr',
    'Découvrez nos nouveautés',
    [
      ['Découvrez nos', 'recommendation'],
      ['nouveautés', 'new_collection'],
    ],
  ],
  ['fr', 'Une offre exclusive pour vous', [['offre', 'offer']]],
  ['fr', 'Livraison offerte ce week-end', [['offerte', 'discount']]],
  [
    'fr',
    'Decouvrez nos nouveautes sans accents',
    [
      ['Decouvrez nos', 'recommendation'],
      ['nouveautes', 'new_collection'],
    ],
  ],
  // English words in another language's message
  ['pl', 'Black Friday w naszym sklepie', [['Black Friday', 'sale']]],
  ['de', 'Great deals for you', [['Great deals', 'offer']]],
];

describe('findPromotional', () => {
  it('has at least 40 samples in the four languages', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SAMPLES.map((s) => s[0]))).toEqual(new Set(['en', 'pl', 'de', 'fr']));
  });

  it.each(SAMPLES)('%s: %s', (language, text, expected) => {
    const found = findPromotional(text, language);
    expect(found.map((m) => [m.text, m.kind])).toEqual(expected);
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.text);
  });
});

describe('findPromotional on messages as shops write them', () => {
  const plainOnes = LINTER_SAMPLES.filter((s) => !s.promotional);
  const promoOnes = LINTER_SAMPLES.filter((s) => s.promotional);

  it('has at least 120 samples, plain and promotional in each of the four languages', () => {
    expect(LINTER_SAMPLES.length).toBeGreaterThanOrEqual(120);
    for (const language of ['en', 'pl', 'de', 'fr']) {
      expect(plainOnes.filter((s) => s.language === language).length).toBeGreaterThanOrEqual(15);
      expect(promoOnes.filter((s) => s.language === language).length).toBeGreaterThanOrEqual(15);
    }
  });

  it.each(plainOnes.map((s) => [s.language, s.text] as const))('plain, %s: %s', (language, text) => {
    expect(findPromotional(text, language).map((m) => m.text)).toEqual([]);
  });

  it.each(promoOnes.map((s) => [s.language, s.text, s.marks ?? []] as const))('promotional, %s: %s', (language, text, marks) => {
    const found = findPromotional(text, language).map((m) => m.text);
    expect(found.length).toBeGreaterThan(0);
    for (const mark of marks) expect(found).toContain(mark);
  });

  it('catches every promotional sample and flags no plain one, per language', () => {
    const figures = Object.fromEntries(
      ['pl', 'de', 'en', 'fr'].map((language) => {
        const of = LINTER_SAMPLES.filter((s) => s.language === language);
        const flagged = (promotional: boolean) =>
          of.filter((s) => s.promotional === promotional && findPromotional(s.text, language).length > 0).length;
        const total = (promotional: boolean) => of.filter((s) => s.promotional === promotional).length;
        return [language, { promotionalCaught: `${flagged(true)}/${total(true)}`, plainFlagged: `${flagged(false)}/${total(false)}` }];
      }),
    );
    for (const f of Object.values(figures)) {
      const [caught, all] = f.promotionalCaught.split('/');
      expect(caught).toBe(all);
      expect(f.plainFlagged.startsWith('0/')).toBe(true);
    }
  });

  it('stays fast enough to run on every keystroke', () => {
    const body = LINTER_SAMPLES.filter((s) => s.language === 'pl')
      .map((s) => s.text)
      .join(' ')
      .slice(0, 1024);
    findPromotional(body, 'pl');
    const started = performance.now();
    for (let n = 0; n < 200; n++) findPromotional(body, 'pl');
    // 200 full-length bodies well under a second: one keystroke costs a few milliseconds at most.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('findPromotional in Spanish, Italian and Dutch (keywords)', () => {
  it.each<[string, string, string[]]>([
    ['es', 'Tu pedido {{1}} ha sido enviado. ¡2x1 en toda la tienda solo hoy!', ['2x1', 'solo hoy']],
    ['es', 'Tu pedido {{1}} ya está en camino. Código de descuento GRACIAS10 para tu próxima compra.', ['Código de descuento']],
    ['es', 'Tu pedido {{1}} ha sido enviado con Correos. Devolución gratuita durante 30 días.', []],
    ['it', 'Il tuo ordine {{1}} è stato spedito. Usa il codice sconto GRAZIE10 sul prossimo acquisto!', ['codice sconto']],
    ['it', 'Il tuo ordine {{1}} è in consegna con BRT. Reso gratuito entro 30 giorni.', []],
    ['nl', 'Je bestelling {{1}} is verzonden. Met kortingscode BEDANKT krijg je 10% korting.', ['kortingscode', '10%', 'korting']],
    ['nl', 'Je bestelling {{1}} is verzonden met PostNL. Gratis retourneren binnen 30 dagen.', []],
  ])('%s: %s', (language, text, expected) => {
    expect(findPromotional(text, language).map((m) => m.text)).toEqual(expected);
  });
});

describe('the word lists', () => {
  type List = Record<string, unknown> & {
    contexts?: Record<string, string[]>;
    combinations?: Array<{ kind: string; terms: string[]; with: string[] }>;
  };
  const lists = Object.entries(words as unknown as Record<string, List | string | string[]>).filter(
    (e): e is [string, List] => typeof e[1] === 'object' && !Array.isArray(e[1]),
  );

  it.each(lists.map(([language, list]) => [language, list] as const))(
    '%s: every combination needs contexts that exist, every kind is known',
    (language, list) => {
      const known = new Set([
        ...Object.keys(list.contexts ?? {}),
        ...Object.keys((words as unknown as Record<string, List>).en!.contexts ?? {}),
      ]);
      for (const c of list.combinations ?? []) {
        expect(PROMO_KINDS).toContain(c.kind);
        for (const name of c.with) expect(known, `${language}: ${name}`).toContain(name);
      }
      for (const key of Object.keys(list)) expect([...PROMO_KINDS, 'neutral', 'contexts', 'combinations']).toContain(key);
    },
  );

  it('marks nothing in an empty or purely numeric text', () => {
    for (const [language] of lists) {
      expect(findPromotional('', language)).toEqual([]);
      expect(findPromotional('12345 / 2024-11-30 {{1}} 📦', language)).toEqual([]);
    }
  });
});

describe('fold', () => {
  it.each([
    ['Wyprzedaż', 'wyprzedaz'],
    ['ŁÓDŹ', 'lodz'],
    ['Réduction', 'reduction'],
    ['Schnäppchen', 'schnappchen'],
    ['Straße', 'straße'],
    ['🚚 Sale', '🚚 sale'],
  ])('%s -> %s keeps every offset', (text, folded) => {
    expect(fold(text)).toBe(folded);
    expect(fold(text).length).toBe(text.length);
  });
});

describe('isShopLink', () => {
  it.each([
    ['https://example.com/shop/shoes', true],
    ['https://example.com/collections/summer', true],
    ['www.example.de/sale', true],
    ['https://example.fr/produits/123?utm=x', true],
    ['https://shop.example.com/orders/123', false],
    ['https://example.com/account/returns', false],
    ['https://example.com', false],
  ])('%s -> %s', (url, shop) => {
    expect(isShopLink(url)).toBe(shop);
  });
});

const draft = (d: Partial<TemplateDraft & { sender: string | null }>): TemplateDraft & { sender: string | null } => ({
  name: 'order_update',
  category: 'transactional',
  language: 'en',
  header: null,
  headerExample: null,
  body: 'Hello {{1}}, your order has shipped.',
  footer: null,
  buttons: [],
  examples: ['Anna'],
  sender: null,
  ...d,
});

describe('reviewDraft', () => {
  it.each<[string, Partial<TemplateDraft & { sender: string | null }>, string[]]>([
    ['plain order update', {}, []],
    [
      'order update with a coupon line',
      { body: 'Hello {{1}}, your order has shipped. Use code SAVE10 for 10% off!' },
      ['transactional_promotional'],
    ],
    [
      'coupon in a URL button of a transactional draft',
      { buttons: [{ type: 'url', text: 'Shop now', url: 'https://example.com/sale' }] },
      ['transactional_promotional'],
    ],
    ['promotion in the footer', { footer: 'New collection online' }, ['transactional_promotional']],
    [
      'marketing without a way out or sender',
      { category: 'marketing', body: 'Hello {{1}}, our sale starts today.' },
      ['marketing_opt_out', 'marketing_sender_required'],
    ],
    [
      'marketing with a stop line, sender not named',
      { category: 'marketing', body: 'Hello {{1}}, our sale starts today.', footer: 'Reply STOP to unsubscribe', sender: 'Kwiatek' },
      ['marketing_sender_missing'],
    ],
    [
      'marketing with a stop line and the sender',
      {
        category: 'marketing',
        body: 'Hello {{1}}, the Kwiatek sale starts today.',
        footer: 'Reply STOP to unsubscribe',
        sender: 'Kwiatek',
      },
      [],
    ],
    [
      'marketing with a stop quick reply, sender in the header',
      {
        category: 'marketing',
        header: 'KWIATEK',
        body: 'Hello {{1}}, our sale starts today.',
        buttons: [{ type: 'quick_reply', text: 'Stop promotions' }],
        sender: 'Kwiatek',
      },
      [],
    ],
    [
      'marketing in Polish with the Polish stop line',
      {
        category: 'marketing',
        language: 'pl',
        body: 'Cześć {{1}}, w sklepie Kwiatek wyprzedaż.',
        footer: 'Odpisz STOP, aby zrezygnować',
        sender: 'Kwiatek',
      },
      [],
    ],
    [
      '"stop" in lower case is not a way out',
      { category: 'marketing', body: 'Hello {{1}}, stop by the Kwiatek store today.', sender: 'Kwiatek' },
      ['marketing_opt_out'],
    ],
  ])('%s', (_label, d, expected) => {
    expect(reviewDraft(draft(d)).issues.map((i) => i.code)).toEqual(expected);
  });

  it('lists the matching words in the message', () => {
    const review = reviewDraft(draft({ body: 'Hello {{1}}, your order has shipped. Enjoy 10% off your next order!' }));
    expect(review.issues).toContainEqual({ code: 'transactional_promotional', field: 'category', params: { words: '10%, off your next' } });
  });

  it('finds promotion in every part of the template', () => {
    const found = lintPromotional({
      language: 'de',
      header: 'Sale',
      body: 'Hallo {{1}}',
      footer: 'Gutschein inside',
      buttons: [{ type: 'quick_reply', text: 'Angebote' }],
    });
    expect(found.map((m) => m.field)).toEqual(['header', 'footer', 'buttons']);
  });
});

describe('way out and sender', () => {
  it.each(['en', 'pl', 'de', 'fr'])('the offered %s stop line and quick reply count as a way out', (language) => {
    const { line, quickReply } = optOutFor(language);
    expect(hasOptOut({ body: 'x', footer: line, buttons: [] })).toBe(true);
    expect(hasOptOut({ body: 'x', footer: null, buttons: [{ type: 'quick_reply', text: quickReply }] })).toBe(true);
    expect(line.length).toBeLessThanOrEqual(60);
    expect(quickReply.length).toBeLessThanOrEqual(25);
  });

  it('falls back to English for a language without its own line', () => {
    expect(optOutFor('es').line).toBe('Reply STOP to unsubscribe');
  });

  it('finds the sender without regard to case or accents', () => {
    expect(namesSender({ header: null, body: 'Pozdrawiamy, ŻABKA', footer: null }, 'Żabka')).toBe(true);
    expect(namesSender({ header: null, body: 'Pozdrawiamy', footer: null }, 'Żabka')).toBe(false);
    expect(namesSender({ header: null, body: 'x', footer: null }, '  ')).toBe(false);
  });
});
