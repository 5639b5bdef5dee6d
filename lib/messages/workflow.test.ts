import { describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { DraftStatus } from './input';
import type { Step, StepResult } from './workflow';
import { availableSteps, takeStep } from './workflow';

const AUTHOR = 1;
type Row = [
  step: Step,
  status: DraftStatus,
  category: 'transactional' | 'marketing',
  role: Role,
  userId: number,
  checksPass: boolean,
  expected: StepResult,
];

const ok = (next: DraftStatus): StepResult => ({ ok: true, next });
const no = (refusal: 'role' | 'status' | 'own_draft' | 'checks'): StepResult => ({ ok: false, refusal });

const ROWS: Row[] = [
  ['edit', 'draft', 'marketing', 'seller', AUTHOR, false, ok('draft')],
  ['edit', 'approved', 'marketing', 'seller', AUTHOR, true, ok('draft')],
  ['edit', 'submitted', 'transactional', 'admin', 2, true, ok('draft')],
  ['edit', 'rejected', 'marketing', 'seller', AUTHOR, true, ok('draft')],
  ['edit', 'exported', 'marketing', 'seller', AUTHOR, true, no('status')],
  ['edit', 'draft', 'marketing', 'manager', 2, true, no('role')],
  ['edit', 'draft', 'marketing', 'support', 2, true, no('role')],
  ['submit', 'draft', 'transactional', 'seller', AUTHOR, true, ok('submitted')],
  ['submit', 'rejected', 'marketing', 'seller', AUTHOR, true, ok('submitted')],
  ['submit', 'draft', 'transactional', 'seller', AUTHOR, false, no('checks')],
  ['submit', 'approved', 'marketing', 'seller', AUTHOR, true, no('status')],
  ['submit', 'draft', 'marketing', 'manager', 2, true, no('role')],
  ['approve', 'submitted', 'marketing', 'manager', 2, true, ok('approved')],
  ['approve', 'submitted', 'marketing', 'admin', 2, true, ok('approved')],
  ['approve', 'submitted', 'marketing', 'admin', AUTHOR, true, no('own_draft')],
  ['approve', 'submitted', 'transactional', 'admin', AUTHOR, true, ok('approved')],
  ['approve', 'submitted', 'transactional', 'manager', 2, false, no('checks')],
  ['approve', 'submitted', 'marketing', 'seller', 2, true, no('role')],
  ['approve', 'draft', 'marketing', 'manager', 2, true, no('status')],
  ['reject', 'submitted', 'marketing', 'manager', 2, false, ok('rejected')],
  ['reject', 'submitted', 'marketing', 'manager', AUTHOR, true, ok('rejected')],
  ['reject', 'approved', 'marketing', 'manager', 2, true, no('status')],
  ['reject', 'submitted', 'marketing', 'seller', 2, true, no('role')],
  ['export', 'approved', 'marketing', 'seller', AUTHOR, true, ok('exported')],
  ['export', 'approved', 'marketing', 'admin', 2, true, ok('exported')],
  ['export', 'approved', 'marketing', 'manager', 2, true, no('role')],
  ['export', 'submitted', 'marketing', 'seller', AUTHOR, true, no('status')],
  ['export', 'exported', 'marketing', 'seller', AUTHOR, true, no('status')],
  ['export', 'approved', 'transactional', 'seller', AUTHOR, false, no('checks')],
];

describe('takeStep', () => {
  it.each(ROWS)('%s a %s %s draft as %s (user %i, checks pass: %s)', (step, status, category, role, userId, checksPass, expected) => {
    expect(takeStep(step, { draft: { status, category, authorId: AUTHOR }, user: { id: userId, role }, checksPass })).toEqual(expected);
  });
});

describe('availableSteps', () => {
  it('a manager reviewing a submitted marketing draft may approve or reject', () => {
    expect(
      availableSteps({
        draft: { status: 'submitted', category: 'marketing', authorId: AUTHOR },
        user: { id: 2, role: 'manager' },
        checksPass: true,
      }),
    ).toEqual(['approve', 'reject']);
  });
  it('the author of an approved draft may edit it again or export it', () => {
    expect(
      availableSteps({
        draft: { status: 'approved', category: 'marketing', authorId: AUTHOR },
        user: { id: AUTHOR, role: 'seller' },
        checksPass: true,
      }),
    ).toEqual(['edit', 'export']);
  });
});
