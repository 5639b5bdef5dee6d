// Reading what went wrong in the database from an error, whichever layer threw it.

/**
 * The error's code: PostgreSQL's SQLSTATE ('40P01') or the driver's own ('ECONNREFUSED'). Drizzle wraps the driver's
 * error in its own ("Failed query: ..."), with the driver's as `cause`; the code is on that one.
 */
export function errorCode(error: unknown): string | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/** Runs a transaction again, up to `tries` times, when it failed with one of these SQLSTATEs (and so rolled back). */
async function retryOn<T>(codes: readonly string[], run: () => Promise<T>, tries: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      if (!codes.includes(errorCode(error) ?? '') || i >= tries) throw error;
    }
  }
}

/**
 * Runs a transaction again when PostgreSQL chose it as a deadlock's victim (its work rolled back, nothing half-done):
 * writers that lock the same rows in different orders, such as the send worker and the status webhook, both go on.
 */
export const retryDeadlock = <T>(run: () => Promise<T>, tries = 3): Promise<T> => retryOn(['40P01'], run, tries);

/**
 * Runs a transaction again when another one inserted the same key first (a unique violation; its work rolled back):
 * the second look finds the row the other wrote, as an upsert by external id, e-mail or phone should.
 */
export const retryUniqueRace = <T>(run: () => Promise<T>, tries = 3): Promise<T> => retryOn(['23505'], run, tries);

/** Runs a transaction again after either of the two: a unique race or a deadlock. */
export const retryRaceOrDeadlock = <T>(run: () => Promise<T>, tries = 3): Promise<T> => retryOn(['23505', '40P01'], run, tries);

/**
 * Whether a transaction that failed with this error may have committed nonetheless: the connection was lost (the
 * driver's own code, or PostgreSQL's 08 and 57P classes), perhaps while its COMMIT was on the way. Any other error of
 * PostgreSQL's rolled the transaction back, and an error thrown before the COMMIT makes the driver roll it back.
 */
export function mayHaveCommitted(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && (!/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P'));
}
