import { describe, expect, it } from 'vitest';
import { marketsText, parseSendingForm } from './sending-settings';

const valid = { ratePerSecond: '60', frequencyCap: '2', quietStart: '20:00', quietEnd: '8:00', markets: '' };

describe('the campaign sending form', () => {
  it('reads numbers, clock times and one line per market', () => {
    const parsed = parseSendingForm({ ...valid, markets: 'de 21:00-07:30\n\nNL off\r\nPL: 22:00 - 06:00' });
    expect(parsed).toEqual({
      ok: true,
      value: {
        ratePerSecond: 60,
        frequencyCap: 2,
        quietHours: { start: '20:00', end: '08:00' },
        quietHoursByMarket: { DE: { start: '21:00', end: '07:30' }, NL: null, PL: { start: '22:00', end: '06:00' } },
      },
    });
    expect(marketsText(parsed.ok ? parsed.value.quietHoursByMarket : {})).toBe('DE 21:00-07:30\nNL off\nPL 22:00-06:00');
  });

  it('names every wrong field and every wrong market line, and saves nothing', () => {
    const parsed = parseSendingForm({
      ratePerSecond: '0',
      frequencyCap: '2.5',
      quietStart: '24:00',
      quietEnd: '',
      markets: 'DE 20:00-08:00\nGermany off\nDE off\nFR 20:00-25:00\nIT sometimes',
    });
    expect(parsed).toEqual({
      ok: false,
      fields: ['ratePerSecond', 'frequencyCap', 'quietStart', 'quietEnd', 'markets'],
      badLines: [2, 3, 4, 5],
    });
  });

  it('refuses a rate above 1000 and a cap above 100, and missing numbers', () => {
    expect(parseSendingForm({ ...valid, ratePerSecond: '1001', frequencyCap: '101' })).toMatchObject({
      ok: false,
      fields: ['ratePerSecond', 'frequencyCap'],
    });
    expect(parseSendingForm({ ...valid, ratePerSecond: '', frequencyCap: ' ' })).toMatchObject({
      ok: false,
      fields: ['ratePerSecond', 'frequencyCap'],
    });
  });
});
