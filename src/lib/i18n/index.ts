import { addMessages, init, locale } from 'svelte-i18n';
import { en } from './en';
import { sv } from './sv';
import { AREAS } from './areas/index';

export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'sv';

/** The chosen language is a preference, not personal data, so it may live in localStorage. */
const STORAGE_KEY = 'nyckel.locale';
/** Kept when a logout clears the browser's storage (a preference, nothing personal). */
export const LOCALE_STORAGE_KEY = STORAGE_KEY;

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

function storedLocale(): Locale {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/** Registers both dictionaries synchronously; the app never waits for a language to load. */
export function setupI18n(): void {
  addMessages('sv', sv);
  addMessages('en', en);
  for (const [area, messages] of Object.entries(AREAS)) {
    addMessages('sv', { [area]: messages.sv });
    addMessages('en', { [area]: messages.en });
  }
  const initial = storedLocale();
  init({ fallbackLocale: DEFAULT_LOCALE, initialLocale: initial });
  document.documentElement.lang = initial;
}

export function setLocale(next: Locale): void {
  locale.set(next);
  document.documentElement.lang = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode or storage disabled: the choice lasts for this visit only.
  }
}
