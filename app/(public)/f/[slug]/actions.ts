'use server';

import { headers } from 'next/headers';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { rateLimit } from '@/lib/http/rate-limit';
import { requestLogger } from '@/lib/log';
import { mailSettings } from '@/lib/mail/send';
import { formBySlug } from '@/lib/opt-in/forms';
import { sendConfirmation } from '@/lib/opt-in/mail';
import { doubleOptInExpected, submitForm } from '@/lib/opt-in/submit';
import { publicTranslator } from '@/lib/public/i18n';
import { isPublicLocale } from '@/lib/public/locale';
import { LINK_BASE_PROBLEM, linkBase } from '@/lib/preferences/links';

export type OptInFormState =
  | { ok: true; title: string; message: string }
  | { ok: false; message: string; fieldErrors: Partial<Record<'email' | 'phone' | 'boxes', string>>; values: OptInValues }
  | null;

/** What the visitor entered, given back with an error so that the form shows it again instead of an empty form. */
export type OptInValues = { email: string; phone: string; ticked: string[] };

// Per address: a form that mails a link must not become a way to flood someone's inbox.
const PER_IP = { limit: 20, windowSeconds: 600 };
const PER_ADDRESS = { limit: 3, windowSeconds: 3600 };

/**
 * A visitor's submission of a hosted form. Public: no session. Next.js refuses a server action whose Origin is not this
 * site, which also holds inside a shop's iframe (the framed page is ours, so is its origin); each IP and each address
 * may submit a few times only.
 */
export async function submitOptInAction(slug: string, _prev: OptInFormState, formData: FormData): Promise<OptInFormState> {
  const h = await headers();
  const ip = clientIp(h);
  const db = await getDb();
  const found = await formBySlug(db, String(slug));
  const locale = found && isPublicLocale(found.version.language) ? found.version.language : 'en';
  const [t, common] = await Promise.all([publicTranslator(locale, 'optIn'), publicTranslator(locale, 'public')]);
  const values: OptInValues = {
    email: String(formData.get('email') ?? '').slice(0, 320),
    phone: String(formData.get('phone') ?? '').slice(0, 40),
    ticked: formData.getAll('box').map(String),
  };
  const { email } = values;
  if (!rateLimit('opt-in-form', ip, PER_IP).ok || (email && !rateLimit('opt-in-address', email.trim().toLowerCase(), PER_ADDRESS).ok)) {
    return { ok: false, message: common('rateLimited'), fieldErrors: {}, values };
  }
  if (!found) return { ok: false, message: common('notFound'), fieldErrors: {}, values };
  try {
    const result = await submitForm(db, found, values, { ip, userAgent: h.get('user-agent') });
    if (!result.ok) {
      const { form, ...fields } = result.problems;
      if (form) return { ok: false, message: t('closed'), fieldErrors: {}, values };
      const fieldErrors = Object.fromEntries(Object.entries(fields).map(([field, code]) => [field, t(camel(code))]));
      const message = fields.boxes && Object.keys(fields).length === 1 ? t('nothingTicked') : t('fix');
      return { ok: false, message, fieldErrors, values };
    }
    // Without the public address the link would reach no one: the grant stays pending, and the operator's log says why.
    const links = linkBase(process.env, h);
    if (result.confirmation && !links.ok)
      (await requestLogger()).error({ form: found.form.id }, `confirmation mail not sent: ${LINK_BASE_PROBLEM[links.reason]}`);
    if (result.confirmation && links.ok) await sendConfirmation(db, result.confirmation, links.base);
    // What the page says depends on the form and whether a mail server is set up, never on what the address had before
    // (a mail the server refused is for the shop to see, on the customer's page).
    const message = !(await doubleOptInExpected(db, found))
      ? t('doneSaved')
      : mailSettings() && links.ok
        ? t('doneConfirm')
        : t('doneNoMail');
    return { ok: true, title: t('doneTitle'), message };
  } catch (error) {
    (await requestLogger()).error({ err: error, form: found.form.id }, 'opt-in form submission failed');
    return { ok: false, message: common('serverError'), fieldErrors: {}, values };
  }
}

const camel = (code: string) => code.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
