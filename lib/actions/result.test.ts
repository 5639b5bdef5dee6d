import { afterEach, describe, expect, it, vi } from 'vitest';
import { notFound, redirect } from 'next/navigation';
import { createTranslator } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import messages from '@/lib/i18n/messages/en.json';

// The actions read their messages through next-intl's request config; here the English catalogue stands in for it.
vi.mock('next-intl/server', () => ({
  getTranslations: async (namespace?: string) => createTranslator({ locale: 'en', messages, namespace: namespace as never }),
}));

const { codeText, fieldErrorsOf, guarded } = await import('./result');
const { logger } = await import('@/lib/log');

const GENERIC = messages.errors.genericText;
const complaintErrors = await getTranslations('complaints.errors');

const schema = z.object({
  description: z.string().trim().min(1, 'description_required'),
  channel: z.enum(['email', 'sms', 'whatsapp'], { message: 'channel_required' }),
  phone: z.string().max(5).optional(),
});

describe('fieldErrorsOf', () => {
  it('puts the translated message of each issue code under its field', () => {
    const parsed = schema.safeParse({ description: ' ', channel: 'fax' });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsOf(parsed.error!, codeText(complaintErrors, 'invalid'))).toEqual({
      description: messages.complaints.errors.description_required,
      channel: messages.complaints.errors.channel_required,
    });
  });

  it('gives an issue without a code of its own the fallback message', () => {
    const parsed = schema.safeParse({ description: 'x', channel: 'sms', phone: '+48 600 100 200' });
    expect(fieldErrorsOf(parsed.error!, codeText(complaintErrors, 'invalid'))).toEqual({ phone: messages.complaints.errors.invalid });
  });

  it('lets a form show one message for every field', () => {
    const parsed = schema.safeParse({ description: '', channel: 'fax' });
    expect(fieldErrorsOf(parsed.error!, () => 'Enter a number.')).toEqual({ description: 'Enter a number.', channel: 'Enter a number.' });
  });
});

describe('guarded', () => {
  // Outside a request the actions log through the plain logger (no request id to add).
  const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  afterEach(() => log.mockClear());

  it('answers with what the body returns, refusals included, and logs nothing', async () => {
    expect(await guarded('saving', async () => ({ ok: true, message: 'Saved.' }))).toEqual({ ok: true, message: 'Saved.' });
    expect(await guarded('saving', async () => ({ ok: false, message: 'Name taken.' }))).toEqual({ ok: false, message: 'Name taken.' });
    expect(log).not.toHaveBeenCalled();
  });

  it('turns an unexpected error into the generic message and logs it once', async () => {
    const error = Object.assign(new Error('connection terminated unexpectedly'), { code: '57P01' });
    const result = await guarded('recording consent', async () => {
      throw error;
    });
    expect(result).toEqual({ ok: false, message: GENERIC });
    expect(JSON.stringify(result)).not.toContain('connection');
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith({ err: error }, 'recording consent failed');
  });

  it('shows the message a form gives instead of the generic one', async () => {
    const result = await guarded(
      'sign-in',
      async () => {
        throw new Error('adapter down');
      },
      { message: 'Sign-in is not available right now.' },
    );
    expect(result).toEqual({ ok: false, message: 'Sign-in is not available right now.' });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('returns the refusal a domain error stands for, without logging it', async () => {
    class Refused extends Error {}
    const refused = (error: unknown) => (error instanceof Refused ? { ok: false as const, message: 'Already decided.' } : undefined);
    const result = await guarded(
      'deciding a reply',
      async () => {
        throw new Refused('already_decided');
      },
      { refused },
    );
    expect(result).toEqual({ ok: false, message: 'Already decided.' });
    expect(log).not.toHaveBeenCalled();
    expect(await guarded('deciding a reply', async () => Promise.reject(new TypeError('boom')), { refused })).toEqual({
      ok: false,
      message: GENERIC,
    });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('lets redirect() and notFound() through to Next.js, unlogged', async () => {
    const redirected = guarded('saving a message draft', async () => redirect('/messages/7'));
    await expect(redirected).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/messages\/7/) });
    await expect(guarded('opening', async () => notFound())).rejects.toMatchObject({
      digest: expect.stringContaining('NEXT_HTTP_ERROR_FALLBACK;404'),
    });
    // Also when a refusal mapper is given: control flow never reaches it.
    const refused = vi.fn(() => undefined);
    await expect(guarded('logging a complaint', async () => redirect('/complaints/3?logged=1'), { refused })).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;/),
    });
    expect(refused).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });
});
