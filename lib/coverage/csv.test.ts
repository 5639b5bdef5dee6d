import { describe, expect, it } from 'vitest';
import { coverageCsv } from './csv';

describe('coverage CSV', () => {
  it('writes a header and one sorted line per cell', () => {
    const csv = coverageCsv([
      { market: 'PL', channel: 'sms', purpose: 'marketing', total: 3, granted: 1, pending: 0, withdrawn: 1, unknown: 1, allowed: 1 },
      { market: 'DE', channel: 'email', purpose: 'marketing', total: 0, granted: 0, pending: 0, withdrawn: 0, unknown: 0, allowed: 0 },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'market,channel,purpose,customers,granted,pending_confirmation,withdrawn,unknown,allowed,allowed_share',
      'DE,email,marketing,0,0,0,0,0,0,',
      'PL,sms,marketing,3,1,0,1,1,1,0.3333',
      '',
    ]);
  });
});
