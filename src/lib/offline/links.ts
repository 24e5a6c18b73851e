import { z } from 'zod';
import { identityApi } from '../api';
import type { LinkRow } from '../core/finance/entities';
import { utf8Encode } from '../core/crypto/index';
import { symmetricEnvelopeSchema } from '../core/crypto/envelope';
import { idSchema } from '../core/crypto/schemas';
import { deviceCache } from './device';
import { isUnreachable } from './network';
import { entryRecord, putEntryRecord } from './store';
import { entryId, openEntry, sealEntry } from './vault';

/**
 * An organisation's link rows (the org-key envelopes of its finance entities) with a sealed
 * copy on this device: each successful listing replaces the copy, and while the server is
 * unreachable the copy answers instead, so files, drafts and cached benchmarks keep working
 * offline. The rows stay org-key ciphertext inside the userKey seal.
 */
export const linkRowsSchema = z
  .array(
    z.strictObject({
      linkId: idSchema,
      keyVersion: z.number().int().min(1),
      link: symmetricEnvelopeSchema,
      label: symmetricEnvelopeSchema.nullable(),
      createdAt: z.string().max(40),
    }),
  )
  .max(100_000) satisfies z.ZodType<LinkRow[]>;

/** Digest of what was last written per entry, so an unchanged listing is not sealed again. */
const written = new Map<string, string>();

const digest = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', utf8Encode(text))).join(',');

async function keepLinks(orgId: string, rows: readonly LinkRow[]): Promise<void> {
  const cache = deviceCache();
  if (!cache) return;
  const id = await entryId(cache.indexKey, 'org-links', orgId);
  const fingerprint = await digest(JSON.stringify(rows));
  if (written.get(id) === fingerprint) return;
  await putEntryRecord(await sealEntry(cache, 'org-links', orgId, rows));
  written.set(id, fingerprint);
}

async function keptLinks(orgId: string): Promise<LinkRow[] | null> {
  const cache = deviceCache();
  if (!cache) return null;
  const record = await entryRecord(await entryId(cache.indexKey, 'org-links', orgId));
  if (!record) return null;
  try {
    return (await openEntry(cache, 'org-links', orgId, record, linkRowsSchema)).value;
  } catch {
    return null;
  }
}

/** The organisation's link rows: from the identity API, or this device's copy when offline. */
export async function linkRows(orgId: string): Promise<LinkRow[]> {
  try {
    const rows = await identityApi.org.links.list.query({ orgId });
    await keepLinks(orgId, rows).catch(() => undefined);
    return rows;
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    const kept = await keptLinks(orgId);
    if (kept === null) throw error;
    return kept;
  }
}

/** Forgets which copies were written (logout): the next listing seals again. */
export const forgetWrittenLinks = () => written.clear();
