import { auth } from './auth';
import { org } from './org';
import { support } from './support';
import { finance } from './finance';
import { benchmark } from './benchmark';

/**
 * Translations grouped by screen area, each file holding Swedish and English side by side
 * so they are edited together. Keys are namespaced by area (`auth.login.title`).
 */
export const AREAS = { auth, org, support, finance, benchmark } as const;
