// The confirmation mail, in the customer's language (plain text and simple HTML), and sending it for a stored request.
import { eq } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { confirmations } from '@/db/schema';
import type { Channel, Purpose } from '@/lib/consent';
import type { Mail } from '@/lib/mail/send';
import { MailNotConfigured, sendMail } from '@/lib/mail/send';
import { publicTranslator } from '@/lib/public/i18n';
import type { PublicLocale } from '@/lib/public/locale';
import { isPublicLocale } from '@/lib/public/locale';
import { logger } from '@/lib/log';
import { confirmationUrl } from './confirm';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export type ConfirmationMailInput = {
  to: string;
  locale: PublicLocale;
  shopName: string;
  link: string;
  expiresAt: Date;
  items: ReadonlyArray<{ channel: Channel; purpose: Purpose }>;
};

/** One line per channel and purpose: "E-Mail – Werbung und Angebote". */
export async function itemLabels(locale: PublicLocale, items: ReadonlyArray<{ channel: Channel; purpose: Purpose }>): Promise<string[]> {
  const t = await publicTranslator(locale, 'optIn');
  return items.map((i) => t('item', { channel: t(`channel.${i.channel}`), purpose: t(`purpose.${i.purpose}`) }));
}

export async function confirmationMail(input: ConfirmationMailInput): Promise<Mail> {
  const t = await publicTranslator(input.locale, 'optIn');
  const shop = input.shopName;
  const lines = await itemLabels(input.locale, input.items);
  const expires = t('mailExpires', { date: input.expiresAt });
  const text = [
    t('mailGreeting'),
    '',
    t('mailIntro', { shop }),
    ...lines.map((l) => `- ${l}`),
    '',
    t('mailAction'),
    input.link,
    '',
    expires,
    t('mailIgnore', { shop }),
  ].join('\n');
  const html = `<!doctype html>
<html lang="${input.locale}"><head><meta charset="utf-8"><title>${escapeHtml(t('mailSubject', { shop }))}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #0f172a; line-height: 1.5; max-width: 560px; margin: 0 auto; padding: 16px;">
<p>${escapeHtml(t('mailGreeting'))}</p>
<p>${escapeHtml(t('mailIntro', { shop }))}</p>
<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<p><a href="${escapeHtml(input.link)}" style="display: inline-block; background: #1d4ed8; color: #ffffff; padding: 10px 18px; border-radius: 6px; text-decoration: none;">${escapeHtml(t('mailButton'))}</a></p>
<p style="font-size: 13px; color: #475569;">${escapeHtml(t('mailLinkText'))}<br><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>
<p style="font-size: 13px; color: #475569;">${escapeHtml(expires)}<br>${escapeHtml(t('mailIgnore', { shop }))}</p>
</body></html>`;
  return { to: input.to, subject: t('mailSubject', { shop }), text, html };
}

export type SendOutcome = 'sent' | 'not_configured' | 'failed';

/**
 * Sends the mail of a stored confirmation request and notes on it whether it went out; never throws, so that what the
 * customer did stays recorded whatever the mail server says.
 */
export async function sendConfirmation(
  q: Queryable,
  request: {
    id: string;
    token: string;
    to: string;
    language: string;
    shopName: string;
    expiresAt: Date;
    items: ReadonlyArray<{ channel: Channel; purpose: Purpose }>;
  },
  baseUrl: string,
): Promise<SendOutcome> {
  const locale = isPublicLocale(request.language) ? request.language : 'en';
  let outcome: SendOutcome;
  let error: string | null = null;
  try {
    const mail = await confirmationMail({ ...request, locale, link: confirmationUrl(baseUrl, request.token) });
    await sendMail(mail);
    outcome = 'sent';
  } catch (e) {
    if (e instanceof MailNotConfigured) {
      outcome = 'not_configured';
      error = e.message;
    } else {
      outcome = 'failed';
      error = e instanceof Error ? e.message.slice(0, 500) : 'the mail server refused the mail';
      // The server's answer may quote the address: the log keeps its codes only.
      const { code, responseCode } = (e ?? {}) as { code?: string; responseCode?: number };
      logger.warn({ code, responseCode, confirmation: request.id }, 'confirmation mail not sent');
    }
  }
  await q
    .update(confirmations)
    .set(outcome === 'sent' ? { sentAt: new Date(), sendError: null } : { sendError: error })
    .where(eq(confirmations.id, request.id));
  return outcome;
}
