import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export type MailKind = 'verify' | 'register-attempt' | 'reset' | 'invite';

export interface MailMessage {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  /** The one link in the mail (logged in outbox mode only). */
  link?: string;
}

export interface Mailer {
  /** Sends in the background; errors are logged, never thrown to the request. */
  send: (message: MailMessage) => void;
  /** Resolves when every queued message has been sent or written (tests, shutdown). */
  idle: () => Promise<void>;
  mode: 'smtp' | 'outbox';
}

export interface MailerOptions {
  smtpUrl: string;
  from: string;
  dataDir: string;
  log: Logger;
}

export const OUTBOX_DIR = 'outbox';

/**
 * SMTP when `NYCKEL_SMTP_URL` is set; otherwise each message is rendered by nodemailer's
 * stream transport and written as an `.eml` file to `DATA_DIR/outbox/`, and its link is logged
 * (development mode: there is no mailbox to read it from).
 */
export function createMailer(options: MailerOptions): Mailer {
  const { log } = options;
  const outbox = join(options.dataDir, OUTBOX_DIR);
  const smtp = options.smtpUrl !== '';
  const transport = smtp
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const pending = new Set<Promise<void>>();

  const deliver = async (message: MailMessage) => {
    const info = await transport.sendMail({
      from: options.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      headers: { 'X-Nyckel-Mail': message.kind },
    });
    if (smtp) {
      log.info({ mail: message.kind }, 'mail sent');
      return;
    }
    const raw = (info as unknown as { message: Buffer }).message;
    mkdirSync(outbox, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}-${message.kind}.eml`;
    writeFileSync(join(outbox, name), raw, { mode: 0o600 });
    log.info({ mail: message.kind, file: name, link: message.link }, 'mail written to outbox');
  };

  return {
    mode: smtp ? 'smtp' : 'outbox',
    send: (message) => {
      const job = deliver(message)
        .catch((error: unknown) => {
          // Only the error code: SMTP messages can quote the recipient's address.
          const { code, responseCode } = (error ?? {}) as { code?: string; responseCode?: number };
          log.error(
            { mail: message.kind, code: code ?? 'unknown', responseCode },
            'mail could not be sent',
          );
        })
        .finally(() => pending.delete(job));
      pending.add(job);
    },
    idle: async () => {
      await Promise.all([...pending]);
    },
  };
}

const footer = (origin: string) =>
  `\n--\nNyckel · ${origin}\nDetta är ett automatiskt meddelande. / This is an automated message.\n`;

/** The texts of every mail, Swedish first, then English. */
export const mails = {
  verify: (to: string, link: string, origin: string): MailMessage => ({
    kind: 'verify',
    to,
    link,
    subject: 'Bekräfta din e-postadress / Confirm your e-mail address – Nyckel',
    text:
      `Hej!\n\nBekräfta din e-postadress för ditt Nyckel-konto genom att öppna länken nedan ` +
      `(giltig i 24 timmar):\n\n${link}\n\nHar du inte skapat något konto kan du bortse från det här mejlet.\n\n` +
      `---\n\nHello,\n\nPlease confirm the e-mail address of your Nyckel account by opening ` +
      `the link below (valid for 24 hours):\n\n${link}\n\nIf you did not create an account, ` +
      `you can ignore this message.\n${footer(origin)}`,
  }),
  registerAttempt: (to: string, resetLink: string, origin: string): MailMessage => ({
    kind: 'register-attempt',
    to,
    subject:
      'Någon försökte registrera din adress / Someone tried to register your address – Nyckel',
    text:
      `Hej!\n\nNågon (kanske du) försökte skapa ett nytt Nyckel-konto med den här e-postadressen, ` +
      `men det finns redan ett konto. Har du glömt lösenordet kan du återställa det här:\n\n` +
      `${resetLink}\n\nVar det inte du behöver du inte göra något.\n\n---\n\n` +
      `Hello,\n\nSomeone (perhaps you) tried to create a new Nyckel account with this e-mail ` +
      `address, but an account already exists. If you forgot your password, you can reset it ` +
      `here:\n\n${resetLink}\n\nIf it was not you, there is nothing you need to do.\n${footer(origin)}`,
  }),
  reset: (to: string, link: string, origin: string): MailMessage => ({
    kind: 'reset',
    to,
    link,
    subject: 'Återställ ditt lösenord / Reset your password – Nyckel',
    text:
      `Hej!\n\nÖppna länken nedan för att välja ett nytt lösenord (giltig i 1 timme):\n\n${link}\n\n` +
      `Viktigt: utan din återställningskod får du nya nycklar. Organisationernas data blir då ` +
      `åtkomlig först när en annan administratör har gett dig åtkomst igen. Har du koden, ` +
      `använd hellre \u201dÅterställ med kod\u201d i appen.\n\n` +
      `Har du inte bett om detta kan du bortse från mejlet.\n\n---\n\n` +
      `Hello,\n\nOpen the link below to choose a new password (valid for 1 hour):\n\n${link}\n\n` +
      `Important: without your recovery code you get new keys, and your organisations' data ` +
      `becomes readable again only after another administrator re-grants you access. If you ` +
      `have the code, use "Recover with code" in the app instead.\n\n` +
      `If you did not ask for this, you can ignore this message.\n${footer(origin)}`,
  }),
  invite: (to: string, link: string, orgName: string, origin: string): MailMessage => ({
    kind: 'invite',
    to,
    link,
    subject: `Inbjudan till ${orgName} / Invitation to ${orgName} – Nyckel`,
    text:
      `Hej!\n\nDu har bjudits in till organisationen \u201d${orgName}\u201d i Nyckel. ` +
      `Öppna länken nedan, logga in eller skapa ett konto med den här e-postadressen och ` +
      `acceptera inbjudan (giltig i 7 dagar):\n\n${link}\n\nEn administratör bekräftar dig ` +
      `sedan; jämför gärna nyckelns fingeravtryck med hen.\n\n---\n\n` +
      `Hello,\n\nYou have been invited to the organisation "${orgName}" in Nyckel. Open the ` +
      `link below, log in or create an account with this e-mail address and accept the ` +
      `invitation (valid for 7 days):\n\n${link}\n\nAn administrator then confirms you; ` +
      `compare your key fingerprint with them.\n${footer(origin)}`,
  }),
};
