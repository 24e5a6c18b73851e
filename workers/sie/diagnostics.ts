/**
 * Diagnostic collection with a per-code cap, so memory does not grow with file size even
 * when every voucher of a 100 MB file is broken.
 */
import type { Diagnostic, DiagnosticCode, DiagnosticParams } from '../../domain/sie-diagnostics.ts';
import { makeDiagnostic } from '../../domain/sie-diagnostics.ts';

export { DIAGNOSTIC_CODES, DIAGNOSTIC_MESSAGES } from '../../domain/sie-diagnostics.ts';
export type { Diagnostic, DiagnosticCode } from '../../domain/sie-diagnostics.ts';

/** At most this many diagnostics per code are kept; the rest are counted. */
export const DIAGNOSTICS_PER_CODE = 50;

export interface DiagnosticSink {
  add(code: DiagnosticCode, line: number, params?: DiagnosticParams): void;
  /** Warnings in file order, followed by one DIAGNOSTICS_CAPPED per capped code. */
  list(): Diagnostic[];
}

export function createDiagnosticSink(perCode = DIAGNOSTICS_PER_CODE): DiagnosticSink {
  const kept: Diagnostic[] = [];
  const counts = new Map<DiagnosticCode, number>();
  return {
    add(code, line, params = {}) {
      const n = (counts.get(code) ?? 0) + 1;
      counts.set(code, n);
      if (n <= perCode) kept.push(makeDiagnostic(code, line, params));
    },
    list() {
      const out = [...kept].sort((a, b) => a.line - b.line);
      for (const [code, n] of counts) {
        if (n > perCode) {
          const last = out.filter((d) => d.code === code).at(-1)?.line ?? 1;
          out.push(makeDiagnostic('DIAGNOSTICS_CAPPED', last, { code, omitted: n - perCode }));
        }
      }
      return out;
    },
  };
}
