// What every server action answers with, and the steps they all share: messages for the fields a zod error names,
// and a guard that turns an unexpected failure into the generic message while Next.js control flow passes through.
import { unstable_rethrow } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { requestLogger } from '@/lib/log';

/** Messages under the form's fields, by field name. */
export type FieldErrors<Field extends string = string> = Partial<Record<Field, string>>;

/** A refusal the user can act on; `Extra` is what a form needs besides the message (e.g. the values typed). */
export type ActionFailure<Extra extends object = object, Field extends string = string> = {
  ok: false;
  message: string;
  fieldErrors?: FieldErrors<Field>;
} & Extra;

/** The answer of a server action: `Done` is what a success carries (by default the message that says what happened). */
export type ActionResult<Done extends object = { message: string }, Extra extends object = object, Field extends string = string> =
  ({ ok: true } & Done) | ActionFailure<Extra, Field>;

/** A next-intl translator scoped to the namespace that holds the codes a schema uses as issue messages. */
export type CodeTranslator = { (key: string): string; has(key: string): boolean };

/** Issue codes as messages: a code without a message of its own gets `fallback` (or, without one, the code's key). */
export function codeText(t: CodeTranslator, fallback?: string): (code: string) => string {
  return (code) => (t.has(code) ? t(code) : t(fallback ?? code));
}

/** One message under each field a zod error names (the last issue of a field wins, as it did in every form). */
export function fieldErrorsOf(
  error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
  text: (code: string) => string,
): Record<string, string> {
  return Object.fromEntries(error.issues.map((issue) => [String(issue.path[0]), text(issue.message)]));
}

/** The one place an unexpected failure of an action is logged, with the request's id. */
async function logUnexpected(what: string, error: unknown): Promise<void> {
  (await requestLogger()).error({ err: error }, `${what} failed`);
}

export type GuardOptions<T> = {
  /** Errors a domain function throws for a rule the user broke, as the failure to show; undefined for any other error. */
  refused?: (error: unknown) => T | undefined | Promise<T | undefined>;
  /** The message shown for an unexpected failure, when the generic one says less than the form can. */
  message?: string;
};

/**
 * Runs the body of an action: what it returns is the answer; an unexpected error is logged once ("<what> failed") and
 * answered with the generic message, so no driver error or stack reaches the browser. redirect(), notFound() and the
 * other errors Next.js throws for control flow are rethrown untouched, so the body may call them.
 */
export async function guarded<T>(what: string, run: () => Promise<T>, options: GuardOptions<T> = {}): Promise<T | ActionFailure> {
  try {
    return await run();
  } catch (error) {
    unstable_rethrow(error);
    const refusal = await options.refused?.(error);
    if (refusal !== undefined) return refusal;
    await logUnexpected(what, error);
    return { ok: false, message: options.message ?? (await getTranslations('errors'))('genericText') };
  }
}
