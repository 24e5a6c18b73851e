/**
 * The sample SIE file bundled with the app (static/sample/, made by
 * scripts/make-sample-sie.ts): synthetic books of a made-up company, so a person can try the
 * whole flow without their own. The UI marks everything from it as sample data.
 */
export const SAMPLE_SIE = {
  fileName: 'nyckel-exempelbolaget.se',
  path: '/sample/nyckel-exempelbolaget.se',
  companyName: 'Exempelbolaget i Nyckel AB (exempeldata)',
  /** Luhn-valid, in the 55xxxx range used for examples; no real company. */
  orgNumber: '559999-9991',
} as const;

/** True for the bundled sample file (by name; the UI never uploads it silently). */
export const isSampleFile = (name: string): boolean => name === SAMPLE_SIE.fileName;
