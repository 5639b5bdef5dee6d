import { describe, expect, it } from 'vitest';
import { matchKeyword } from './keywords';

describe('matchKeyword', () => {
  it.each([
    ['STOP', 'stop'],
    ['stop', 'stop'],
    ['  Stop  ', 'stop'],
    ['Stop!', 'stop'],
    ['STOPP', 'stop'],
    ['unsubscribe', 'stop'],
    ['Abmelden', 'stop'],
    ['abbestellen', 'stop'],
    ['Rezygnuj', 'stop'],
    ['wypisz', 'stop'],
    ['Stopper', 'stop'],
    ['Arrêt', 'stop'],
    ['ARRÊT', 'stop'],
    ['désabonner', 'stop'],
    ['Baja', 'stop'],
    ['Rezygnuję', 'stop'],
    ['Wypisz mnie', 'stop'],
    ['STOP ALL', 'stop'],
    ['Stop promotions', 'stop_marketing'],
    ['stop \n  promotions', 'stop_marketing'],
    ['START', 'resume'],
  ] as const)('%j means %s', (text, intent) => {
    expect(matchKeyword(text)).toBe(intent);
  });

  // Yes-words answer some question; they are never consent (PRODUCT.md).
  it.each(['ja', 'Tak', 'oui', 'Sí', 'si', 'YES'])('%j is no resume keyword', (text) => {
    expect(matchKeyword(text)).toBeNull();
  });

  it.each(['stop please', 'please stop', 'STOP IT', 'stopped', 'nie', 'where is my order?', '', '   ', 'st op', 'Startup'])(
    '%j is no keyword',
    (text) => {
      expect(matchKeyword(text)).toBeNull();
    },
  );

  it('ignores missing text', () => {
    expect(matchKeyword(undefined)).toBeNull();
    expect(matchKeyword(null)).toBeNull();
  });
});
