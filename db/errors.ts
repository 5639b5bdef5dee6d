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

/**
 * Runs a transaction again when PostgreSQL chose it as a deadlock's victim (its work rolled back, nothing half-done):
 * writers that lock the same rows in different orders, such as the send worker and the status webhook, both go on.
 */
export async function retryDeadlock<T>(run: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      if (errorCode(error) !== '40P01' || i >= tries) throw error;
    }
  }
}
