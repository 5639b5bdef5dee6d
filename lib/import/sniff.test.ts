import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeWindows } from './fixtures';
import { detectDelimiter, detectEncoding, notCsv } from './sniff';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('what a file is', () => {
  it.each([
    ['an empty file', bytes(), 'empty'],
    ['an .xlsx renamed .csv', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00), 'spreadsheet'],
    ['an .xls renamed .csv', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0), 'spreadsheet'],
    ['a file with NUL bytes', bytes(0x61, 0x00, 0x62), 'binary'],
    ['a plain CSV', utf8('email;market\nanna@example.pl;PL\n'), null],
    ['a CSV with tabs and CRLF', utf8('a\tb\r\n1\t2\r\n'), null],
  ])('%s', (_rule, sample, expected) => {
    expect(notCsv(sample)).toBe(expected);
  });
});

describe('encoding', () => {
  it.each([
    ['UTF-8 with BOM', bytes(0xef, 0xbb, 0xbf, ...utf8('Łódź')), 'utf-8'],
    ['UTF-8 without BOM', utf8('Zażółć gęślą jaźń;Müller'), 'utf-8'],
    ['plain ASCII', utf8('email,market'), 'utf-8'],
    ['Windows-1250 Polish (ś ą ź)', bytes(0x9c, 0x6c, 0xb9, 0x73, 0x6b, 0x9f), 'windows-1250'],
    ['ISO-8859-2 Polish (ś ą ź)', bytes(0xb6, 0x6c, 0xb1, 0x73, 0x6b, 0xbc), 'iso-8859-2'],
    ['Windows-1250 German (ü ß)', bytes(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0xdf), 'windows-1250'],
  ])('%s', (_rule, sample, expected) => {
    expect(detectEncoding(sample)).toBe(expected);
  });

  // Whole lines as Excel writes them on Polish, German, French, Spanish and Italian Windows.
  it.each([
    ['Polish', 'Imię;Nazwisko;Miejscowość\nŁukasz;Żółkiewski;Łódź\nZofia;Wiśniewska;Gdańsk', 'windows-1250'],
    ['Polish without ś ź ą', 'Imie;Nazwisko\nMałgorzata;Kołodziej\nŁucja;Kędzierska', 'windows-1250'],
    ['German', 'Vorname;Nachname;Straße\nJörg;Weiß;Hauptstraße 5\nSabine;Schröder;Am Bächle 2', 'windows-1250'],
    ['Czech', 'Jméno;Příjmení;Město\nJiří;Dvořák;Brno\nPetr;Černý;Ústí nad Labem', 'windows-1250'],
    [
      'French',
      'Prénom;Nom;Ville\nHélène;Lefèvre;Besançon\nFrançois;Mérieux;Orléans\nAimé;Dupré;Angoulême\nÈve;Després;Saint-Étienne à côté',
      'windows-1252',
    ],
    ['French with è only', 'Prénom;Nom\nAgnès;Lefèvre\nJérôme;Barthès', 'windows-1252'],
    ['Spanish', 'Nombre;Apellidos;Ciudad\nJosé;Muñoz Peña;La Coruña\n¿Acepta?;sí;Cádiz', 'windows-1252'],
    ['Italian', 'Nome;Cognome;Città\nNiccolò;Sforza;Forlì\nLucía;Però;Cantù', 'windows-1252'],
  ] as const)('%s', (_language, text, page) => {
    expect(detectEncoding(encodeWindows(text, page))).toBe(page);
  });

  it('reads a UTF-8 sample cut inside a character as UTF-8', () => {
    const sample = utf8('Łódź');
    expect(detectEncoding(sample.subarray(0, sample.length - 1), true)).toBe('utf-8');
  });

  it('does not mistake a single-byte file whose sample ends in a Polish letter for UTF-8', () => {
    expect(detectEncoding(bytes(0x6b, 0x6f, 0x9c), true)).toBe('windows-1250');
  });
});

describe('delimiter', () => {
  it.each([
    ['commas', 'email,first_name,market\na@b.pl,Anna,PL\n', ','],
    ['semicolons from German or Polish Excel', 'E-Mail;Vorname;Markt\na@b.de;Jürgen;DE\n', ';'],
    ['tabs', 'email\tmarket\na@b.pl\tPL\n', '\t'],
    ['semicolons with commas inside quotes', 'name;note\n"Nowak, Anna";"a, b, c"\n', ';'],
    ['commas with a quoted line break', 'name,note\n"Anna","line one\nline two"\n', ','],
  ])('%s', (_rule, text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});

describe('arbitrary bytes', () => {
  it('never crash the sniffers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (sample) => {
        notCsv(sample);
        const encoding = detectEncoding(sample);
        detectDelimiter(new TextDecoder(encoding).decode(sample));
      }),
      { numRuns: 300 },
    );
  });
});
