// A submission of a hosted opt-in form: finds or creates the customer by e-mail, records a grant per ticked box with
// the form version and the words shown, and asks for confirmation by e-mail where the market's rule (or the form) wants
// double opt-in. What it answers the visitor never tells whether the address was known.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import type { ConfirmationItem, ConsentEvidence, OptInBox } from '@/db/schema';
import { customers } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { Channel, Purpose } from '@/lib/consent';
import { resolvePolicy } from '@/lib/consent';
import { loadPolicies } from '@/lib/consent-store/policies';
import type { RecordConsentInput } from '@/lib/consent-store/record';
import { refusalOf, writeConsentEvents } from '@/lib/consent-store/record';
import { readEmail, readPhone } from '@/lib/import/values';
import { CHANNELS_OF, applySuppressionsTo } from '@/lib/suppressions/contact-point';
import type { IssuedConfirmation } from './confirm';
import { createConfirmation } from './confirm';
import type { FormWithVersion } from './forms';

export const WEB_FORM_SOURCE = 'web_form';

/** The form field of a box: `email.marketing`. */
export const boxKey = (box: { channel: Channel; purpose: Purpose }) => `${box.channel}.${box.purpose}`;

export const needsPhone = (boxes: readonly { channel: Channel }[]) => boxes.some((b) => CHANNELS_OF.phone.includes(b.channel));

export type SubmissionInput = { email: string; phone: string; ticked: readonly string[] };
export type SubmissionRequest = { ip: string; userAgent: string | null };

export type PendingConfirmation = IssuedConfirmation & { to: string; language: string; shopName: string; items: ConfirmationItem[] };

export type SubmissionProblem = 'nothing_ticked' | 'email_invalid' | 'phone_invalid' | 'phone_required' | 'form_closed';

export type SubmissionResult =
  | { ok: true; customerId: number; recorded: number; confirmation: PendingConfirmation | null }
  | { ok: false; problems: Partial<Record<'form' | 'email' | 'phone' | 'boxes', SubmissionProblem>> };

/** What the visitor sent, read as the import reads contact data; problems for each field that is not right. */
export function readSubmission(
  { form, version }: FormWithVersion,
  input: SubmissionInput,
): { ok: true; email: string; phone: string | null; boxes: OptInBox[] } | Extract<SubmissionResult, { ok: false }> {
  const problems: Extract<SubmissionResult, { ok: false }>['problems'] = {};
  if (!form.active) return { ok: false, problems: { form: 'form_closed' } };
  // Only boxes the version shows count: a forged field names nothing the customer read.
  const boxes = version.boxes.filter((b) => input.ticked.includes(boxKey(b)));
  if (boxes.length === 0) problems.boxes = 'nothing_ticked';
  const email = readEmail(input.email);
  if (!email) problems.email = 'email_invalid';
  const phoneText = input.phone.trim();
  const phone = phoneText ? readPhone(phoneText, form.market) : null;
  if (phoneText && !phone) problems.phone = 'phone_invalid';
  else if (!phone && needsPhone(boxes)) problems.phone = 'phone_required';
  if (Object.keys(problems).length > 0 || !email) return { ok: false, problems };
  return { ok: true, email, phone, boxes };
}

/** Whether a submission of this form asks for confirmation by e-mail, judged by the form and its market alone. */
export async function doubleOptInExpected(db: Queryable, { form, version }: FormWithVersion): Promise<boolean> {
  if (form.alwaysDoubleOptIn) return true;
  const policies = await loadPolicies(db);
  return version.boxes.some((b) => resolvePolicy(policies, form.market, b.channel, b.purpose)?.doubleOptInRequired ?? true);
}

/**
 * Records a submission in one transaction: the customer (found by e-mail, or created in the form's market), a grant
 * per ticked box, and a confirmation request for the grants that wait for double opt-in. Sending the mail is the
 * caller's, after the commit.
 */
export async function submitForm(
  db: Db,
  formWithVersion: FormWithVersion,
  input: SubmissionInput,
  request: SubmissionRequest,
  now: Date = new Date(),
): Promise<SubmissionResult> {
  const read = readSubmission(formWithVersion, input);
  if (!read.ok) return read;
  const { form, version } = formWithVersion;
  const { email, phone, boxes } = read;
  return db.transaction(async (tx) => {
    // Two submissions of one address at once would otherwise both create a customer.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`zgoda.opt-in:${email}`}))`);
    const [known] = await tx
      .select({ id: customers.id, phone: customers.phone, market: customers.market, language: customers.language })
      .from(customers)
      .where(and(eq(customers.email, email), isNull(customers.erasedAt)))
      .orderBy(asc(customers.id))
      .limit(1);
    let customer = known;
    let recordPhone = true;
    // A record that gets a contact point withdrawn or erased before starts withdrawn: the suppression's withdrawal comes
    // first in its ledger, dated when the contact point was suppressed, and the grants of this submission after it.
    let newContactPoint = false;
    if (!customer) {
      [customer] = await tx
        .insert(customers)
        .values({ email, phone, market: form.market, language: version.language, source: WEB_FORM_SOURCE })
        .returning({ id: customers.id, phone: customers.phone, market: customers.market, language: customers.language });
      await writeAudit(tx, {
        actorId: null,
        action: 'customer.create',
        entity: 'customer',
        entityId: customer!.id,
        after: { source: WEB_FORM_SOURCE, formVersionId: version.id, market: form.market },
      });
      newContactPoint = true;
    } else if (phone && customer.phone !== phone) {
      if (customer.phone) {
        // Someone who knows the address must not change the number on file: the boxes for phone channels would then be
        // consent for a number the customer never gave. They are not recorded, and the audit says so.
        recordPhone = false;
        await writeAudit(tx, {
          actorId: null,
          action: 'opt_in_form.phone_differs',
          entity: 'customer',
          entityId: customer.id,
          after: { formVersionId: version.id, skipped: boxes.filter((b) => CHANNELS_OF.phone.includes(b.channel)).map(boxKey) },
        });
      } else {
        await tx.update(customers).set({ phone, updatedAt: now }).where(eq(customers.id, customer.id));
        await writeAudit(tx, {
          actorId: null,
          action: 'customer.update',
          entity: 'customer',
          entityId: customer.id,
          after: { phone: 'added', source: WEB_FORM_SOURCE, formVersionId: version.id },
        });
        newContactPoint = true;
      }
    }
    const target = customer!;
    if (newContactPoint) await applySuppressionsTo(tx, [target.id]);
    const policies = await loadPolicies(tx);
    const recorded = boxes.filter((b) => recordPhone || !CHANNELS_OF.phone.includes(b.channel));
    const inputs = recorded.map((box): RecordConsentInput => {
      const policy = resolvePolicy(policies, target.market, box.channel, box.purpose);
      // A market without rules gets the stricter path: confirmation asked for.
      const doubleOptIn = form.alwaysDoubleOptIn || !policy || policy.doubleOptInRequired;
      const evidence: ConsentEvidence = {
        wording: box.wording,
        formVersion: `${form.slug} v${version.version}`,
        formVersionId: version.id,
        ip: request.ip,
        ...(request.userAgent ? { userAgent: request.userAgent.slice(0, 500) } : {}),
        ...(doubleOptIn ? { doubleOptIn: true } : {}),
      };
      return {
        customerId: target.id,
        channel: box.channel,
        purpose: box.purpose,
        kind: 'granted',
        occurredAt: now,
        source: WEB_FORM_SOURCE,
        evidence,
      };
    });
    for (const i of inputs) {
      const refused = refusalOf(i, now);
      if (refused) throw new Error(`a form grant was refused: ${refused.code}`);
    }
    const { events } = await writeConsentEvents(tx, inputs, null);
    const pending = inputs.filter((_, i) => events[i]?.state.status === 'pending_confirmation');
    await writeAudit(tx, {
      actorId: null,
      action: 'opt_in_form.submit',
      entity: 'customer',
      entityId: target.id,
      after: { formId: form.id, formVersionId: version.id, granted: inputs.map(boxKey), pending: pending.map(boxKey) },
    });
    if (pending.length === 0) return { ok: true, customerId: target.id, recorded: inputs.length, confirmation: null };
    const asked = {
      customerId: target.id,
      items: pending.map((p) => ({ channel: p.channel, purpose: p.purpose, grantedAt: now.toISOString() })),
      shopName: version.shopName,
      language: version.language,
      formVersionId: version.id,
    };
    const issued = await createConfirmation(tx, asked, now);
    return { ok: true, customerId: target.id, recorded: inputs.length, confirmation: { ...asked, ...issued, to: email } };
  });
}
