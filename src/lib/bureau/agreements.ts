/**
 * Where the console gets a client's agreements for the notice-date alert. The alert itself
 * (`alerts` in ./alerts.ts) takes the agreements' notice terms and applies the one notice rule
 * of domain/contract-notice.ts; this is the seam that supplies them.
 */
import type { NoticeTerms } from '../../../domain/contract-notice';
import type { OpenEntity } from '../core/finance/entities';

/** The notice terms of one client's agreements (an empty list when it has none). */
export type AgreementSource = (entity: OpenEntity) => Promise<NoticeTerms[]>;

/**
 * No agreements: used until the client core lists a client's agreements
 * (src/lib/core/finance/contracts.ts, issue #7); the console then passes that list instead.
 */
export const noAgreements: AgreementSource = async () => [];
