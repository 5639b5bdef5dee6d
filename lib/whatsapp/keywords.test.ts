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
    ['Stop promotions', 'stop'],
    ['stop \n  promotions', 'stop'],
    ['START', 'resume'],
    ['ja', 'resume'],
    ['Tak', 'resume'],
    ['oui', 'resume'],
    ['Sí', 'resume'],
    ['si', 'resume'],
  ] as const)('%j means %s', (text, intent) => {
    expect(matchKeyword(text)).toBe(intent);
  });

  it.each(['stop please', 'please stop', 'STOP IT', 'stopped', 'nie', 'where is my order?', '', '   ', 'st op', 'Startup'])('%j is no keyword', (text) => {
    expect(matchKeyword(text)).toBeNull();
  });

  it('ignores missing text', () => {
    expect(matchKeyword(undefined)).toBeNull();
    expect(matchKeyword(null)).toBeNull();
  });
});
