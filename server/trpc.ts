import { initTRPC, TRPCError } from '@trpc/server';

type TRPC_ERROR_CODE_KEY = TRPCError['code'];

/**
 * An error meant for the person using the app: an English `message`, a Swedish `messageSv`
 * and a stable machine-readable `reason` (e.g. `EMAIL_NOT_VERIFIED`) the UI can switch on.
 * Both API routers throw these; the formatter below puts them on the wire.
 */
export class UserFacingError extends TRPCError {
  readonly reason: string;
  readonly messageSv: string;
  /** Extra, non-secret fields for the client (e.g. `retryAfterSeconds`). */
  readonly details: Record<string, string | number | boolean> | undefined;

  constructor(options: {
    code: TRPC_ERROR_CODE_KEY;
    reason: string;
    message: string;
    messageSv: string;
    details?: Record<string, string | number | boolean>;
  }) {
    super({ code: options.code, message: options.message });
    this.name = 'UserFacingError';
    this.reason = options.reason;
    this.messageSv = options.messageSv;
    this.details = options.details;
  }
}

/** Fallback texts per tRPC code, for errors thrown without a reason of their own. */
const GENERIC_TEXT: Partial<Record<TRPC_ERROR_CODE_KEY, { en: string; sv: string }>> = {
  PARSE_ERROR: { en: 'The request could not be read.', sv: 'Begäran kunde inte läsas.' },
  BAD_REQUEST: { en: 'The request is invalid.', sv: 'Begäran är ogiltig.' },
  UNAUTHORIZED: { en: 'Please log in.', sv: 'Logga in först.' },
  FORBIDDEN: { en: 'You are not allowed to do this.', sv: 'Du har inte behörighet till detta.' },
  NOT_FOUND: { en: 'Not found.', sv: 'Hittades inte.' },
  METHOD_NOT_SUPPORTED: { en: 'Method not supported.', sv: 'Metoden stöds inte.' },
  CONFLICT: {
    en: 'This conflicts with the current state.',
    sv: 'Detta krockar med nuvarande läge.',
  },
  PAYLOAD_TOO_LARGE: { en: 'The request is too large.', sv: 'Begäran är för stor.' },
  TOO_MANY_REQUESTS: {
    en: 'Too many attempts. Try again later.',
    sv: 'För många försök. Försök igen senare.',
  },
  INTERNAL_SERVER_ERROR: { en: 'Internal error', sv: 'Internt fel' },
};

interface IssueLike {
  path?: readonly PropertyKey[];
  message?: string;
}

/** Validation issues (zod or any standard schema) as `path: message`, never echoing values. */
function validationIssues(cause: unknown): string[] | undefined {
  if (!cause || typeof cause !== 'object' || !('issues' in cause)) return undefined;
  const issues = (cause as { issues: unknown }).issues;
  if (!Array.isArray(issues)) return undefined;
  return (issues as IssueLike[]).slice(0, 20).map((issue) => {
    const path = (issue.path ?? []).map((p) => String(p)).join('.');
    return `${path || '(input)'}: ${String(issue.message ?? 'invalid')}`;
  });
}

/**
 * The tRPC builder both API routers use. It carries no context of its own: each router
 * defines the context it needs, so the identity and finance modules stay independent.
 *
 * Every error on the wire has `message` (English), `data.messageSv` (Swedish) and
 * `data.reason` (stable code: a `UserFacingError`'s own, `INVALID_INPUT` for schema
 * failures, otherwise the tRPC code).
 */
export const createRouterBuilder = <TContext extends object>() =>
  initTRPC.context<TContext>().create({
    errorFormatter: ({ shape, error }) => {
      const code = error.code;
      const generic = GENERIC_TEXT[code] ?? { en: 'Request failed.', sv: 'Begäran misslyckades.' };
      let reason: string = code;
      let message = generic.en;
      let messageSv = generic.sv;
      let details: Record<string, unknown> | undefined;
      let issues: string[] | undefined;
      if (error instanceof UserFacingError) {
        reason = error.reason;
        message = error.message;
        messageSv = error.messageSv;
        details = error.details;
      } else if (code === 'BAD_REQUEST' && (issues = validationIssues(error.cause))) {
        reason = 'INVALID_INPUT';
        message = `Invalid input: ${issues.join('; ')}`;
        messageSv = `Ogiltiga uppgifter: ${issues.join('; ')}`;
      } else if (code !== 'INTERNAL_SERVER_ERROR' && error.message && !error.cause) {
        // A plain TRPCError thrown with a hand-written message keeps it.
        message = error.message;
      }
      return {
        ...shape,
        // Never leak stack traces or internal causes to clients.
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          reason,
          messageSv,
          ...(issues ? { issues } : {}),
          ...(details ? { details } : {}),
        },
      };
    },
  });

/** One entry of an API's error catalogue: tRPC code, English and Swedish text. */
export interface ErrorText {
  code: TRPC_ERROR_CODE_KEY;
  en: string;
  sv: string;
}

/**
 * Builds the `fail(reason, details?)` function of an API from its error catalogue, so each
 * router keeps its own reasons while the error shape stays one thing.
 */
export const failureFrom =
  <TReason extends string>(catalogue: Readonly<Record<TReason, ErrorText>>) =>
  (reason: TReason, details?: Record<string, string | number | boolean>): UserFacingError => {
    const entry = catalogue[reason];
    return new UserFacingError({
      code: entry.code,
      reason,
      message: entry.en,
      messageSv: entry.sv,
      details,
    });
  };
