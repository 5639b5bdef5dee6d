// The approval workflow of a draft: draft -> submitted -> approved or rejected -> exported. Pure, so every rule is a
// table row in the test; the actions apply it inside a transaction.
import type { Role } from '@/lib/auth/roles';
import type { DraftStatus } from './input';

export const STEPS = ['edit', 'submit', 'approve', 'reject', 'export'] as const;
export type Step = (typeof STEPS)[number];

/** Who may take each step: sellers draft and export, managers review, admins do both. */
export const STEP_ROLES: Record<Step, readonly Role[]> = {
  edit: ['admin', 'seller'],
  submit: ['admin', 'seller'],
  approve: ['admin', 'manager'],
  reject: ['admin', 'manager'],
  export: ['admin', 'seller'],
};

const FROM: Record<Step, readonly DraftStatus[]> = {
  // Editing a submitted, approved or rejected draft sends it back to draft: what was reviewed is no longer what is there.
  edit: ['draft', 'submitted', 'approved', 'rejected'],
  submit: ['draft', 'rejected'],
  approve: ['submitted'],
  reject: ['submitted'],
  export: ['approved'],
};

const TO: Record<Step, DraftStatus> = { edit: 'draft', submit: 'submitted', approve: 'approved', reject: 'rejected', export: 'exported' };

export type Refusal = 'role' | 'status' | 'own_draft' | 'checks';
export type StepResult = { ok: true; next: DraftStatus } | { ok: false; refusal: Refusal };

export type StepContext = {
  draft: { status: DraftStatus; category: 'transactional' | 'marketing'; authorId: number };
  user: { id: number; role: Role };
  /** The draft passes every check (template limits, linter, way out, sender). */
  checksPass: boolean;
};

export function takeStep(step: Step, { draft, user, checksPass }: StepContext): StepResult {
  if (!STEP_ROLES[step].includes(user.role)) return { ok: false, refusal: 'role' };
  if (!FROM[step].includes(draft.status)) return { ok: false, refusal: 'status' };
  if (step === 'approve' && draft.category === 'marketing' && draft.authorId === user.id) return { ok: false, refusal: 'own_draft' };
  if (step !== 'edit' && step !== 'reject' && !checksPass) return { ok: false, refusal: 'checks' };
  return { ok: true, next: TO[step] };
}

/** The steps a user can take on a draft now, for the buttons the page shows (the actions check again). */
export function availableSteps(ctx: StepContext): Step[] {
  return STEPS.filter((s) => takeStep(s, ctx).ok);
}
