import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit';
import { users } from './schema';
import { hashSecret } from './secrets';
import type { IdentityStore } from './store';
import {
  authKeySchema,
  emailSchema,
  envelopeSchema,
  kdfSchema,
  publicKeySchema,
  recoverySchema,
  uuidSchema,
} from './validation';

export const supportAccountSchema = z.strictObject({
  userId: uuidSchema,
  email: emailSchema,
  kdf: kdfSchema,
  authKey: authKeySchema,
  wrappedUserKey: envelopeSchema,
  publicKey: publicKeySchema,
  wrappedPrivateKey: envelopeSchema,
  recovery: recoverySchema,
});

export type SupportAccountInput = z.input<typeof supportAccountSchema>;

/**
 * Creates a support account directly in the identity database (for `nyckel admin
 * create-support`). The client-side key material is derived by the caller exactly as at
 * registration; the account is created with a confirmed e-mail address and role `support`.
 * Throws with a readable message if the input is invalid or the e-mail/id is taken.
 */
export async function createSupportAccount(
  store: IdentityStore,
  input: SupportAccountInput,
  now: number = Date.now(),
): Promise<{ userId: string; email: string }> {
  const parsed = supportAccountSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
    throw new Error(`invalid support account: ${issues.join('; ')}`);
  }
  const data = parsed.data;
  const [authHash, recoveryAuthHash] = await Promise.all([
    hashSecret(data.authKey),
    hashSecret(data.recovery.authKey),
  ]);
  store.sqlite.transaction(() => {
    if (store.db.select().from(users).where(eq(users.email, data.email)).get()) {
      throw new Error('an account with this e-mail address already exists');
    }
    if (store.db.select().from(users).where(eq(users.id, data.userId)).get()) {
      throw new Error('this user id is already in use');
    }
    store.db
      .insert(users)
      .values({
        id: data.userId,
        email: data.email,
        role: 'support',
        kdf: JSON.stringify(data.kdf),
        authHash,
        wrappedUserKey: JSON.stringify(data.wrappedUserKey),
        publicKey: data.publicKey,
        wrappedPrivateKey: JSON.stringify(data.wrappedPrivateKey),
        recoveryWrappedUserKey: JSON.stringify(data.recovery.wrappedUserKey),
        recoveryAuthHash,
        keyGeneration: 1,
        emailVerifiedAt: now,
        createdAt: now,
      })
      .run();
    audit(store.db, {
      type: 'support_account_created',
      at: now,
      userId: data.userId,
      detail: { via: 'cli' },
    });
  })();
  return { userId: data.userId, email: data.email };
}
