import type { ProfileError } from './profile';

type Language = 'sv' | 'en';

const MESSAGES: Record<ProfileError['code'], Record<Language, (value: string) => string>> = {
  SNI_FORMAT: {
    en: (v) => `SNI code "${v}" must be 5 digits (SNI 2007, e.g. 62010)`,
    sv: (v) => `SNI-koden "${v}" ska ha 5 siffror (SNI 2007, t.ex. 62010)`,
  },
  SNI_UNKNOWN_DIVISION: {
    en: (v) => `SNI code "${v}" is not in an SNI 2007 division`,
    sv: (v) => `SNI-koden "${v}" hör inte till någon SNI 2007-avdelning`,
  },
  EMPLOYEES_INVALID: {
    en: (v) => `number of employees "${v}" must be a whole number, 0 or more`,
    sv: (v) => `antalet anställda "${v}" ska vara ett heltal, 0 eller mer`,
  },
  COUNTY_UNKNOWN: {
    en: (v) => `county code "${v}" is not a Swedish county (01–25)`,
    sv: (v) => `länskoden "${v}" är inte ett svenskt län (01–25)`,
  },
};

/** A user-readable sentence for a profile validation error, in Swedish or English. */
export const describeProfileError = (error: ProfileError, language: Language): string =>
  MESSAGES[error.code][language](String(error.value));
