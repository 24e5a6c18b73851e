import { failureFrom, type ErrorText } from '../trpc';

/** Every error the identity API can answer with: code, stable reason, English, Swedish. */
export const IDENTITY_ERRORS = {
  LOGIN_FAILED: {
    code: 'UNAUTHORIZED',
    en: 'E-mail address or password is wrong.',
    sv: 'Fel e-postadress eller lösenord.',
  },
  LOGIN_LOCKED: {
    code: 'TOO_MANY_REQUESTS',
    en: 'Too many failed attempts. Wait a moment and try again.',
    sv: 'För många misslyckade försök. Vänta en stund och försök igen.',
  },
  NOT_LOGGED_IN: {
    code: 'UNAUTHORIZED',
    en: 'Please log in.',
    sv: 'Logga in först.',
  },
  SESSION_EXPIRED: {
    code: 'UNAUTHORIZED',
    en: 'Your session has ended. Please log in again.',
    sv: 'Din session har gått ut. Logga in igen.',
  },
  CURRENT_PASSWORD_WRONG: {
    code: 'UNAUTHORIZED',
    en: 'The current password is wrong.',
    sv: 'Det nuvarande lösenordet är fel.',
  },
  RECOVERY_FAILED: {
    code: 'UNAUTHORIZED',
    en: 'E-mail address or recovery code is wrong.',
    sv: 'Fel e-postadress eller återställningskod.',
  },
  TOKEN_INVALID: {
    code: 'BAD_REQUEST',
    en: 'This link is invalid, already used or expired. Ask for a new one.',
    sv: 'Länken är ogiltig, redan använd eller för gammal. Begär en ny.',
  },
  ID_IN_USE: {
    code: 'CONFLICT',
    en: 'This id is already in use. Try again.',
    sv: 'Id:t används redan. Försök igen.',
  },
  EMAIL_NOT_VERIFIED: {
    code: 'FORBIDDEN',
    en: 'Confirm your e-mail address first (see the mail we sent you).',
    sv: 'Bekräfta din e-postadress först (se mejlet vi skickade).',
  },
  ALREADY_VERIFIED: {
    code: 'BAD_REQUEST',
    en: 'The e-mail address is already confirmed.',
    sv: 'E-postadressen är redan bekräftad.',
  },
  SUPPORT_ONLY: {
    code: 'FORBIDDEN',
    en: 'Only support staff may do this.',
    sv: 'Endast supportpersonal får göra detta.',
  },
  SUPPORT_NO_ORG_ACCESS: {
    code: 'FORBIDDEN',
    en: 'Support accounts have no access to organisations.',
    sv: 'Supportkonton har ingen åtkomst till organisationer.',
  },
  ORG_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'Organisation not found.',
    sv: 'Organisationen hittades inte.',
  },
  MEMBERSHIP_NOT_ACTIVE: {
    code: 'FORBIDDEN',
    en: 'Your membership has not been confirmed by an administrator yet.',
    sv: 'Ditt medlemskap har ännu inte bekräftats av en administratör.',
  },
  ROLE_REQUIRED: {
    code: 'FORBIDDEN',
    en: 'Only an owner or administrator of the organisation may do this.',
    sv: 'Endast en ägare eller administratör i organisationen får göra detta.',
  },
  OWNER_REQUIRED: {
    code: 'FORBIDDEN',
    en: 'Only an owner may change owners or administrators.',
    sv: 'Endast en ägare får ändra ägare eller administratörer.',
  },
  SELF_REMOVAL: {
    code: 'FORBIDDEN',
    en: 'Ask another administrator to remove you: the organisation key must be replaced by someone who stays.',
    sv: 'Be en annan administratör ta bort dig: organisationens nyckel måste bytas av någon som stannar kvar.',
  },
  LAST_OWNER: {
    code: 'CONFLICT',
    en: 'The last owner cannot be removed.',
    sv: 'Den sista ägaren kan inte tas bort.',
  },
  MEMBER_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'No such member in this organisation.',
    sv: 'Ingen sådan medlem i organisationen.',
  },
  ALREADY_MEMBER: {
    code: 'CONFLICT',
    en: 'This person is already a member.',
    sv: 'Personen är redan medlem.',
  },
  MEMBER_NOT_AWAITING_KEY: {
    code: 'CONFLICT',
    en: 'This member already has access.',
    sv: 'Medlemmen har redan åtkomst.',
  },
  KEY_VERSION_STALE: {
    code: 'CONFLICT',
    en: 'The organisation key has changed meanwhile. Reload and try again.',
    sv: 'Organisationens nyckel har ändrats under tiden. Ladda om och försök igen.',
  },
  ROTATION_INCOMPLETE: {
    code: 'BAD_REQUEST',
    en: 'Removing a member needs a new key for every remaining member and every link.',
    sv: 'För att ta bort en medlem krävs ny nyckel för varje kvarvarande medlem och varje koppling.',
  },
  INVITATION_INVALID: {
    code: 'NOT_FOUND',
    en: 'This invitation is invalid, already used or expired.',
    sv: 'Inbjudan är ogiltig, redan använd eller för gammal.',
  },
  INVITATION_OTHER_EMAIL: {
    code: 'FORBIDDEN',
    en: 'This invitation was sent to another e-mail address. Log in with that address.',
    sv: 'Inbjudan skickades till en annan e-postadress. Logga in med den adressen.',
  },
  SESSION_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'No such session.',
    sv: 'Ingen sådan session.',
  },
  LINK_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'No such company or client in this organisation.',
    sv: 'Inget sådant företag eller sådan klient i organisationen.',
  },
  USER_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'No such user.',
    sv: 'Ingen sådan användare.',
  },
} as const satisfies Record<string, ErrorText>;

export type IdentityErrorReason = keyof typeof IDENTITY_ERRORS;

export const fail = failureFrom<IdentityErrorReason>(IDENTITY_ERRORS);
