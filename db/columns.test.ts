import { describe, expect, it } from 'vitest';
import { columnList } from './columns';
import { consentEvents, consentIntervals, consentState } from './schema';

describe('columnList', () => {
  it('lists the columns a row is written with, in schema order, without identity columns', () => {
    expect(columnList(consentIntervals).names).toEqual([
      'customer_id',
      'channel',
      'purpose',
      'valid_from',
      'valid_to',
      'status',
      'confirmed',
      'given_month',
      'own_channel',
    ]);
  });

  it('leaves out the columns named in omit, and lists those in pick in its order', () => {
    expect(columnList(consentEvents, { omit: ['recordedAt', 'evidence'] }).names).toEqual([
      'customer_id',
      'channel',
      'purpose',
      'kind',
      'occurred_at',
      'source',
      'recorded_by',
      'idempotency_key',
    ]);
    expect(columnList(consentEvents, { pick: ['kind', 'id'] }).names).toEqual(['kind', 'id']);
  });

  it('gives each column its SQL type, enums by name', () => {
    expect(columnList(consentEvents, { pick: ['id', 'channel', 'kind', 'occurredAt', 'recordedBy', 'evidence'] }).definitions).toBe(
      'id bigint, channel channel, kind consent_event_kind, occurred_at timestamp with time zone, recorded_by integer, evidence jsonb',
    );
  });

  it.each([
    ['a value given', { ownChannel: true }, true],
    ['a value left out, with a default value', {}, false],
  ])('fills in %s', (_name, row, ownChannel) => {
    const intervals = columnList(consentIntervals, { pick: ['customerId', 'ownChannel'] });
    const interval = {
      customerId: 7,
      channel: 'email',
      purpose: 'marketing',
      validFrom: new Date(0),
      status: 'granted',
      confirmed: false,
      ...row,
    } as const;
    expect(intervals.values(interval)).toEqual([7, ownChannel]);
    expect(intervals.record(interval)).toEqual({ customer_id: 7, own_channel: ownChannel });
  });

  it('leaves a value out where the default is SQL (now()): the statement decides', () => {
    const state = {
      customerId: 7,
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      lastEventId: 1,
      lastOccurredAt: new Date(0),
      source: 'form',
    } as const;
    expect(columnList(consentState, { pick: ['updatedAt'] }).values(state)).toEqual([undefined]);
  });
});
