import { auth } from './auth';
import { org } from './org';
import { support } from './support';
import { finance } from './finance';
import { benchmark } from './benchmark';
import { bureau } from './bureau';
import { home } from './home';
import { report } from './report';
import { offline } from './offline';
import { agreements } from './agreements';

/**
 * Translations grouped by screen area, each file holding Swedish and English side by side
 * so they are edited together. Keys are namespaced by area (`auth.login.title`).
 */
export const AREAS = {
  auth,
  org,
  support,
  finance,
  benchmark,
  home,
  report,
  bureau,
  offline,
  agreements,
} as const;
