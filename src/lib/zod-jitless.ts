/**
 * Imported first by the app and by each worker: zod's JIT compiles parsers with `new
 * Function`, which the strict CSP (no 'unsafe-eval') forbids. zod would fall back by itself,
 * but only after the browser has reported a CSP violation on every load; jitless mode never
 * tries.
 */
import { z } from 'zod';

z.config({ jitless: true });
