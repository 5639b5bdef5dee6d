import { afterAll, describe, expect, it } from 'vitest';
import type { ReplyClass } from './classify';
import { classifyReply } from './classify';

// Replies as customers of Polish, German, French, Spanish, Italian and British shops write them.
const CORPUS: ReadonlyArray<readonly [text: string, expected: ReplyClass]> = [
  // Exact keywords and the forms people really write.
  ['STOP', 'stop'],
  ['Stop!!', 'stop'],
  ['stop 🙏', 'stop'],
  ['STOP.', 'stop'],
  ['  sTop  ', 'stop'],
  ['Rezygnuję', 'stop'],
  ['rezygnuje', 'stop'],
  ['REZYGNUJ', 'stop'],
  ['Wypisz mnie', 'stop'],
  ['wypisz', 'stop'],
  ['Wypisuję się.', 'stop'],
  ['Odsubskrybuj', 'stop'],
  ['STOPP', 'stop'],
  ['Abmelden', 'stop'],
  ['abmelden bitte', 'stop'],
  ['Bitte abmelden!', 'stop'],
  ['Abbestellen', 'stop'],
  ['Austragen', 'stop'],
  ['STOP bitte', 'stop'],
  ['bitte STOP', 'stop'],
  ['Stop, danke', 'stop'],
  ['UNSUBSCRIBE', 'stop'],
  ['Unsubscribe please', 'stop'],
  ['please stop', 'stop'],
  ['STOP ALL', 'stop'],
  ['Opt-out', 'stop'],
  ['OPTOUT', 'stop'],
  ['Quit', 'stop'],
  ['Arrêt', 'stop'],
  ['ARRET', 'stop'],
  ['Stopper', 'stop'],
  ['Désabonner', 'stop'],
  ['désinscription', 'stop'],
  ['Stop merci', 'stop'],
  ['Baja', 'stop'],
  ['Darme de baja', 'stop'],
  ['BAJA por favor', 'stop'],
  ['Parar', 'stop'],
  ['Basta', 'stop'],
  ['Cancellami', 'stop'],
  ['Disiscrivimi', 'stop'],
  ['Afmelden', 'stop'],
  ['proszę STOP', 'stop'],
  ['STOP STOP STOP!!!', 'stop'],
  ['STOPPP', 'stop'],
  ['Abmeldennn', 'stop'],
  ['Stooop!', 'stop'],
  // Meta's marketing-only control and its localised labels.
  ['Stop promotions', 'stop_marketing'],
  ['Werbung stoppen', 'stop_marketing'],
  ['Zatrzymaj promocje', 'stop_marketing'],
  ['Arrêter les promotions', 'stop_marketing'],
  ['Detener promociones', 'stop_marketing'],
  ['Interrompi promozioni', 'stop_marketing'],
  // Re-subscribe: START only.
  ['START', 'resume'],
  ['start', 'resume'],
  ['Start!', 'resume'],
  // Objections that are not an exact keyword: a person decides.
  ['Nie piszcie do mnie więcej', 'review'],
  ['Proszę nie pisać do mnie na WhatsApp', 'review'],
  ['Usuń mój numer z bazy', 'review'],
  ['Skąd macie mój numer?', 'review'],
  ['Zgłoszę to do UODO, RODO się kłania', 'review'],
  ['To jest spam', 'review'],
  ['Nie chcę', 'review'],
  ['Przestańcie mi wysyłać reklamy', 'review'],
  ['Bitte keine Werbung mehr', 'review'],
  ['Bitte nicht mehr schreiben', 'review'],
  ['Sie sollen mich nicht mehr kontaktieren!', 'review'],
  ['Woher haben Sie meine Nummer?', 'review'],
  ['Das ist ein Verstoß gegen den Datenschutz', 'review'],
  ['Mein Anwalt wird sich melden', 'review'],
  ['Sie bekommen eine Abmahnung', 'review'],
  ['Stopp! Ich will das nicht', 'review'],
  ['Kündigen', 'review'],
  ['Please stop messaging me', 'review'],
  ['Remove my number', 'review'],
  ['How did you get my number?', 'review'],
  ["Don't contact me again", 'review'],
  ['Leave me alone', 'review'],
  ['I will report you for spam', 'review'],
  ['STOP IT', 'review'],
  ['Cancel', 'review'],
  ['I want to unsubscribe from these messages', 'review'],
  ['No, stop sending me this', 'review'],
  ['Je ne veux plus recevoir vos messages', 'review'],
  ['Comment me désinscrire ?', 'review'],
  ["D'où avez-vous mon numéro ?", 'review'],
  ['Arrêtez de m’écrire svp', 'review'],
  ['No me escriban más', 'review'],
  ['Dejen de escribirme por favor', 'review'],
  ['¿De dónde sacaron mi número?', 'review'],
  ['Non scrivetemi più', 'review'],
  ['Cancellate il mio numero', 'review'],
  ['Dove avete preso il mio numero?', 'review'],
  ['Proszę o wypisanie z listy', 'review'],
  ['nie interesuje mnie to', 'review'],
  ['Nicht mehr senden bitte', 'review'],
  ['Kein Interesse', 'review'],
  ['Hör auf mir zu schreiben', 'review'],
  ['Ich habe nichts bestellt', 'review'],
  ['Pas intéressé', 'review'],
  ['Who is this?', 'review'],
  ['I never ordered anything from you', 'review'],
  ['No me interesa', 'review'],
  // Innocent replies: never a withdrawal, never a review.
  ['Tak, paczka doszła', 'none'],
  ['Tak', 'none'],
  ['TAK!', 'none'],
  ['Dziękuję, wszystko ok', 'none'],
  ['Kiedy przyjdzie moja paczka?', 'none'],
  ['Nie, nie było mnie w domu', 'none'],
  ['Danke!', 'none'],
  ['Ja', 'none'],
  ['Ja bitte', 'none'],
  ['Wann kommt mein Paket?', 'none'],
  ['Stoppt die Lieferung?', 'none'],
  ['Bitte nicht stoppen, ich warte auf die Lieferung', 'none'],
  ['Please don’t stop sending me order updates', 'none'],
  ['Please do not stop the updates', 'none'],
  ['Yes', 'none'],
  ['Thanks, got it', 'none'],
  ['Can you stop the delivery? I am away', 'none'],
  ['Oui', 'none'],
  ['Merci beaucoup', 'none'],
  ['Où est ma commande ?', 'none'],
  ['Sí', 'none'],
  ['Gracias', 'none'],
  ['¿Cuándo llega mi pedido?', 'none'],
  ['Grazie mille', 'none'],
  ['Si', 'none'],
  ['Startup', 'none'],
  ['START please', 'none'],
  ['Start start', 'none'],

  ['👍', 'none'],
  ['', 'none'],
];

const CLASSES: readonly ReplyClass[] = ['stop', 'stop_marketing', 'resume', 'review', 'none'];
const confusion = new Map<string, number>();

describe('classifyReply', () => {
  it('has a corpus of at least 80 replies', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(CORPUS)('%j is %s', (text, expected) => {
    const got = classifyReply(text).kind;
    confusion.set(`${expected}>${got}`, (confusion.get(`${expected}>${got}`) ?? 0) + 1);
    expect(got).toBe(expected);
  });

  it('names the words that made a reply a review, as the customer wrote them', () => {
    expect(classifyReply('Nie piszcie do mnie więcej')).toEqual({ kind: 'review', cue: 'Nie piszcie' });
    expect(classifyReply('Bitte keine Werbung mehr')).toEqual({ kind: 'review', cue: 'keine Werbung' });
    expect(classifyReply("Arrêtez de m'écrire svp 🙏")).toEqual({ kind: 'review', cue: "Arrêtez de m'écrire" });
    expect(classifyReply('¿De dónde sacaron mi número?')).toEqual({ kind: 'review', cue: 'De dónde sacaron mi número' });
    expect(classifyReply('  Cancel ')).toEqual({ kind: 'review', cue: 'Cancel' });
  });

  it('reads nothing into missing text', () => {
    expect(classifyReply(undefined)).toEqual({ kind: 'none' });
    expect(classifyReply(null)).toEqual({ kind: 'none' });
  });

  afterAll(() => {
    // The confusion table of the corpus (rows: expected, columns: classified), for the closing note.
    const pad = (s: string | number) => String(s).padStart(15);
    const lines = [['expected \\ got', ...CLASSES].map(pad).join('')];
    for (const expected of CLASSES) lines.push([expected, ...CLASSES.map((got) => confusion.get(`${expected}>${got}`) ?? 0)].map(pad).join(''));
    if (process.env.PRINT_CONFUSION) console.log(`Reply classifier on ${CORPUS.length} replies:\n${lines.join('\n')}`);
  });
});
