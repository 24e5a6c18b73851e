import { checkPassword, type PasswordProblem } from '../../../../domain/password-policy';
import type { IdentityClient } from '../api/clients';
import {
  DEFAULT_KDF,
  createAccountKeys,
  deriveAccountSecrets,
  deriveRecoverySecrets,
  newKdfParams,
  parseKdfParams,
  recoverAccount,
  rewrapUserKey,
  unlockAccount,
  type AccountSecrets,
  type KdfParams,
  type UnlockedAccount,
} from '../crypto/index';

/**
 * Account flows of the client core (docs/PROTOCOL.md): the same functions run in the
 * browser (with Argon2id in a worker), in the CLI and in the integration tests. The
 * password never leaves these functions; only `authKey` and envelopes are sent.
 */
export interface AccountDeps {
  api: IdentityClient;
  /** Argon2id + HKDF; the browser passes its KDF worker, Node the direct function. */
  derive?: (password: string, kdf: KdfParams) => Promise<AccountSecrets>;
}

type Me = Awaited<ReturnType<IdentityClient['me']['query']>>;
export type AccountUser = Me['user'];
export type Membership = Me['memberships'][number];

/** A logged-in, unlocked user: keys live only in this object, never in storage. */
export interface UnlockedSession {
  user: AccountUser;
  keys: UnlockedAccount;
  /** The password envelope as stored, needed to re-wrap on a password change. */
  wrappedUserKey: unknown;
  /** The private-key envelope as stored; kept (sealed) for offline unlock on this device. */
  wrappedPrivateKey: unknown;
  kdf: KdfParams;
  wrapKey: CryptoKey;
}

/** Thrown before anything is derived or sent when the new password breaks the policy. */
export type PasswordPolicyError = Error & { name: 'PasswordPolicyError'; problem: PasswordProblem };

export const isPasswordPolicyError = (error: unknown): error is PasswordPolicyError =>
  error instanceof Error && error.name === 'PasswordPolicyError';

const deriveWith = (deps: AccountDeps) => deps.derive ?? deriveAccountSecrets;

const requireAcceptablePassword = (password: string) => {
  const check = checkPassword(password);
  if (!check.ok) {
    throw Object.assign(new Error(`password rejected: ${check.problem}`), {
      name: 'PasswordPolicyError' as const,
      problem: check.problem,
    });
  }
};

export const canonicalEmail = (email: string) => email.trim().toLowerCase();

/**
 * KDF parameters come from the server before login. A hostile server could hand out cheap
 * ones to make an intercepted authKey easy to brute-force, so nothing below the protocol's
 * defaults is ever used.
 */
export function strongKdf(kdf: unknown): KdfParams {
  const parsed = parseKdfParams(kdf);
  if (parsed.m < DEFAULT_KDF.m || parsed.t < DEFAULT_KDF.t) {
    throw new Error('The server offered weaker key-derivation parameters than the protocol allows');
  }
  return parsed;
}

/** Creates the account; returns the recovery code to show once, and the key fingerprint. */
export async function register(
  deps: AccountDeps,
  input: { email: string; password: string },
): Promise<{ userId: string; recoveryCode: string; fingerprint: string }> {
  requireAcceptablePassword(input.password);
  const userId = crypto.randomUUID();
  const kdf = newKdfParams();
  const { authKey, wrapKey } = await deriveWith(deps)(input.password, kdf);
  const keys = await createAccountKeys({ userId, wrapKey });
  await deps.api.register.mutate({
    userId,
    email: canonicalEmail(input.email),
    kdf,
    authKey,
    wrappedUserKey: keys.wrappedUserKey,
    recovery: { wrappedUserKey: keys.recovery.wrappedUserKey, authKey: keys.recovery.authKey },
    publicKey: keys.publicKey,
    wrappedPrivateKey: keys.wrappedPrivateKey,
  });
  return { userId, recoveryCode: keys.recovery.code, fingerprint: keys.fingerprint };
}

const unlockFrom = async (
  user: AccountUser,
  keys: Me['keys'],
  secrets: AccountSecrets,
): Promise<UnlockedSession> => ({
  user,
  keys: await unlockAccount({
    userId: user.id,
    wrapKey: secrets.wrapKey,
    wrappedUserKey: keys.wrappedUserKey,
    wrappedPrivateKey: keys.wrappedPrivateKey,
    publicKey: keys.publicKey,
  }),
  wrappedUserKey: keys.wrappedUserKey,
  wrappedPrivateKey: keys.wrappedPrivateKey,
  kdf: parseKdfParams(keys.kdf),
  wrapKey: secrets.wrapKey,
});

/** Logs in (new session cookie) and unlocks the keys. */
export async function login(
  deps: AccountDeps,
  input: { email: string; password: string },
): Promise<UnlockedSession> {
  const email = canonicalEmail(input.email);
  const { kdf } = await deps.api.preLogin.query({ email });
  const secrets = await deriveWith(deps)(input.password, strongKdf(kdf));
  const result = await deps.api.login.mutate({ email, authKey: secrets.authKey });
  return unlockFrom(result.user, result.keys, secrets);
}

/**
 * Unlocks again after an auto-lock with the session that is still open: the password is
 * checked by decrypting the user key, so a wrong password fails here without a request.
 */
export async function unlock(deps: AccountDeps, password: string): Promise<UnlockedSession> {
  const me = await deps.api.me.query();
  const secrets = await deriveWith(deps)(password, strongKdf(me.keys.kdf));
  return unlockFrom(me.user, me.keys, secrets);
}

/** New password, same keys; the server ends every other session. */
export async function changePassword(
  deps: AccountDeps,
  session: UnlockedSession,
  input: { currentPassword: string; newPassword: string },
): Promise<UnlockedSession> {
  requireAcceptablePassword(input.newPassword);
  const current = await deriveWith(deps)(input.currentPassword, session.kdf);
  const kdf = newKdfParams(session.kdf);
  const next = await deriveWith(deps)(input.newPassword, kdf);
  const wrappedUserKey = await rewrapUserKey({
    userId: session.user.id,
    wrappedUserKey: session.wrappedUserKey,
    oldWrapKey: current.wrapKey,
    newWrapKey: next.wrapKey,
  });
  await deps.api.changePassword.mutate({
    currentAuthKey: current.authKey,
    kdf,
    authKey: next.authKey,
    wrappedUserKey,
  });
  return { ...session, wrappedUserKey, kdf, wrapKey: next.wrapKey };
}

/**
 * Password reset with the recovery code: the keys are kept, so every organisation stays
 * readable. Returns the new recovery code (the used one is spent).
 */
export async function resetWithRecoveryCode(
  deps: AccountDeps,
  input: { email: string; recoveryCode: string; newPassword: string },
): Promise<{ recoveryCode: string }> {
  requireAcceptablePassword(input.newPassword);
  const email = canonicalEmail(input.email);
  const recovery = await deriveRecoverySecrets(input.recoveryCode);
  const started = await deps.api.recoveryStart.mutate({
    email,
    recoveryAuthKey: recovery.authKey,
  });
  const kdf = newKdfParams(strongKdf(started.keys.kdf));
  const next = await deriveWith(deps)(input.newPassword, kdf);
  const recovered = await recoverAccount({
    code: input.recoveryCode,
    userId: started.userId,
    wrappedUserKey: started.wrappedUserKey,
    newWrapKey: next.wrapKey,
    previousPasswordKid: (started.keys.wrappedUserKey as { kid?: string }).kid,
  });
  await deps.api.recoveryComplete.mutate({
    resetToken: started.resetToken,
    kdf,
    authKey: next.authKey,
    wrappedUserKey: recovered.wrappedUserKey,
    recovery: {
      wrappedUserKey: recovered.recovery.wrappedUserKey,
      authKey: recovered.recovery.authKey,
    },
  });
  return { recoveryCode: recovered.recovery.code };
}

/**
 * Reset through the mailed link, without the recovery code: entirely new keys. Every
 * organisation must be re-granted by another admin before its data opens again.
 */
export async function resetByEmail(
  deps: AccountDeps,
  input: { token: string; newPassword: string },
): Promise<{ recoveryCode: string; fingerprint: string }> {
  requireAcceptablePassword(input.newPassword);
  // The account keeps its id, and envelopes are bound to it: the token tells whose it is.
  const kdf = newKdfParams();
  const secrets = await deriveWith(deps)(input.newPassword, kdf);
  const { userId } = await deps.api.resetTokenInfo.query({ token: input.token });
  const keys = await createAccountKeys({ userId, wrapKey: secrets.wrapKey });
  await deps.api.completeEmailReset.mutate({
    token: input.token,
    kdf,
    authKey: secrets.authKey,
    wrappedUserKey: keys.wrappedUserKey,
    publicKey: keys.publicKey,
    wrappedPrivateKey: keys.wrappedPrivateKey,
    recovery: { wrappedUserKey: keys.recovery.wrappedUserKey, authKey: keys.recovery.authKey },
  });
  return { recoveryCode: keys.recovery.code, fingerprint: keys.fingerprint };
}
