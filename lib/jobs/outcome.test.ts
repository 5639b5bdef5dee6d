import { describe, expect, it } from 'vitest';
import { writeOutcome } from './outcome';

describe('writeOutcome', () => {
  it('writes again while the database is away, and stops once a write succeeds', async () => {
    let calls = 0;
    await writeOutcome(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
      { forMs: 1_000, everyMs: 10 },
    );
    expect(calls).toBe(3);
  });

  it('gives up after its time with the last error, leaving the rest to the job’s expiry', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error(`refused ${calls}`);
    };
    await expect(writeOutcome(failing, { forMs: 50, everyMs: 20 })).rejects.toThrow(/^refused [2-4]$/);
    expect(calls).toBeGreaterThan(1);
  });
});
