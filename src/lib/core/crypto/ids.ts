/**
 * Key ids (`kid`) and AAD bindings of protocol v1. Every component is checked against
 * `ID_PATTERN`, so `|` (AAD separator), `/` (binding separator) and `:` (kid separator) can
 * never appear inside a component and the AAD string is unambiguous.
 */
import { cryptoError } from './errors.ts';
import { ID_PATTERN } from './schemas.ts';

export const checkId = (id: string, what: string): string => {
  if (!ID_PATTERN.test(id)) throw cryptoError('INVALID_INPUT', `invalid ${what}`);
  return id;
};

export const checkGeneration = (n: number, what: string): number => {
  if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 31 - 1) {
    throw cryptoError('INVALID_INPUT', `invalid ${what}`);
  }
  return n;
};

/** Kid builders (see PROTOCOL.md, "kid names the wrapping key"). */
export const kid = {
  /** The userKey; always generation 1 in protocol v1. */
  user: (userId: string) => `user:${checkId(userId, 'userId')}:1`,
  /** A password-derived wrapKey, `n` = 1 at registration, +1 per replacement. */
  password: (userId: string, n: number) =>
    `pwd:${checkId(userId, 'userId')}:${checkGeneration(n, 'generation')}`,
  /** A recovery-code key, `n` = 1 at registration, +1 per new code. */
  recovery: (userId: string, n: number) =>
    `rec:${checkId(userId, 'userId')}:${checkGeneration(n, 'generation')}`,
  /** An organisation key of version `keyVersion`. */
  org: (orgId: string, keyVersion: number) =>
    `org:${checkId(orgId, 'orgId')}:${checkGeneration(keyVersion, 'keyVersion')}`,
  /** A member's public key, by fingerprint `XXXX-XXXX-XXXX-XXXX`. */
  pub: (fingerprint: string) => `pub:${fingerprint}`,
  /** A finance entity's entityKey (from its org link); always generation 1 in protocol v1. */
  entity: (financeEntityId: string) => `ent:${checkId(financeEntityId, 'financeEntityId')}:1`,
} as const;

/**
 * The generation `n` of a `pwd:`/`rec:` kid for `userId`, or null when `kid` is not of that
 * form (used both to check an envelope's kid and to number its successor).
 */
export const kidGeneration = (
  value: string,
  prefix: 'pwd' | 'rec',
  userId: string,
): number | null => {
  const head = `${prefix}:${userId}:`;
  if (!value.startsWith(head)) return null;
  const rest = value.slice(head.length);
  if (!/^[1-9][0-9]{0,9}$/.test(rest)) return null;
  const n = Number(rest);
  return n <= 2 ** 31 - 1 ? n : null;
};

/** AAD bindings per purpose. */
export const binding = {
  user: (userId: string) => checkId(userId, 'userId'),
  member: (orgId: string, userId: string, keyVersion: number) =>
    `${checkId(orgId, 'orgId')}/${checkId(userId, 'userId')}/${checkGeneration(keyVersion, 'keyVersion')}`,
  link: (orgId: string, linkId: string, keyVersion: number) =>
    `${checkId(orgId, 'orgId')}/${checkId(linkId, 'linkId')}/${checkGeneration(keyVersion, 'keyVersion')}`,
  /**
   * A local draft (purpose `local-draft`, key userKey), part `part` of `parts`: a draft larger
   * than one envelope is sealed in parts, and the part number and count are bound so parts
   * cannot be reordered, dropped or moved between drafts.
   */
  draft: (userId: string, draftId: string, part: number, parts: number) =>
    `draft/${checkId(userId, 'userId')}/${checkId(draftId, 'draftId')}/${checkGeneration(part, 'part')}/${checkGeneration(parts, 'parts')}`,
  /**
   * A bureau's local file→client mapping (purpose `local-client-map`, key userKey) for one
   * organisation, part `part` of `parts`, bound like a draft's parts.
   */
  clientMap: (userId: string, orgId: string, part: number, parts: number) =>
    `client-map/${checkId(userId, 'userId')}/${checkId(orgId, 'orgId')}/${checkGeneration(part, 'part')}/${checkGeneration(parts, 'parts')}`,
  /**
   * What offline unlock needs on this device (purpose `local-unlock`, key wrapKey), stored
   * under a random per-device `handle` rather than the user id, which is sealed inside.
   */
  offlineUnlock: (handle: string) => `offline-unlock/${checkId(handle, 'handle')}`,
  /**
   * The cached identity (purpose `local-account`, key userKey) of the device handle `handle`,
   * part `part` of `parts`.
   */
  offlineAccount: (handle: string, part: number, parts: number) =>
    `offline-account/${checkId(handle, 'handle')}/${checkGeneration(part, 'part')}/${checkGeneration(parts, 'parts')}`,
  /**
   * One cached answer of the device handle `handle` (purposes `local-org-links`,
   * `local-benchmark`; key userKey) under its opaque `entryId`, part `part` of `parts`.
   */
  offlineEntry: (handle: string, entryId: string, part: number, parts: number) =>
    `offline-entry/${checkId(handle, 'handle')}/${checkId(entryId, 'entryId')}/${checkGeneration(part, 'part')}/${checkGeneration(parts, 'parts')}`,
  /**
   * The sealed part of a supplier agreement (purpose `contract-private`, key entityKey), part
   * `part` of `parts`: bound to the entity and the agreement's id, so it cannot be moved to
   * another agreement or entity.
   */
  contract: (financeEntityId: string, contractId: string, part: number, parts: number) =>
    `contract/${checkId(financeEntityId, 'financeEntityId')}/${checkId(contractId, 'contractId')}/${checkGeneration(part, 'part')}/${checkGeneration(parts, 'parts')}`,
  /** A queued offline agreement (purpose `local-draft`, key userKey), part `part` of `parts`. */
  contractDraft: (userId: string, draftId: string, part: number, parts: number) =>
    `contract-draft/${checkId(userId, 'userId')}/${checkId(draftId, 'draftId')}/${checkGeneration(part, 'part')}/${checkGeneration(parts, 'parts')}`,
} as const;
