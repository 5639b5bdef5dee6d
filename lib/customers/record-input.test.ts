import { describe, expect, it } from 'vitest';
import { recordConsentSchema } from './record-input';

const base = { customerId: '12', channel: 'whatsapp', purpose: 'marketing', occurredAt: '2026-11-20T10:00', source: 'support_call' };

describe('recording consent by hand', () => {
  it.each([
    ['a grant with wording', { ...base, kind: 'granted', wording: 'Yes to WhatsApp offers' }, null],
    ['a grant with only a proof reference', { ...base, kind: 'granted', proofReference: 'call 2026-11-20 #41' }, null],
    ['a grant without any evidence', { ...base, kind: 'granted' }, 'evidence_required'],
    ['a withdrawal with a reason', { ...base, kind: 'withdrawn', reason: 'Asked on the phone' }, null],
    ['a withdrawal of all purposes', { ...base, kind: 'withdrawn', purpose: 'all', reason: 'No WhatsApp at all' }, null],
    ['a withdrawal without a reason', { ...base, kind: 'withdrawn' }, 'reason_required'],
    ['a grant for all purposes at once', { ...base, kind: 'granted', purpose: 'all', wording: 'x' }, 'purpose_required'],
    ['no date', { ...base, kind: 'confirmed', occurredAt: ' ' }, 'occurred_required'],
    ['no kind chosen', { ...base }, 'kind_required'],
    ['an unknown source', { ...base, kind: 'confirmed', source: 'rumour' }, 'source_required'],
  ])('%s', (_rule, input, error) => {
    const result = recordConsentSchema.safeParse(input);
    expect(result.success ? null : result.error.issues[0]?.message).toBe(error);
  });
});
