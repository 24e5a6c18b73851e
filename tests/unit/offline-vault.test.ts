import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Membership, UnlockedSession } from '../../src/lib/core/account/account';
import { openOrgKey } from '../../src/lib/core/account/organisation';
import {
  b64uEncode,
  createAccountKeys,
  deriveAccountSecrets,
  newLinkSecrets,
  newOrgKey,
  sealLink,
  unlockAccount,
  type AccountSecrets,
  type KdfParams,
} from '../../src/lib/core/crypto/index';
import { openLinkRows } from '../../src/lib/core/finance/entities';
import { linkRowsSchema } from '../../src/lib/offline/links';
import { sealedBlobSchema } from '../../src/lib/offline/sealed';
import {
  entryId,
  newIndexKey,
  openEntry,
  openOwnAccount,
  sealEntry,
  sealOfflineAccount,
  unlockOfflineAccount,
  type DeviceCache,
  type DeviceIdentity,
  type OfflineAccountRecord,
} from '../../src/lib/offline/vault';
import { expectCryptoError, flipBit } from './crypto/helpers';

/**
 * The device's sealed offline stores (issue #8 "Offline", P9): what offline unlock keeps and
 * the cached answers. Real keys throughout (Argon2id with the smallest allowed cost, the
 * account's own key pair and org key), no stand-ins.
 */
const kdfOf = (): KdfParams => ({
  alg: 'argon2id',
  m: 8192,
  t: 1,
  p: 1,
  salt: b64uEncode(crypto.getRandomValues(new Uint8Array(16))),
});

interface Person {
  password: string;
  secrets: AccountSecrets;
  session: UnlockedSession;
  memberships: Membership[];
  orgKey: CryptoKey;
  identity: DeviceIdentity;
}

async function person(email: string, password: string, company: string): Promise<Person> {
  const userId = crypto.randomUUID();
  const kdf = kdfOf();
  const secrets = await deriveAccountSecrets(password, kdf);
  const created = await createAccountKeys({ userId, wrapKey: secrets.wrapKey });
  const keys = await unlockAccount({
    userId,
    wrapKey: secrets.wrapKey,
    wrappedUserKey: created.wrappedUserKey,
    wrappedPrivateKey: created.wrappedPrivateKey,
    publicKey: created.publicKey,
  });
  const orgId = crypto.randomUUID();
  const org = await newOrgKey({
    orgId,
    keyVersion: 1,
    members: [{ userId, publicKey: created.publicKey }],
  });
  const user = {
    id: userId,
    email,
    role: 'user' as const,
    emailVerified: true,
    keyGeneration: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    lastLoginAt: null,
  };
  const memberships: Membership[] = [
    {
      orgId,
      kind: 'company',
      name: company,
      orgNumber: '556677-8899',
      role: 'owner',
      status: 'active',
      keyVersion: 1,
      wrappedOrgKey: org.wrapped[0]!.envelope,
    },
  ];
  return {
    password,
    secrets,
    session: {
      user,
      keys,
      wrappedUserKey: created.wrappedUserKey,
      wrappedPrivateKey: created.wrappedPrivateKey,
      kdf,
      wrapKey: secrets.wrapKey,
    },
    memberships,
    orgKey: org.orgKey,
    identity: { user, memberships, indexKey: newIndexKey(), savedAt: 1_767_225_600_000 },
  };
}

const sealFor = (p: Person, handle: string = crypto.randomUUID()) =>
  sealOfflineAccount({ handle, session: p.session, identity: p.identity });

const cacheOf = (p: Person, handle: string): DeviceCache => ({
  handle,
  userId: p.session.user.id,
  userKey: p.session.keys.userKey,
  indexKey: p.identity.indexKey,
});

const withBlob = (
  record: OfflineAccountRecord,
  change: (blob: { iv: string; ct: string }) => { iv: string; ct: string },
) => ({ ...record, unlock: change(record.unlock) });

let anna: Person;
let bo: Person;

beforeAll(async () => {
  anna = await person('anna@example.se', 'anna har ett långt lösenord', 'Annas Bageri AB');
  bo = await person('bo@example.se', 'bo har ett annat långt lösenord', 'Bos Bygg AB');
});

describe('offline unlock record', () => {
  it('round trip: the password unlocks the same keys, identity and org access offline', async () => {
    const record = await sealFor(anna);
    const again = await deriveAccountSecrets(anna.password, record.kdf);
    const { session, identity } = await unlockOfflineAccount(record, again);
    expect(identity).toEqual(anna.identity);
    expect(session.user).toEqual(anna.session.user);
    expect(session.kdf).toEqual(anna.session.kdf);
    expect(session.wrappedUserKey).toEqual(anna.session.wrappedUserKey);
    expect(session.keys.publicKey).toBe(anna.session.keys.publicKey);
    // The keys work: the org key wrapped to Anna opens with the offline-unlocked private key.
    const orgKey = await openOrgKey(session, identity.memberships[0]!);
    expect(orgKey).not.toBeNull();
    const link = { financeEntityId: 'e'.repeat(32), ...newLinkSecrets() };
    const row = {
      orgId: identity.memberships[0]!.orgId,
      linkId: crypto.randomUUID(),
      keyVersion: 1,
    };
    const envelope = await sealLink({ ...row, orgKey: anna.orgKey, link });
    const [opened] = await openLinkRows({ orgId: row.orgId, orgKey: orgKey! }, [
      { ...row, link: envelope, label: null, createdAt: '2026-01-02T03:04:05.000Z' },
    ]);
    expect(opened).toMatchObject(link);
  });

  it('keeps in plaintext only the handle and the KDF parameters', async () => {
    const handle = crypto.randomUUID();
    const record = await sealFor(anna, handle);
    expect(Object.keys(record).sort()).toEqual(['account', 'handle', 'kdf', 'unlock']);
    expect(record.handle).toBe(handle);
    expect(record.kdf).toEqual(anna.session.kdf);
    // Stored envelopes carry no kid (it would name the user): only iv and ct.
    for (const blob of [record.unlock, ...record.account]) {
      expect(Object.keys(blob).sort()).toEqual(['ct', 'iv']);
      expect(() => sealedBlobSchema.parse(blob)).not.toThrow();
    }
    const text = JSON.stringify(record);
    for (const secret of [
      anna.session.user.id,
      anna.session.user.email,
      'Annas Bageri',
      '556677-8899',
      anna.memberships[0]!.orgId,
      anna.session.keys.publicKey,
      anna.identity.indexKey,
      JSON.stringify(anna.session.wrappedUserKey),
      (anna.session.wrappedPrivateKey as { ct: string }).ct,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('a wrong password fails exactly like online: DECRYPT_FAILED from AES-GCM', async () => {
    const record = await sealFor(anna);
    const wrong = await deriveAccountSecrets('fel lösenord helt och hållet', record.kdf);
    await expectCryptoError(unlockOfflineAccount(record, wrong), 'DECRYPT_FAILED');
    // Online, the userKey envelope refuses the same wrapKey with the same code.
    await expectCryptoError(
      unlockAccount({
        userId: anna.session.user.id,
        wrapKey: wrong.wrapKey,
        wrappedUserKey: anna.session.wrappedUserKey,
        wrappedPrivateKey: anna.session.wrappedPrivateKey,
        publicKey: anna.session.keys.publicKey,
      }),
      'DECRYPT_FAILED',
    );
  });

  it('tampering with any stored byte, part order or part count is refused', async () => {
    const record = await sealFor(anna);
    const cases: OfflineAccountRecord[] = [
      withBlob(record, (b) => ({ ...b, ct: flipBit(b.ct, 77) })),
      withBlob(record, (b) => ({ ...b, iv: flipBit(b.iv, 3) })),
      { ...record, account: [{ ...record.account[0]!, ct: flipBit(record.account[0]!.ct, 9) }] },
      { ...record, account: [...record.account, ...record.account] },
      // Another handle: the AAD binds every envelope to its record.
      { ...record, handle: crypto.randomUUID() },
    ];
    for (const tampered of cases) {
      await expect(unlockOfflineAccount(tampered, anna.secrets)).rejects.toThrow();
    }
  });

  it('parts of a multi-part identity cannot be reordered or dropped', async () => {
    const many = {
      ...anna.identity,
      memberships: Array.from({ length: 12 }, (_, i) => ({
        ...anna.memberships[0]!,
        orgId: crypto.randomUUID(),
        name: `Bolag ${i} AB`,
      })),
    };
    const record = await sealOfflineAccount({
      handle: crypto.randomUUID(),
      session: anna.session,
      identity: many,
    });
    expect(record.account.length).toBeGreaterThan(1);
    expect((await unlockOfflineAccount(record, anna.secrets)).identity).toEqual(many);
    const [first, second, ...rest] = record.account;
    for (const account of [[second!, first!, ...rest], [first!, ...rest], rest]) {
      await expect(unlockOfflineAccount({ ...record, account }, anna.secrets)).rejects.toThrow();
    }
  });

  it('separates users: one record opens only for its own user', async () => {
    const annaRecord = await sealFor(anna);
    const boRecord = await sealFor(bo);
    expect(
      await openOwnAccount(annaRecord, anna.session.user.id, anna.session.keys.userKey),
    ).toEqual(anna.identity);
    expect(
      await openOwnAccount(annaRecord, bo.session.user.id, bo.session.keys.userKey),
    ).toBeNull();
    // Anna's user key with Bo's id (or the other way round) does not open either.
    expect(
      await openOwnAccount(annaRecord, bo.session.user.id, anna.session.keys.userKey),
    ).toBeNull();
    expect(
      await openOwnAccount(boRecord, anna.session.user.id, anna.session.keys.userKey),
    ).toBeNull();
    // Bo's password does not unlock Anna's record, even with Anna's parameters.
    const boOnAnna = await deriveAccountSecrets(bo.password, annaRecord.kdf);
    await expectCryptoError(unlockOfflineAccount(annaRecord, boOnAnna), 'DECRYPT_FAILED');
    // Bo's unlock part moved into Anna's record does not give Bo Anna's identity.
    const spliced = { ...annaRecord, unlock: boRecord.unlock, kdf: boRecord.kdf };
    await expect(unlockOfflineAccount(spliced, bo.secrets)).rejects.toThrow();
  });

  it('refuses an identity that belongs to another user', async () => {
    await expect(
      sealOfflineAccount({
        handle: crypto.randomUUID(),
        session: anna.session,
        identity: bo.identity,
      }),
    ).rejects.toThrow();
  });
});

describe('cached answers (org links, benchmarks)', () => {
  const answerSchema = z.strictObject({ overall: z.number(), year: z.number() });

  it('round trip under an opaque id, with the time it was saved', async () => {
    const cache = cacheOf(anna, crypto.randomUUID());
    const key = 'e'.repeat(32) + '|newest|auto';
    const record = await sealEntry(cache, 'benchmark', key, { overall: 61, year: 2025 }, 1234);
    expect(record.id).toMatch(/^[0-9a-f]{64}$/);
    expect(record.id).toBe(await entryId(cache.indexKey, 'benchmark', key));
    expect(Object.keys(record).sort()).toEqual(['handle', 'id', 'parts']);
    expect(JSON.stringify(record)).not.toContain('e'.repeat(32));
    await expect(openEntry(cache, 'benchmark', key, record, answerSchema)).resolves.toEqual({
      value: { overall: 61, year: 2025 },
      savedAt: 1234,
    });
  });

  it('ids depend on the user, the kind and the question', async () => {
    const key = crypto.randomUUID();
    const ids = new Set([
      await entryId(anna.identity.indexKey, 'org-links', key),
      await entryId(bo.identity.indexKey, 'org-links', key),
      await entryId(anna.identity.indexKey, 'benchmark', key),
      await entryId(anna.identity.indexKey, 'org-links', `${key}x`),
    ]);
    expect(ids.size).toBe(4);
  });

  it('another user, kind or question cannot open an entry; tampering is refused', async () => {
    const handle = crypto.randomUUID();
    const cache = cacheOf(anna, handle);
    const key = 'question';
    const record = await sealEntry(cache, 'benchmark', key, { overall: 50, year: 2024 });
    const boCache = cacheOf(bo, crypto.randomUUID());
    await expect(openEntry(boCache, 'benchmark', key, record, answerSchema)).rejects.toThrow();
    // Bo's keys under Anna's handle and index key still do not open it.
    await expectCryptoError(
      openEntry(
        { ...cache, userId: bo.session.user.id, userKey: bo.session.keys.userKey },
        'benchmark',
        key,
        record,
        answerSchema,
      ),
      'DECRYPT_FAILED',
    );
    await expect(openEntry(cache, 'org-links', key, record, answerSchema)).rejects.toThrow();
    await expect(openEntry(cache, 'benchmark', 'other', record, answerSchema)).rejects.toThrow();
    // The same ciphertext relabelled as another question's entry does not open.
    const moved = { ...record, id: await entryId(cache.indexKey, 'benchmark', 'other') };
    await expectCryptoError(
      openEntry(cache, 'benchmark', 'other', moved, answerSchema),
      'DECRYPT_FAILED',
    );
    const flipped = {
      ...record,
      parts: [{ ...record.parts[0]!, ct: flipBit(record.parts[0]!.ct, 40) }],
    };
    await expectCryptoError(
      openEntry(cache, 'benchmark', key, flipped, answerSchema),
      'DECRYPT_FAILED',
    );
  });

  it('org link rows survive the cache and still open with the org key', async () => {
    const cache = cacheOf(anna, crypto.randomUUID());
    const orgId = anna.memberships[0]!.orgId;
    const rows = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const linkId = crypto.randomUUID();
        const link = {
          financeEntityId: crypto.randomUUID().replace(/-/g, ''),
          ...newLinkSecrets(),
        };
        return {
          linkId,
          keyVersion: 1,
          link: await sealLink({ orgId, linkId, keyVersion: 1, orgKey: anna.orgKey, link }),
          label: null,
          createdAt: '2026-01-02T03:04:05.000Z',
        };
      }),
    );
    const record = await sealEntry(cache, 'org-links', orgId, rows);
    expect(record.parts.length).toBeGreaterThan(1);
    const { value } = await openEntry(cache, 'org-links', orgId, record, linkRowsSchema);
    expect(value).toEqual(rows);
    const opened = await openLinkRows({ orgId, orgKey: anna.orgKey }, value);
    expect(opened.map((e) => e.linkId)).toEqual(rows.map((r) => r.linkId));
    // Nothing of a link is readable in the stored record.
    const text = JSON.stringify(record);
    for (const entity of opened) {
      expect(text).not.toContain(entity.financeEntityId);
      expect(text).not.toContain(entity.capability);
      expect(text).not.toContain(entity.linkId);
    }
    expect(text).not.toContain(orgId);
  });
});
