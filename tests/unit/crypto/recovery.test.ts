import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes } from '../../../src/lib/core/crypto/bytes.ts';
import { b64uDecode } from '../../../src/lib/core/crypto/encoding.ts';
import { hkdf } from '../../../src/lib/core/crypto/hkdf.ts';
import {
  deriveRecoverySecrets,
  formatRecoveryCode,
  generateRecoveryCode,
  parseRecoveryCode,
} from '../../../src/lib/core/crypto/recovery.ts';
import { expectCryptoError, expectNonExtractable, hex, toHex } from './helpers.ts';

const CODE_FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/;

/** Variants a human might type for the same code. */
const arbTyping = (code: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      fc.constantFrom('-', ' ', '', '  ', '\t'),
    )
    .map(([lower, substitute, separator]) =>
      [...code]
        .map((c, i) => {
          if (c === '-') return separator;
          const s = substitute[i] ? ({ '0': 'O', '1': lower[i] ? 'l' : 'I' }[c] ?? c) : c;
          return lower[i] ? s.toLowerCase() : s;
        })
        .join(''),
    );

describe('recovery code', () => {
  it('is 20 random bytes as 32 Crockford characters in 8 groups of 4', () => {
    const code = generateRecoveryCode();
    expect(code).toMatch(CODE_FORMAT);
    expect(parseRecoveryCode(code)).toHaveLength(20);
    expect(generateRecoveryCode()).not.toBe(code);
    expect(formatRecoveryCode(hex('00443214c74254b635cf84653a56d7c675be77df'))).toBe(
      '0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ',
    );
  });

  it('format/parse round-trips, including lower case, O/0 and I/L/1 and separators', () => {
    fc.assert(
      fc.property(
        fc
          .uint8Array({ minLength: 20, maxLength: 20 })
          .chain((bytes) => fc.tuple(fc.constant(bytes), arbTyping(formatRecoveryCode(bytes)))),
        ([bytes, typed]) => {
          expect(formatRecoveryCode(bytes)).toMatch(CODE_FORMAT);
          expect(toHex(parseRecoveryCode(typed))).toBe(toHex(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects wrong lengths, U and foreign characters', () => {
    const code = formatRecoveryCode(new Uint8Array(20).fill(0xab));
    for (const bad of [
      '',
      code.slice(0, -1),
      `${code}0`,
      code.replace(/.$/, 'U'),
      code.replace(/.$/, '*'),
      code.replace(/.$/, 'Ö'),
    ]) {
      expect(() => parseRecoveryCode(bad), bad).toThrow();
    }
  });

  it('derives recoveryAuthKey and recoveryWrapKey with HKDF', async () => {
    const code = '0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ';
    const { authKey, wrapKey } = await deriveRecoverySecrets(code.toLowerCase());
    const codeBytes = hex('00443214c74254b635cf84653a56d7c675be77df');
    expect(toHex(b64uDecode(authKey))).toBe(
      toHex(await hkdf(copyBytes(codeBytes), 'nyckel:recovery-auth:v1')),
    );
    await expectNonExtractable(wrapKey);
    await expectCryptoError(deriveRecoverySecrets('not a code'), 'INVALID_RECOVERY_CODE');
  });
});
