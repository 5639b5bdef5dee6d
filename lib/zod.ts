// zod for the whole app. Its object schemas compile a fast parser with `new Function` and, to see whether that is
// allowed, call `Function("")` the moment a schema is built. The browser's CSP forbids eval, so in client bundles
// that probe would be refused and reported on every page load: there zod is told not to try. The server keeps the JIT.
import { z } from 'zod';

if (typeof window !== 'undefined') z.config({ jitless: true });

export { z };
