import { auditEvents } from './schema';
import type { IdentityStore } from './store';

export type AuditType =
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'email_verified'
  | 'password_changed'
  | 'recovery_used'
  | 'email_reset'
  | 'session_revoked'
  | 'invitation_sent'
  | 'invitation_accepted'
  | 'member_confirmed'
  | 'member_removed'
  | 'key_rotated'
  | 'org_created'
  | 'link_added'
  | 'link_removed'
  | 'support_unlock'
  | 'support_resend_verification'
  | 'support_account_created';

/** Detail values are ids, counts, roles and versions: never tokens, keys or e-mail addresses. */
export type AuditDetail = Record<string, string | number | boolean | null>;

export function audit(
  db: IdentityStore['db'],
  event: { type: AuditType; at: number; orgId?: string; userId?: string; detail?: AuditDetail },
): void {
  db.insert(auditEvents)
    .values({
      type: event.type,
      at: event.at,
      orgId: event.orgId ?? null,
      userId: event.userId ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    })
    .run();
}
