import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptBackup,
  encryptBackup,
  parseBackupHeader,
  type EncryptOptions,
} from '../../server/ops/backup-format';
import { parseBackupKey, type BackupKey } from '../../server/ops/backup-key';
import { outcomeOf, type BackupErrorCode } from '../../server/ops/backup-outcome';

/**
 * The encrypted backup format: any bytes survive a round trip under any chunk size and any
 * way the input and the ciphertext are cut into pieces; any change of any byte, a cut, an
 * extension, or another key is refused.
 */
const newKey = (): BackupKey => {
  const parsed = parseBackupKey(randomBytes(32).toString('base64'), 'test key');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

/** Cuts `bytes` into pieces at the given offsets (modulo its length; empty pieces too). */
const pieces = (bytes: Uint8Array, cuts: number[]): Uint8Array[] => {
  const offsets = [0, ...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b)];
  return [...offsets.slice(1), bytes.length].map((end, i) => bytes.subarray(offsets[i], end));
};

async function* stream(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

const collect = async (source: AsyncIterable<Uint8Array>) => {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(Buffer.from(chunk));
  return Buffer.concat(out);
};

const encrypt = (plain: Uint8Array, options: EncryptOptions, cuts: number[] = []) =>
  collect(encryptBackup(stream(pieces(plain, cuts)), options));

const decrypt = (sealed: Uint8Array, key: BackupKey, cuts: number[] = []) =>
  collect(decryptBackup(stream(pieces(sealed, cuts)), { key }));

/** The error code a decryption ends with, or 'ok'. */
const decryptOutcome = async (sealed: Uint8Array, key: BackupKey) => {
  const outcome = await outcomeOf(() => decrypt(sealed, key));
  return outcome.ok ? 'ok' : outcome.error.code;
};

const created = new Date('2025-03-01T02:00:00.000Z');

describe('backup file format', () => {
  const key = newKey();

  it('round-trips any bytes under any chunk size and any cutting of input and output', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 20_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom('identity' as const, 'finance' as const),
        async (plain, chunkBytes, inputCuts, outputCuts, role) => {
          const sealed = await encrypt(plain, { key, role, created, chunkBytes }, inputCuts);
          // Header + one 16-byte tag per chunk; the last chunk holds 0..chunkBytes bytes.
          const chunks = Math.max(1, Math.ceil(plain.length / chunkBytes));
          const header = parseBackupHeader(sealed)!;
          expect(sealed.length).toBe(header.headerBytes.length + plain.length + 16 * chunks);
          expect(header.header).toMatchObject({ role, chunkBytes, keyId: key.id });
          expect(header.header.created).toBe(created.toISOString());
          const opened = await decrypt(sealed, key, outputCuts);
          expect(opened.equals(Buffer.from(plain))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never writes the plaintext itself into the file', async () => {
    const plain = Buffer.from('SQLite format 3\0 Alfa Bygg AB 556677-8899 '.repeat(200));
    const sealed = await encrypt(plain, { key, role: 'identity', created, chunkBytes: 1000 });
    expect(sealed.includes(Buffer.from('Alfa Bygg'))).toBe(false);
    expect(sealed.includes(Buffer.from('SQLite format'))).toBe(false);
  });

  it('refuses a change of any single byte, header included', async () => {
    const plain = randomBytes(3_000);
    const sealed = await encrypt(plain, { key, role: 'finance', created, chunkBytes: 700 });
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: sealed.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (index, xor) => {
          const altered = Buffer.from(sealed);
          altered[index]! ^= xor;
          const code = await decryptOutcome(altered, key);
          expect(['TAMPERED', 'NOT_A_BACKUP', 'WRONG_KEY'] satisfies BackupErrorCode[]).toContain(
            code,
          );
        },
      ),
      { numRuns: 400 },
    );
    // Every byte of the header, exhaustively (it is authenticated as associated data).
    const headerLength = parseBackupHeader(sealed)!.headerBytes.length;
    for (let index = 0; index < headerLength; index += 1) {
      const altered = Buffer.from(sealed);
      altered[index]! ^= 0x01;
      expect(await decryptOutcome(altered, key)).not.toBe('ok');
    }
  });

  it('refuses a header re-written as valid JSON: it is authenticated, not just parsed', async () => {
    const sealed = await encrypt(randomBytes(100), { key, role: 'finance', created });
    const { headerBytes } = parseBackupHeader(sealed)!;
    const rewrite = (from: string, to: string) => {
      const json = headerBytes.subarray(14).toString('utf8').replace(from, to);
      const prefix = Buffer.from(headerBytes.subarray(0, 14));
      prefix.writeUInt32BE(Buffer.byteLength(json), 10);
      return Buffer.concat([prefix, Buffer.from(json), sealed.subarray(headerBytes.length)]);
    };
    const asIdentity = rewrite('"role":"finance"', '"role":"identity"');
    expect(parseBackupHeader(asIdentity)?.header.role).toBe('identity');
    expect(await decryptOutcome(asIdentity, key)).toBe('TAMPERED');
    const later = rewrite(created.toISOString(), new Date(created.getTime() + 1000).toISOString());
    expect(parseBackupHeader(later)?.header.created).not.toBe(created.toISOString());
    expect(await decryptOutcome(later, key)).toBe('TAMPERED');
  });

  it('refuses a file cut after any chunk, cut inside one, extended, or with chunks reordered', async () => {
    const chunkBytes = 500;
    const plain = randomBytes(2_200);
    const sealed = await encrypt(plain, { key, role: 'identity', created, chunkBytes });
    const headerLength = parseBackupHeader(sealed)!.headerBytes.length;
    const sealedChunk = chunkBytes + 16;
    // Cuts exactly at chunk boundaries: what is left looks complete, but its last chunk is
    // not marked as the last one.
    for (let chunks = 0; chunks < 5; chunks += 1) {
      const cut = sealed.subarray(0, headerLength + chunks * sealedChunk);
      expect(await decryptOutcome(cut, key)).not.toBe('ok');
    }
    expect(await decryptOutcome(sealed.subarray(0, sealed.length - 1), key)).toBe('TAMPERED');
    expect(await decryptOutcome(sealed.subarray(0, headerLength - 3), key)).toBe('NOT_A_BACKUP');
    expect(await decryptOutcome(Buffer.concat([sealed, Buffer.from([0])]), key)).toBe('TAMPERED');
    const body = sealed.subarray(headerLength);
    const swapped = Buffer.concat([
      sealed.subarray(0, headerLength),
      body.subarray(sealedChunk, 2 * sealedChunk),
      body.subarray(0, sealedChunk),
      body.subarray(2 * sealedChunk),
    ]);
    expect(await decryptOutcome(swapped, key)).toBe('TAMPERED');
  });

  it('refuses chunks moved from another backup made with the same key', async () => {
    const plain = randomBytes(1_500);
    const options = { key, role: 'finance' as const, created, chunkBytes: 500 };
    const first = await encrypt(plain, options);
    const second = await encrypt(plain, options);
    const headerLength = parseBackupHeader(first)!.headerBytes.length;
    const spliced = Buffer.concat([first.subarray(0, headerLength), second.subarray(headerLength)]);
    expect(first.equals(second)).toBe(false);
    expect(await decryptOutcome(spliced, key)).toBe('TAMPERED');
  });

  it('refuses another key with a message naming both key ids, never the key', async () => {
    const sealed = await encrypt(randomBytes(1_000), { key, role: 'finance', created });
    const other = newKey();
    const outcome = await outcomeOf(() => decrypt(sealed, other));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('WRONG_KEY');
    expect(outcome.error.message).toContain(key.id);
    expect(outcome.error.message).toContain(other.id);
    for (const secret of [key, other]) {
      expect(outcome.error.message).not.toContain(secret.bytes.toString('base64'));
      expect(outcome.error.message).not.toContain(secret.bytes.toString('hex'));
    }
  });

  it('a key whose id was forged into the header still cannot open the file', async () => {
    const sealed = await encrypt(randomBytes(1_000), { key, role: 'finance', created });
    const other = newKey();
    const forged = Buffer.from(sealed.toString('latin1').replace(key.id, other.id), 'latin1');
    expect(await decryptOutcome(forged, other)).toBe('TAMPERED');
  });

  it('refuses what is not a backup, and versions it does not know', async () => {
    expect(await decryptOutcome(Buffer.from('SQLite format 3\0 and more bytes'), key)).toBe(
      'NOT_A_BACKUP',
    );
    expect(await decryptOutcome(Buffer.alloc(0), key)).toBe('NOT_A_BACKUP');
    const sealed = await encrypt(randomBytes(10), { key, role: 'finance', created });
    const future = Buffer.from(sealed);
    future.writeUInt16BE(2, 8);
    const outcome = await outcomeOf(() => decrypt(future, key));
    expect(!outcome.ok && outcome.error.message).toMatch(/version 2 is not supported/);
  });
});
