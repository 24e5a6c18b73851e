import { failureFrom, type ErrorText } from '../trpc';

/** Every error the finance API answers with: code, stable reason, English, Swedish. */
export const FINANCE_ERRORS = {
  /** Unknown entity and wrong capability are deliberately the same answer. */
  CAPABILITY_REFUSED: {
    code: 'UNAUTHORIZED',
    en: 'This company’s data could not be opened: the access key is not valid (or the data has been deleted).',
    sv: 'Företagets uppgifter kunde inte öppnas: åtkomstnyckeln är inte giltig (eller så har uppgifterna raderats).',
  },
  CAPABILITY_THROTTLED: {
    code: 'TOO_MANY_REQUESTS',
    en: 'Too many attempts with an invalid access key. Wait a moment and try again.',
    sv: 'För många försök med en ogiltig åtkomstnyckel. Vänta en stund och försök igen.',
  },
  CAPABILITY_IN_USE: {
    code: 'CONFLICT',
    en: 'This access key is already in use. Create a new one and try again.',
    sv: 'Åtkomstnyckeln används redan. Skapa en ny och försök igen.',
  },
  YEAR_LIMIT: {
    code: 'BAD_REQUEST',
    en: 'Too many fiscal years are stored for this company. Delete the company’s data and upload again.',
    sv: 'För många räkenskapsår är sparade för företaget. Radera företagets uppgifter och ladda upp igen.',
  },
  /** Give-to-get (DESIGN §7): benchmarks only for entities that have contributed a year. */
  NO_CONTRIBUTION: {
    code: 'FORBIDDEN',
    en: 'Benchmarks are shown once this company has uploaded at least one fiscal year. Upload a year first.',
    sv: 'Jämförelser visas när företaget har laddat upp minst ett räkenskapsår. Ladda upp ett år först.',
  },
  YEAR_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'This company has no uploaded fiscal year ending in the year asked for.',
    sv: 'Företaget har inget uppladdat räkenskapsår som slutar det efterfrågade året.',
  },
  /** Supplier agreements (issue #7): an id this entity has no agreement under. */
  CONTRACT_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'This agreement was not found. It may have been deleted on another device.',
    sv: 'Avtalet hittades inte. Det kan ha raderats från en annan enhet.',
  },
  CONTRACT_LIMIT: {
    code: 'BAD_REQUEST',
    en: 'This company has as many agreements as can be stored. Delete one you no longer need first.',
    sv: 'Företaget har så många avtal som kan sparas. Radera först ett avtal som inte längre behövs.',
  },
} as const satisfies Record<string, ErrorText>;

export type FinanceErrorReason = keyof typeof FINANCE_ERRORS;

export const fail = failureFrom<FinanceErrorReason>(FINANCE_ERRORS);

/**
 * What may be logged about an internal error of the finance API: the error classes along the
 * cause chain and an SQLite result code, nothing else. Messages are never logged, because
 * drizzle's query errors carry the bound parameters (entity ids, capability hashes, figures)
 * in their message, and JSON or validation errors may quote input (P5).
 */
export function loggableError(error: unknown): { errors: string[]; sqliteCode?: string } {
  const errors: string[] = [];
  let sqliteCode: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const name = (current as { name?: unknown }).name;
    const ctorName = (current as { constructor?: { name?: unknown } }).constructor?.name;
    // The class name where it says more than `Error` (drizzle's errors keep `name` 'Error').
    const label =
      typeof ctorName === 'string' && ctorName !== 'Error'
        ? ctorName
        : typeof name === 'string'
          ? name
          : '';
    errors.push(/^[A-Za-z][A-Za-z0-9_]{0,60}$/.test(label) ? label : 'Error');
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_[A-Z_]{1,40}$/.test(code)) sqliteCode ??= code;
    current = (current as { cause?: unknown }).cause;
  }
  return sqliteCode ? { errors, sqliteCode } : { errors };
}
