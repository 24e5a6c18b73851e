/**
 * Imported first by the app and by each worker: zod's JIT compiles parsers with `new
 * Function`, which the strict CSP (no 'unsafe-eval') forbids. zod would fall back by itself,
 * but only after the browser has reported a CSP violation on every load; jitless mode never
 * tries. zod's core `config` (its settings are global) rather than the `z` namespace, so the
 * first screen does not carry all of zod to set one flag.
 */
import { config } from 'zod/v4/core';

config({ jitless: true });
