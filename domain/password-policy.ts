import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password rules per OWASP ASVS v4 §2.1: at least 12 characters, at least 64 allowed, no
 * composition rules, and none of the 10 000 most common passwords. The server never sees
 * the password (P6), so these rules are applied on the device, in the app and in the CLI.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const COMMON_PASSWORD_COUNT = 10_000;

export type PasswordProblem = 'too-short' | 'too-long' | 'common';
export type PasswordCheck = { ok: true } | { ok: false; problem: PasswordProblem };

let common: Set<string> | undefined;

/** The bundled list (zxcvbn-ts' frequency-ranked common passwords), top 10 000. */
const commonPasswords = () =>
  (common ??= new Set(
    dictionary['passwords-common'].slice(0, COMMON_PASSWORD_COUNT).map((p) => p.toLowerCase()),
  ));

/** Length counts Unicode code points of the NFC form, as the key derivation sees it. */
export const passwordLength = (password: string) => [...password.normalize('NFC')].length;

export function checkPassword(password: string): PasswordCheck {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return { ok: false, problem: 'too-short' };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, problem: 'too-long' };
  if (commonPasswords().has(password.normalize('NFC').toLowerCase())) {
    return { ok: false, problem: 'common' };
  }
  return { ok: true };
}

const MESSAGES: Record<PasswordProblem, { sv: string; en: string }> = {
  'too-short': {
    sv: `Lösenordet måste ha minst ${PASSWORD_MIN_LENGTH} tecken. En fras av flera ord fungerar bra.`,
    en: `The password needs at least ${PASSWORD_MIN_LENGTH} characters. A phrase of several words works well.`,
  },
  'too-long': {
    sv: `Lösenordet får ha högst ${PASSWORD_MAX_LENGTH} tecken.`,
    en: `The password may have at most ${PASSWORD_MAX_LENGTH} characters.`,
  },
  common: {
    sv: 'Lösenordet är ett av de vanligaste som används och går lätt att gissa. Välj ett annat.',
    en: 'This is one of the most common passwords and easy to guess. Choose another one.',
  },
};

export const describePasswordProblem = (problem: PasswordProblem, language: 'sv' | 'en') =>
  MESSAGES[problem][language];
