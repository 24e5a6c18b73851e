import {
  contractPrivateSchema,
  contractTermsSchema,
  detailsProblems,
  type ContractList,
  type ContractPrivate,
  type ContractTerms,
  type NoticeTerms,
  type SealedContract,
  type StoredContract,
} from '../../../../domain/contracts';
import type { FinanceClient } from '../api/clients';
import {
  b64uDecode,
  binding,
  kid,
  openParts,
  sealParts,
  utf8Decode,
  utf8Encode,
} from '../crypto/index';
import { importAesKey } from '../crypto/envelope';
import { cryptoError } from '../crypto/errors';
import type { OrgLink } from '../crypto/org';

/**
 * Supplier agreements from the client's side (issue #7): the comparable terms go to the
 * finance API in plaintext; supplier, notes and the category's extra fields are sealed with
 * the entity key (purpose `contract-private`, bound to entity and agreement) before they leave
 * the device, and opened here again. Runs in the browser, the CLI and the tests alike.
 */
export type ContractEntity = Pick<OrgLink, 'financeEntityId' | 'capability' | 'entityKey'>;

/** What the user enters: the terms and the private part. */
export interface ContractInput {
  /** Omitted for a new agreement (a UUID v4 is made here). */
  id?: string;
  terms: ContractTerms;
  private: ContractPrivate;
}

/** A stored agreement, opened on this device (`private` null: it could not be opened). */
export interface OpenContract extends Omit<StoredContract, 'sealed'> {
  private: ContractPrivate | null;
}

export interface OpenContractList extends Omit<ContractList, 'contracts'> {
  contracts: OpenContract[];
}

const auth = (entity: ContractEntity) => ({
  entityId: entity.financeEntityId,
  capability: entity.capability,
});

const entityKeyOf = async (entity: Pick<ContractEntity, 'entityKey'>): Promise<CryptoKey> => {
  const raw = b64uDecode(entity.entityKey);
  try {
    return await importAesKey(raw);
  } finally {
    raw.fill(0);
  }
};

const partsContext = (financeEntityId: string, contractId: string) => ({
  purpose: 'contract-private' as const,
  kid: kid.entity(financeEntityId),
  bindingOf: (part: number, parts: number) =>
    binding.contract(financeEntityId, contractId, part, parts),
});

/** Seals supplier, notes and details (UTF-8 JSON, that key order) under the entity key. */
export async function sealContractPrivate(
  entity: Pick<ContractEntity, 'financeEntityId' | 'entityKey'>,
  contractId: string,
  content: ContractPrivate,
): Promise<SealedContract> {
  const { supplier, notes, details } = contractPrivateSchema.parse(content);
  const plaintext = utf8Encode(JSON.stringify({ supplier, notes, details }));
  try {
    return await sealParts(
      await entityKeyOf(entity),
      plaintext,
      partsContext(entity.financeEntityId, contractId),
    );
  } finally {
    plaintext.fill(0);
  }
}

/** Opens a sealed part; `DECRYPT_FAILED` for a tampered, moved or malformed one. */
export async function openContractPrivate(
  entity: Pick<ContractEntity, 'financeEntityId' | 'entityKey'>,
  contractId: string,
  sealed: readonly unknown[],
): Promise<ContractPrivate> {
  const bytes = await openParts(
    await entityKeyOf(entity),
    sealed,
    partsContext(entity.financeEntityId, contractId),
  );
  try {
    const parsed = contractPrivateSchema.safeParse(JSON.parse(utf8Decode(bytes)));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the refusal below.
  } finally {
    bytes.fill(0);
  }
  throw cryptoError('DECRYPT_FAILED', 'malformed agreement');
}

/** Checks an agreement as the server will, plus the category's extra fields. */
export function contractProblems(input: Pick<ContractInput, 'terms' | 'private'>): string[] {
  const terms = contractTermsSchema.safeParse(input.terms);
  const content = contractPrivateSchema.safeParse(input.private);
  return [
    ...(terms.success
      ? []
      : terms.error.issues.map((i) => `${i.path.join('.') || 'terms'}: ${i.message}`)),
    ...(content.success
      ? terms.success
        ? detailsProblems(terms.data.category, content.data.details)
        : []
      : content.error.issues.map((i) => `${i.path.join('.') || 'private'}: ${i.message}`)),
  ];
}

/**
 * Saves an agreement (a new one, or the agreement `input.id` replaced): seals the private
 * part on this device and sends it with the terms.
 */
export async function saveContract(
  finance: FinanceClient,
  entity: ContractEntity,
  input: ContractInput,
): Promise<{ contractId: string; unitPrice: number }> {
  const problems = contractProblems(input);
  if (problems.length > 0) throw new Error(`invalid agreement: ${problems.join('; ')}`);
  const contractId = input.id ?? crypto.randomUUID();
  const sealed = await sealContractPrivate(entity, contractId, input.private);
  return finance.contracts.save.mutate({
    ...auth(entity),
    contractId,
    terms: contractTermsSchema.parse(input.terms),
    sealed,
  });
}

/** The entity's agreements with their comparisons, opened on this device. */
export async function listContracts(
  finance: FinanceClient,
  entity: ContractEntity,
): Promise<OpenContractList> {
  const answer = await finance.contracts.list.query(auth(entity));
  const contracts = await Promise.all(
    answer.contracts.map(async ({ sealed, ...stored }): Promise<OpenContract> => {
      try {
        return { ...stored, private: await openContractPrivate(entity, stored.id, sealed) };
      } catch {
        return { ...stored, private: null };
      }
    }),
  );
  return { ...answer, contracts };
}

export const removeContract = (
  finance: FinanceClient,
  entity: ContractEntity,
  contractId: string,
) => finance.contracts.remove.mutate({ ...auth(entity), contractId });

/** The terms the notice rule needs (domain/contract-notice.ts). */
export const noticeTermsOf = (terms: ContractTerms): NoticeTerms => ({
  endMonth: terms.endMonth,
  noticeMonths: terms.noticeMonths,
  renewalMonths: terms.renewalMonths,
});

/** The notice terms of every agreement of an entity (e.g. for a bureau's alerts). */
export const agreementNoticeTerms =
  (finance: FinanceClient) =>
  async (entity: ContractEntity): Promise<NoticeTerms[]> => {
    const answer = await finance.contracts.list.query(auth(entity));
    return answer.contracts.map((contract) => noticeTermsOf(contract.terms));
  };
