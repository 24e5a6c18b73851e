import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Decode } from '../../../src/lib/core/crypto/encoding.ts';
import { eciesOpen } from '../../../src/lib/core/crypto/ecies.ts';
import {
  envelopeSchema,
  importAesKey,
  openEnvelope,
  sealEnvelope,
} from '../../../src/lib/core/crypto/envelope.ts';
import { createAccountKeys, deriveAccountSecrets } from '../../../src/lib/core/crypto/keys.ts';
import {
  MAX_LABEL_CHARS,
  newLinkSecrets,
  newOrgKey,
  openClientLabel,
  openLink,
  sealClientLabel,
  sealLink,
  unwrapOrgKey,
  wrapOrgKeyForMember,
  type OrgLink,
} from '../../../src/lib/core/crypto/org.ts';
import { fingerprint } from '../../../src/lib/core/crypto/p256.ts';
import { expectCryptoError, expectNonExtractable, FAST_KDF } from './helpers.ts';

const orgId = '11111111-2222-4333-8444-555555555555';
const linkId = '99999999-8888-4777-8666-555555555555';

const secrets = await deriveAccountSecrets('pw', FAST_KDF);
const member = async (userId: string) => ({
  userId,
  ...(await createAccountKeys({ userId, wrapKey: secrets.wrapKey })),
});
const alice = await member('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
const bob = await member('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
const carol = await member('cccccccc-cccc-4ccc-8ccc-cccccccccccc');

const unwrapFor = (m: typeof alice, envelope: unknown, keyVersion = 1) =>
  unwrapOrgKey({
    envelope,
    orgId,
    userId: m.userId,
    keyVersion,
    privateKey: m.privateKey,
    publicKey: m.publicKey,
  });

const sameAesKey = async (a: CryptoKey, b: CryptoKey) => {
  const row = { orgId, linkId, keyVersion: 1 };
  const envelope = await sealClientLabel({ orgKey: a, ...row, label: 'x' });
  return (await openClientLabel({ orgKey: b, ...row, envelope })) === 'x';
};

const arbLink: fc.Arbitrary<OrgLink> = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.constant(null))
  .map(([financeEntityId]) => ({ financeEntityId, ...newLinkSecrets() }));

describe('org keys', () => {
  it('newOrgKey wraps one key to every member; each unwraps the same non-extractable key', async () => {
    const { orgKey, wrapped } = await newOrgKey({
      orgId,
      keyVersion: 1,
      members: [alice, bob],
    });
    await expectNonExtractable(orgKey);
    expect(wrapped.map((w) => w.userId)).toEqual([alice.userId, bob.userId]);
    for (const w of wrapped) expect(envelopeSchema.safeParse(w.envelope).success).toBe(true);
    const [forAlice, forBob] = wrapped;
    expect(forAlice?.envelope.kid).toBe(`pub:${alice.fingerprint}`);
    const a = await unwrapFor(alice, forAlice?.envelope);
    const b = await unwrapFor(bob, forBob?.envelope);
    await expectNonExtractable(a);
    await expectNonExtractable(b);
    expect(await sameAesKey(orgKey, a)).toBe(true);
    expect(await sameAesKey(a, b)).toBe(true);
  });

  it('an org key wrapped for user A cannot be opened by user B', async () => {
    const { wrapped } = await newOrgKey({ orgId, keyVersion: 1, members: [alice] });
    const forAlice = wrapped[0]?.envelope;
    // B with own identity: the kid names A's key.
    await expectCryptoError(unwrapFor(bob, forAlice), 'KID_MISMATCH');
    // B claiming A's user id and public key: ECDH with B's private key fails to decrypt.
    await expectCryptoError(
      unwrapOrgKey({
        envelope: forAlice,
        orgId,
        userId: alice.userId,
        keyVersion: 1,
        privateKey: bob.privateKey,
        publicKey: alice.publicKey,
      }),
      'DECRYPT_FAILED',
    );
    // B's envelope with the kid rewritten to B's: the AAD/kek no longer match.
    const forged = { ...forAlice, kid: `pub:${await fingerprint(bob.publicKey)}` };
    await expectCryptoError(unwrapFor(bob, forged), 'DECRYPT_FAILED');
  });

  it('the envelope is bound to org, member and version', async () => {
    const { wrapped } = await newOrgKey({ orgId, keyVersion: 3, members: [alice] });
    const envelope = wrapped[0]?.envelope;
    await expect(unwrapFor(alice, envelope, 3)).resolves.toBeTruthy();
    await expectCryptoError(unwrapFor(alice, envelope, 2), 'DECRYPT_FAILED');
    await expectCryptoError(
      unwrapOrgKey({
        envelope,
        orgId: linkId,
        userId: alice.userId,
        keyVersion: 3,
        privateKey: alice.privateKey,
        publicKey: alice.publicKey,
      }),
      'DECRYPT_FAILED',
    );
    // Opened with the right key but as another purpose.
    await expectCryptoError(
      eciesOpen(alice.privateKey, alice.publicKey, envelope, {
        purpose: 'org-link',
        binding: `${orgId}/${alice.userId}/3`,
      }),
      'DECRYPT_FAILED',
    );
  });

  it('an admin grants the key to a new member without exporting it', async () => {
    const { orgKey, wrapped } = await newOrgKey({ orgId, keyVersion: 1, members: [alice] });
    const envelope = await wrapOrgKeyForMember({
      admin: { ...alice, envelope: wrapped[0]?.envelope },
      orgId,
      keyVersion: 1,
      userId: carol.userId,
      memberPublicKey: carol.publicKey,
    });
    expect(envelope.kid).toBe(`pub:${carol.fingerprint}`);
    expect(await sameAesKey(orgKey, await unwrapFor(carol, envelope))).toBe(true);
    // A non-admin without an envelope of their own cannot grant.
    await expectCryptoError(
      wrapOrgKeyForMember({
        admin: { ...bob, envelope: wrapped[0]?.envelope },
        orgId,
        keyVersion: 1,
        userId: carol.userId,
        memberPublicKey: carol.publicKey,
      }),
      'KID_MISMATCH',
    );
  });

  it('rejects empty or duplicate member lists', async () => {
    await expectCryptoError(newOrgKey({ orgId, keyVersion: 1, members: [] }), 'INVALID_INPUT');
    await expectCryptoError(
      newOrgKey({ orgId, keyVersion: 1, members: [alice, alice] }),
      'INVALID_INPUT',
    );
    await expectCryptoError(newOrgKey({ orgId, keyVersion: 0, members: [alice] }), 'INVALID_INPUT');
  });
});

describe('links and client labels', () => {
  it('link round-trips; the plaintext is the JSON {financeEntityId, capability, entityKey}', async () => {
    const orgKey = await importAesKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
    await fc.assert(
      fc.asyncProperty(arbLink, fc.integer({ min: 1, max: 1000 }), async (link, keyVersion) => {
        const row = { orgKey, orgId, linkId, keyVersion };
        const envelope = await sealLink({ ...row, link });
        expect(envelope.kid).toBe(`org:${orgId}:${keyVersion}`);
        expect(await openLink({ ...row, envelope })).toEqual(link);
        const raw = await openEnvelope(orgKey, envelope, {
          purpose: 'org-link',
          binding: `${orgId}/${linkId}/${keyVersion}`,
          kid: `org:${orgId}:${keyVersion}`,
        });
        expect(utf8Decode(raw)).toBe(JSON.stringify(link));
      }),
      { numRuns: 50 },
    );
  });

  it('a link moved to another row, version, purpose or key fails', async () => {
    const { orgKey } = await newOrgKey({ orgId, keyVersion: 1, members: [alice] });
    const { orgKey: otherKey } = await newOrgKey({ orgId, keyVersion: 1, members: [alice] });
    const row = { orgKey, orgId, linkId, keyVersion: 1 };
    const link = { financeEntityId: 'e1', ...newLinkSecrets() };
    const envelope = await sealLink({ ...row, link });
    await expectCryptoError(openLink({ ...row, linkId: orgId, envelope }), 'DECRYPT_FAILED');
    await expectCryptoError(openLink({ ...row, keyVersion: 2, envelope }), 'KID_MISMATCH');
    await expectCryptoError(
      openLink({ ...row, keyVersion: 2, envelope: { ...envelope, kid: `org:${orgId}:2` } }),
      'DECRYPT_FAILED',
    );
    await expectCryptoError(openClientLabel({ ...row, envelope }), 'DECRYPT_FAILED');
    await expectCryptoError(openLink({ ...row, orgKey: otherKey, envelope }), 'DECRYPT_FAILED');
  });

  it('openLink refuses a well-encrypted but malformed plaintext', async () => {
    const { orgKey } = await newOrgKey({ orgId, keyVersion: 1, members: [alice] });
    const ctx = {
      purpose: 'org-link',
      binding: `${orgId}/${linkId}/1`,
      kid: `org:${orgId}:1`,
    } as const;
    const envelope = await sealEnvelope(orgKey, new TextEncoder().encode('{"x":1}'), ctx);
    await expectCryptoError(
      openLink({ orgKey, orgId, linkId, keyVersion: 1, envelope }),
      'DECRYPT_FAILED',
    );
    await expect(
      sealLink({
        orgKey,
        orgId,
        linkId,
        keyVersion: 1,
        link: { financeEntityId: 'e', capability: 'short', entityKey: 'short' },
      }),
    ).rejects.toThrow();
  });

  it('client labels round-trip (Unicode) and are bound to the row', async () => {
    const { orgKey } = await newOrgKey({ orgId, keyVersion: 1, members: [alice] });
    const row = { orgKey, orgId, linkId, keyVersion: 1 };
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: MAX_LABEL_CHARS / 2, unit: 'binary' }),
        async (label) => {
          const envelope = await sealClientLabel({ ...row, label });
          expect(await openClientLabel({ ...row, envelope })).toBe(label);
        },
      ),
      { numRuns: 50 },
    );
    const envelope = await sealClientLabel({ ...row, label: 'Kund 1042 – Ålands Bageri' });
    await expectCryptoError(openClientLabel({ ...row, linkId: orgId, envelope }), 'DECRYPT_FAILED');
    await expectCryptoError(openLink({ ...row, envelope }), 'DECRYPT_FAILED');
    await expectCryptoError(sealClientLabel({ ...row, label: '' }), 'INVALID_INPUT');
    await expectCryptoError(sealClientLabel({ ...row, label: 'lone \ud800' }), 'INVALID_INPUT');
    await expectCryptoError(
      sealClientLabel({ ...row, label: 'x'.repeat(MAX_LABEL_CHARS + 1) }),
      'INVALID_INPUT',
    );
  });

  it('key rotation: links re-encrypted under version + 1 for the remaining members', async () => {
    const v1 = await newOrgKey({ orgId, keyVersion: 1, members: [alice, bob] });
    const link = { financeEntityId: 'entity-1', ...newLinkSecrets() };
    const old = await sealLink({ orgKey: v1.orgKey, orgId, linkId, keyVersion: 1, link });
    // Remove bob: alice rotates.
    const v2 = await newOrgKey({ orgId, keyVersion: 2, members: [alice] });
    const aliceV1 = await unwrapFor(alice, v1.wrapped[0]?.envelope, 1);
    const plain = await openLink({ orgKey: aliceV1, orgId, linkId, keyVersion: 1, envelope: old });
    const rotated = await sealLink({
      orgKey: v2.orgKey,
      orgId,
      linkId,
      keyVersion: 2,
      link: plain,
    });
    const aliceV2 = await unwrapFor(alice, v2.wrapped[0]?.envelope, 2);
    expect(
      await openLink({ orgKey: aliceV2, orgId, linkId, keyVersion: 2, envelope: rotated }),
    ).toEqual(link);
    // Bob's old v1 key cannot read the rotated link.
    const bobV1 = await unwrapFor(bob, v1.wrapped[1]?.envelope, 1);
    await expectCryptoError(
      openLink({ orgKey: bobV1, orgId, linkId, keyVersion: 2, envelope: rotated }),
      'DECRYPT_FAILED',
    );
  });

  it('newLinkSecrets are 256-bit and fresh', () => {
    const a = newLinkSecrets();
    const b = newLinkSecrets();
    expect(a.capability).toHaveLength(43);
    expect(a.entityKey).toHaveLength(43);
    expect(new Set([a.capability, a.entityKey, b.capability, b.entityKey]).size).toBe(4);
  });
});
