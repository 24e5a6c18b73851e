import { createFinanceClient, createIdentityClient } from './core/api/clients';

/** The app's API clients: same origin, the browser holds the identity session cookie. */
export const identityApi = createIdentityClient();
export const financeApi = createFinanceClient();
