'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { codeText, guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import type { RuleChangeResult } from '@/lib/markets/rules';
import { addMarket, newMarketSchema, ruleSchema, updateRule } from '@/lib/markets/rules';

export type RuleActionState = ActionResult<{ message: string }, { confirm?: { moreContactable: number } }> | null;

async function outcome(run: () => Promise<RuleChangeResult>, success: string): Promise<RuleActionState> {
  const t = await getTranslations('markets');
  return guarded('market rule change', async () => {
    const result = await run();
    if (result.ok) {
      revalidatePath('/', 'layout');
      return { ok: true, message: t(success) };
    }
    if (result.error === 'confirm') {
      return {
        ok: false,
        message: t('confirmMore', { count: result.moreContactable }),
        confirm: { moreContactable: result.moreContactable },
      };
    }
    return { ok: false, message: t(`errors.${result.error}`) };
  });
}

/** Rule forms show one message: the first problem found. */
async function firstError(issues: ReadonlyArray<{ message: string }>): Promise<string> {
  return codeText(await getTranslations('markets.errors'), 'invalid')(issues[0]?.message ?? 'invalid');
}

export async function updateMarketRuleAction(_prev: RuleActionState, formData: FormData): Promise<RuleActionState> {
  const admin = await requireRole('admin');
  const parsed = ruleSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: await firstError(parsed.error.issues) };
  const confirmed = formData.get('confirm') === 'yes';
  return outcome(async () => updateRule(await getDb(), parsed.data, admin.id, confirmed), 'saved');
}

export async function addMarketAction(_prev: RuleActionState, formData: FormData): Promise<RuleActionState> {
  const admin = await requireRole('admin');
  const parsed = newMarketSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: await firstError(parsed.error.issues) };
  const confirmed = formData.get('confirm') === 'yes';
  return outcome(async () => addMarket(await getDb(), parsed.data.market, parsed.data.copyFrom, admin.id, confirmed), 'added');
}
