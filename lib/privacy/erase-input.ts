// What support types to erase a customer: the reason, and the confirmation word of their language.
import { z } from '@/lib/zod';
import { ERASURE_REASON_MAX } from './erase';

export const eraseCustomerSchema = z.object({
  customerId: z.coerce.number().int().positive(),
  reason: z
    .string({ message: 'errors.reason_required' })
    .trim()
    .min(1, 'errors.reason_required')
    .max(ERASURE_REASON_MAX, 'errors.reason_too_long'),
  confirmation: z.string().optional().default(''),
});

/** The word typed to confirm, compared as a person would: any case, spaces around it ignored. */
export function confirmationMatches(typed: string, word: string): boolean {
  return typed.trim().toLocaleLowerCase() === word.trim().toLocaleLowerCase() && word.trim() !== '';
}
