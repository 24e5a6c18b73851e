import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { backupFailure } from './backup-outcome';
import type { BackupKey } from './backup-key';
import { STORE_ROLES, type StoreRole } from './backup-roles';

/**
 * The encrypted backup file, version 1 (docs/OPERATIONS.md, "Backup file format"):
 *
 *     "NYCKELBK" | u16 version | u32 n | n bytes of header JSON | chunk 0 | chunk 1 | …
 *
 * The header names the store, the creation time, the key id, a random salt and nonce
 * prefix and the chunk size. A per-file key is derived from the backup key with
 * HKDF-SHA256(key, salt, "nyckel:backup:v1:<role>"). The plaintext is cut into chunks of
 * `chunkBytes` (the last one shorter, possibly empty); chunk i is AES-256-GCM with nonce
 * `noncePrefix | u64 i` and associated data `header bytes | u64 i | u8 last`, followed by
 * its 16-byte tag. So every header byte is authenticated, chunks cannot be reordered,
 * dropped, repeated or moved between files, and a cut after any chunk is detected because
 * only the real last chunk carries last = 1. Neither side holds more than one chunk.
 */
const MAGIC = Buffer.from('NYCKELBK', 'ascii');
export const BACKUP_FORMAT_VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 2 + 4;
const MAX_HEADER_JSON_BYTES = 4096;
const TAG_BYTES = 16;
const SALT_BYTES = 32;
const NONCE_PREFIX_BYTES = 4;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;

const base64Of = (length: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .refine((value) => Buffer.from(value, 'base64').length === length, `${length} bytes`);

const headerSchema = z.strictObject({
  role: z.enum(STORE_ROLES),
  created: z.iso.datetime(),
  cipher: z.literal('AES-256-GCM'),
  keyDerivation: z.literal('HKDF-SHA256'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  salt: base64Of(SALT_BYTES),
  noncePrefix: base64Of(NONCE_PREFIX_BYTES),
  chunkBytes: z.number().int().min(1).max(MAX_CHUNK_BYTES),
});

export type BackupHeader = z.infer<typeof headerSchema>;

export interface EncryptOptions {
  key: BackupKey;
  role: StoreRole;
  created: Date;
  chunkBytes?: number;
}

/** A FIFO of byte chunks from which exact lengths can be taken without copying everything. */
function byteQueue() {
  let parts: Buffer[] = [];
  let length = 0;
  return {
    length: () => length,
    push: (bytes: Uint8Array) => {
      if (bytes.length === 0) return;
      parts.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      length += bytes.length;
    },
    take: (n: number): Buffer => {
      const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      const taken = Buffer.from(all.subarray(0, n));
      const rest = all.subarray(n);
      parts = rest.length > 0 ? [rest] : [];
      length = rest.length;
      return taken;
    },
  };
}

const uint64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
};

const fileKey = (key: BackupKey, header: BackupHeader) =>
  Buffer.from(
    hkdfSync(
      'sha256',
      key.bytes,
      Buffer.from(header.salt, 'base64'),
      `nyckel:backup:v1:${header.role}`,
      32,
    ),
  );

const chunkNonce = (header: BackupHeader, index: number) =>
  Buffer.concat([Buffer.from(header.noncePrefix, 'base64'), uint64(index)]);

const chunkAad = (headerBytes: Buffer, index: number, last: boolean) =>
  Buffer.concat([headerBytes, uint64(index), Buffer.from([last ? 1 : 0])]);

function encodeHeader(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt16BE(BACKUP_FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(json.length, MAGIC.length + 2);
  return Buffer.concat([prefix, json]);
}

/**
 * Reads the header from the start of a file. Answers `undefined` while `bytes` is too short
 * to tell; throws a `BackupFailure` for anything that is not a version-1 Nyckel backup.
 */
export function parseBackupHeader(
  bytes: Uint8Array,
): { header: BackupHeader; headerBytes: Buffer } | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const notABackup = (why: string) => backupFailure('NOT_A_BACKUP', `not a Nyckel backup: ${why}`);
  const magicSeen = buffer.subarray(0, Math.min(MAGIC.length, buffer.length));
  if (!magicSeen.equals(MAGIC.subarray(0, magicSeen.length))) throw notABackup('wrong magic');
  if (buffer.length < PREFIX_BYTES) return undefined;
  const version = buffer.readUInt16BE(MAGIC.length);
  if (version !== BACKUP_FORMAT_VERSION) {
    throw backupFailure(
      'NOT_A_BACKUP',
      `backup format version ${version} is not supported (this program reads version ${BACKUP_FORMAT_VERSION})`,
    );
  }
  const jsonLength = buffer.readUInt32BE(MAGIC.length + 2);
  if (jsonLength > MAX_HEADER_JSON_BYTES) throw notABackup('header too large');
  if (buffer.length < PREFIX_BYTES + jsonLength) return undefined;
  const headerBytes = Buffer.from(buffer.subarray(0, PREFIX_BYTES + jsonLength));
  let json: unknown;
  try {
    json = JSON.parse(headerBytes.subarray(PREFIX_BYTES).toString('utf8'));
  } catch {
    throw notABackup('damaged header');
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) throw notABackup('damaged header');
  return { header: parsed.data, headerBytes };
}

/** Encrypts a byte stream into the backup format, yielding the header and then each chunk. */
export async function* encryptBackup(
  plaintext: AsyncIterable<Uint8Array>,
  options: EncryptOptions,
): AsyncGenerator<Buffer> {
  const header: BackupHeader = {
    role: options.role,
    created: options.created.toISOString(),
    cipher: 'AES-256-GCM',
    keyDerivation: 'HKDF-SHA256',
    keyId: options.key.id,
    salt: randomBytes(SALT_BYTES).toString('base64'),
    noncePrefix: randomBytes(NONCE_PREFIX_BYTES).toString('base64'),
    chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
  };
  const parsed = headerSchema.safeParse(header);
  if (!parsed.success) throw backupFailure('CONFIG', `invalid chunk size ${header.chunkBytes}`);
  const headerBytes = encodeHeader(header);
  const key = fileKey(options.key, header);
  let index = 0;
  const seal = (chunk: Buffer, last: boolean) => {
    const cipher = createCipheriv('aes-256-gcm', key, chunkNonce(header, index));
    cipher.setAAD(chunkAad(headerBytes, index, last));
    index += 1;
    return Buffer.concat([cipher.update(chunk), cipher.final(), cipher.getAuthTag()]);
  };

  yield headerBytes;
  const pending = byteQueue();
  for await (const bytes of plaintext) {
    pending.push(bytes);
    // A chunk is only sealed as "not last" once more bytes are known to follow it.
    while (pending.length() > header.chunkBytes) yield seal(pending.take(header.chunkBytes), false);
  }
  yield seal(pending.take(pending.length()), true);
}

export interface DecryptOptions {
  key: BackupKey;
  /** Called once with the authenticated-to-be header, before any plaintext is yielded. */
  onHeader?: (header: BackupHeader) => void;
}

/**
 * Decrypts and authenticates a backup stream chunk by chunk. Any wrong key, altered byte,
 * cut or extension throws a `BackupFailure` before the plaintext of the affected chunk is
 * yielded; a consumer must still discard what it received earlier when that happens.
 */
export async function* decryptBackup(
  sealed: AsyncIterable<Uint8Array>,
  options: DecryptOptions,
): AsyncGenerator<Buffer> {
  const pending = byteQueue();
  let opened: { header: BackupHeader; headerBytes: Buffer; key: Buffer } | undefined;
  let index = 0;

  const open = (chunk: Buffer, last: boolean) => {
    const { header, headerBytes, key } = opened!;
    const decipher = createDecipheriv('aes-256-gcm', key, chunkNonce(header, index));
    decipher.setAAD(chunkAad(headerBytes, index, last));
    decipher.setAuthTag(chunk.subarray(chunk.length - TAG_BYTES));
    try {
      const plain = Buffer.concat([
        decipher.update(chunk.subarray(0, chunk.length - TAG_BYTES)),
        decipher.final(),
      ]);
      index += 1;
      return plain;
    } catch {
      throw backupFailure(
        'TAMPERED',
        `the backup is damaged or has been altered: part ${index + 1} failed authentication`,
      );
    }
  };

  const tryOpenHeader = () => {
    const all = pending.take(pending.length());
    const found = parseBackupHeader(all);
    if (!found) {
      pending.push(all);
      return;
    }
    if (found.header.keyId !== options.key.id) {
      throw backupFailure(
        'WRONG_KEY',
        `wrong key: this ${found.header.role} backup was encrypted with key id ${found.header.keyId}, the key given has key id ${options.key.id}`,
      );
    }
    options.onHeader?.(found.header);
    opened = { ...found, key: fileKey(options.key, found.header) };
    pending.push(all.subarray(found.headerBytes.length));
  };

  for await (const bytes of sealed) {
    pending.push(bytes);
    if (!opened) tryOpenHeader();
    if (!opened) continue;
    const sealedChunk = opened.header.chunkBytes + TAG_BYTES;
    while (pending.length() > sealedChunk) yield open(pending.take(sealedChunk), false);
  }
  if (!opened) tryOpenHeader();
  if (!opened) throw backupFailure('NOT_A_BACKUP', 'not a Nyckel backup: file too short');
  if (pending.length() < TAG_BYTES) {
    throw backupFailure('TAMPERED', 'the backup is damaged: it ends before its last part');
  }
  yield open(pending.take(pending.length()), true);
}
