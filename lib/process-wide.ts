// State an instance keeps in memory for the whole process. The server (server.ts) answers the decision endpoint with
// its own copy of lib/api beside the copy Next.js bundles, so a module's top-level value would exist twice: kept on
// globalThis under one name, the key cache, the rate windows and the decision tallies are the same for both copies.
export function processWide<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`zgoda.${name}`);
  return (store[key] ??= create());
}
