/** Public types of the SIE engine (defined in domain/ so UI, CLI and server share them). */
export type {
  BalanceGroups,
  CliSummary,
  FinancePayload,
  LocalSummary,
  LocalYear,
  ResultGroups,
  SieResult,
  SieType,
} from '../../domain/sie-summary.ts';
export type {
  Diagnostic,
  DiagnosticCode,
  DiagnosticSeverity,
} from '../../domain/sie-diagnostics.ts';
export type { SieEncoding } from './encoding.ts';
export type { ChecksumStatus } from './ksumma.ts';

export interface SummarizeProgress {
  bytesDone: number;
  totalBytes?: number;
}

export interface SummarizeOptions {
  /** Original file name; `*.si` turns `#SIETYP 4` into 4I. */
  fileName?: string;
  /** File size, echoed in progress reports. */
  totalBytes?: number;
  /** Called at least every 250 ms while parsing, and once at the end. */
  onProgress?: (p: SummarizeProgress) => void;
  /** Cancels parsing; the promise then rejects with a DOMException named `AbortError`. */
  signal?: AbortSignal;
}
