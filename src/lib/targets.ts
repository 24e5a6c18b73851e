import type { OpenEntity } from './core/finance/entities';
import { entitiesOf } from './entities';
import { auth } from './session.svelte';

/**
 * Everything the unlocked user may upload to or benchmark: each active company's own books
 * and each client of each bureau, opened on this device with the organisation keys.
 */
export interface Target {
  /** The link id: stable, random, safe to put in a URL of this app. */
  key: string;
  orgId: string;
  orgName: string;
  orgNumber: string;
  kind: 'company' | 'bureau';
  /** The bureau's customer number for a client; null for a company's own books. */
  label: string | null;
  entity: OpenEntity;
}

export async function loadTargets(): Promise<Target[]> {
  if (auth.status !== 'unlocked') return [];
  const found: Target[] = [];
  for (const m of auth.memberships.filter((m) => m.status === 'active')) {
    for (const entity of (await entitiesOf(m.orgId)) ?? []) {
      // A company has one entity of its own; a labelled one would be a stray client link.
      if (m.kind === 'company' && entity.label !== null) continue;
      found.push({
        key: entity.linkId,
        orgId: m.orgId,
        orgName: m.name,
        orgNumber: m.orgNumber,
        kind: m.kind,
        label: m.kind === 'bureau' ? entity.label : null,
        entity,
      });
    }
  }
  return found;
}

/** svelte-i18n's `$_`, as far as naming a target needs it. */
type Translate = (id: string, options: { values: Record<string, string | null> }) => string;

/** How a target is named in a list: the company, or "<bureau>: client <label>". */
export const targetName = (target: Target, translate: Translate): string =>
  target.kind === 'bureau'
    ? translate('finance.upload.client', {
        values: { bureau: target.orgName, label: target.label },
      })
    : target.orgName;
