import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { suppressions } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { contactHash, suppressContact, suppressionsFor } from './index';

describe('contactHash', () => {
  it.each([
    ['email', ' Anna@Example.DE ', 'anna@example.de'],
    ['phone', '+49 151 2345-678', '+491512345678'],
  ] as const)('hashes %s %j like its normal form', (kind, raw, normal) => {
    expect(contactHash(kind, raw)).toBe(contactHash(kind, normal));
  });

  it('keeps the kinds apart and does not reveal the value', () => {
    const hash = contactHash('email', 'anna@example.de');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(contactHash('phone', 'anna@example.de'));
  });
});

describe.each(testDrivers())('suppressions on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  it('remembers a contact point once, for one channel or for all', async () => {
    const all = { kind: 'phone', value: '+491512345678', channel: null, reason: 'unknown sender', source: 'whatsapp_keyword' } as const;
    await suppressContact(h.db, all);
    await suppressContact(h.db, all);
    await suppressContact(h.db, { ...all, channel: 'whatsapp' });
    await suppressContact(h.db, { ...all, channel: 'whatsapp' });
    expect(await h.db.$count(suppressions)).toBe(2);
  });

  it('finds suppressions for a channel including those for every channel', async () => {
    await suppressContact(h.db, { kind: 'email', value: 'anna@example.de', channel: 'email', reason: 'withdrawn', source: 'complaint' });
    const phone = contactHash('phone', '+491512345678');
    const email = contactHash('email', 'ANNA@example.de');
    expect(await suppressionsFor(h.db, 'phone', [phone], 'sms')).toEqual([
      { kind: 'phone', valueHash: phone, channel: null, purpose: null },
    ]);
    expect(await suppressionsFor(h.db, 'phone', [phone], 'whatsapp')).toHaveLength(2);
    expect(await suppressionsFor(h.db, 'email', [email], 'sms')).toEqual([]);
    expect(await suppressionsFor(h.db, 'email', [email])).toHaveLength(1);
    expect(await suppressionsFor(h.db, 'email', [])).toEqual([]);
  });

  it('keeps a marketing-only suppression apart from one of every purpose, and the broader one answers for both', async () => {
    const value = '+48600123456';
    const hash = contactHash('phone', value);
    await suppressContact(h.db, {
      kind: 'phone',
      value,
      channel: 'whatsapp',
      purpose: 'marketing',
      reason: 'Stop promotions',
      source: 'whatsapp_keyword',
    });
    expect(await suppressionsFor(h.db, 'phone', [hash], 'whatsapp', 'marketing')).toEqual([
      { kind: 'phone', valueHash: hash, channel: 'whatsapp', purpose: 'marketing' },
    ]);
    expect(await suppressionsFor(h.db, 'phone', [hash], 'whatsapp', 'transactional')).toEqual([]);
    await suppressContact(h.db, { kind: 'phone', value, channel: 'whatsapp', purpose: null, reason: 'STOP', source: 'whatsapp_keyword' });
    await suppressContact(h.db, { kind: 'phone', value, channel: 'whatsapp', reason: 'STOP again', source: 'whatsapp_keyword' });
    expect(await suppressionsFor(h.db, 'phone', [hash], 'whatsapp', 'transactional')).toEqual([
      { kind: 'phone', valueHash: hash, channel: 'whatsapp', purpose: null },
    ]);
    expect(await suppressionsFor(h.db, 'phone', [hash], 'whatsapp', 'marketing')).toHaveLength(2);
    expect(await suppressionsFor(h.db, 'phone', [hash], 'sms', 'marketing')).toEqual([]);
  });
});
