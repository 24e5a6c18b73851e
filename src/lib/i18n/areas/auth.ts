const sv = {
  nav: {
    login: 'Logga in',
    register: 'Skapa konto',
    account: 'Konto',
    lock: 'Lås',
    logout: 'Logga ut',
  },
  fields: {
    email: 'E-postadress',
    password: 'Lösenord',
    passwordRepeat: 'Upprepa lösenordet',
    newPassword: 'Nytt lösenord',
    currentPassword: 'Nuvarande lösenord',
    recoveryCode: 'Återställningskod',
  },
  passwordHint: 'Minst 12 tecken. En mening av flera ord är både lätt att minnas och säker.',
  passwordsDiffer: 'Lösenorden är inte lika.',
  working: 'Skapar nycklar på din dator…',
  deriving: 'Låser upp… (nyckeln räknas fram på din dator)',
  register: {
    title: 'Skapa konto',
    intro:
      'Ditt lösenord lämnar aldrig din dator. Av det räknas nycklar fram här som låser dina uppgifter – därför kan ingen hos oss läsa dem, och därför kan vi inte heller återställa ett glömt lösenord utan din återställningskod.',
    submit: 'Skapa konto',
    haveAccount: 'Har du redan ett konto? Logga in',
  },
  recovery: {
    title: 'Spara din återställningskod',
    intro:
      'Koden är det enda som kan öppna dina uppgifter om du glömmer lösenordet. Den visas bara den här gången. Skriv ut den eller spara den på ett säkert ställe – inte på den här datorn om andra använder den.',
    print: 'Skriv ut',
    download: 'Ladda ner som textfil',
    fingerprint: 'Fingeravtryck för din nyckel',
    confirm: 'Jag har sparat återställningskoden',
    continue: 'Fortsätt',
    fileHeading: 'Nyckel – återställningskod',
    fileWarning:
      'Förvara koden säkert. Med den och din e-postadress kan lösenordet bytas utan att data går förlorade.',
    secondAdmin:
      'Tips: lägg till ytterligare en administratör i din organisation, så kan åtkomsten återställas även om både lösenord och kod skulle förloras.',
  },
  verify: {
    sent: 'Vi har skickat ett mejl till {email}. Klicka på länken i mejlet för att bekräfta adressen.',
    working: 'Bekräftar e-postadressen…',
    done: 'Tack! Din e-postadress är bekräftad.',
    failed: 'Länken fungerar inte längre. Logga in och begär ett nytt mejl.',
    toLogin: 'Till inloggningen',
  },
  login: {
    title: 'Logga in',
    submit: 'Logga in',
    failed: 'Fel e-postadress eller lösenord.',
    forgot: 'Glömt lösenordet?',
    noAccount: 'Inget konto? Skapa ett',
    unverified: 'Bekräfta din e-postadress via länken i mejlet innan du skapar en organisation.',
  },
  lock: {
    title: 'Nyckel är låst',
    intro:
      'Dina nycklar har tagits bort från minnet. Ange lösenordet för att fortsätta som {email}.',
    submit: 'Lås upp',
    wrong: 'Fel lösenord.',
    other: 'Logga in som någon annan',
    autoLocked: 'Låstes automatiskt efter {minutes} minuters inaktivitet.',
  },
  forgot: {
    title: 'Glömt lösenordet',
    withCode: 'Jag har min återställningskod',
    withCodeIntro: 'Välj ett nytt lösenord. Dina nycklar och organisationer behålls.',
    withoutCode: 'Jag har inte koden',
    withoutCodeIntro:
      'Vi skickar en länk till din e-post. Utan koden skapas nya nycklar: du kommer åt ditt konto igen, men en annan administratör måste ge dig åtkomst till varje organisation på nytt.',
    sendLink: 'Skicka länk',
    linkSent: 'Om adressen har ett konto har vi skickat en länk dit.',
    submit: 'Byt lösenord',
    failed: 'E-postadressen eller återställningskoden stämmer inte.',
    done: 'Lösenordet är bytt. Här är din nya återställningskod – den gamla gäller inte längre.',
  },
  reset: {
    title: 'Nytt lösenord utan återställningskod',
    warning:
      'Nya nycklar skapas. Du förlorar åtkomsten till dina organisationers uppgifter tills en annan administratör ger dig den igen. Är du ensam administratör går uppgifterna inte att öppna.',
    submit: 'Skapa nya nycklar och byt lösenord',
    failed: 'Länken fungerar inte längre. Begär en ny.',
  },
  account: {
    title: 'Ditt konto',
    fingerprint: 'Nyckelns fingeravtryck',
    fingerprintHint: 'Jämför det med vad en administratör ser innan hen ger dig åtkomst.',
    changePassword: 'Byt lösenord',
    changed: 'Lösenordet är bytt. Alla andra inloggningar har avslutats.',
    currentWrong: 'Nuvarande lösenord stämmer inte.',
    sessions: 'Inloggningar',
    current: 'den här',
    revoke: 'Avsluta',
    created: 'Inloggad {date}',
    lastSeen: 'senast aktiv {date}',
  },
  errors: {
    network: 'Servern svarar inte. Kontrollera anslutningen och försök igen.',
    generic: 'Något gick fel: {message}',
    locked: 'För många misslyckade försök. Vänta en stund och försök igen.',
  },
};

export const auth = {
  sv,
  en: {
    nav: {
      login: 'Log in',
      register: 'Create account',
      account: 'Account',
      lock: 'Lock',
      logout: 'Log out',
    },
    fields: {
      email: 'E-mail address',
      password: 'Password',
      passwordRepeat: 'Repeat the password',
      newPassword: 'New password',
      currentPassword: 'Current password',
      recoveryCode: 'Recovery code',
    },
    passwordHint:
      'At least 12 characters. A sentence of several words is easy to remember and safe.',
    passwordsDiffer: 'The passwords are not the same.',
    working: 'Creating keys on your computer…',
    deriving: 'Unlocking… (the key is computed on your computer)',
    register: {
      title: 'Create account',
      intro:
        'Your password never leaves your computer. Keys that lock your data are computed from it here – so nobody at Nyckel can read your data, and so we cannot restore a forgotten password without your recovery code.',
      submit: 'Create account',
      haveAccount: 'Already have an account? Log in',
    },
    recovery: {
      title: 'Save your recovery code',
      intro:
        'The code is the only thing that can open your data if you forget the password. It is shown only this once. Print it or keep it somewhere safe – not on this computer if others use it.',
      print: 'Print',
      download: 'Download as a text file',
      fingerprint: 'Fingerprint of your key',
      confirm: 'I have saved the recovery code',
      continue: 'Continue',
      fileHeading: 'Nyckel – recovery code',
      fileWarning:
        'Keep the code safe. With it and your e-mail address the password can be changed without losing data.',
      secondAdmin:
        'Tip: add a second administrator to your organisation, so access can be restored even if both password and code are lost.',
    },
    verify: {
      sent: 'We have sent an e-mail to {email}. Click the link in it to confirm the address.',
      working: 'Confirming the e-mail address…',
      done: 'Thank you! Your e-mail address is confirmed.',
      failed: 'The link no longer works. Log in and ask for a new e-mail.',
      toLogin: 'Go to login',
    },
    login: {
      title: 'Log in',
      submit: 'Log in',
      failed: 'Wrong e-mail address or password.',
      forgot: 'Forgot the password?',
      noAccount: 'No account? Create one',
      unverified:
        'Confirm your e-mail address with the link in the e-mail before creating an organisation.',
    },
    lock: {
      title: 'Nyckel is locked',
      intro: 'Your keys have been removed from memory. Enter the password to continue as {email}.',
      submit: 'Unlock',
      wrong: 'Wrong password.',
      other: 'Log in as someone else',
      autoLocked: 'Locked automatically after {minutes} minutes without activity.',
    },
    forgot: {
      title: 'Forgot the password',
      withCode: 'I have my recovery code',
      withCodeIntro: 'Choose a new password. Your keys and organisations are kept.',
      withoutCode: 'I do not have the code',
      withoutCodeIntro:
        'We send a link to your e-mail. Without the code new keys are created: you get your account back, but another administrator must give you access to each organisation again.',
      sendLink: 'Send link',
      linkSent: 'If the address has an account, we have sent a link to it.',
      submit: 'Change password',
      failed: 'The e-mail address or the recovery code is not right.',
      done: 'The password has been changed. Here is your new recovery code – the old one no longer works.',
    },
    reset: {
      title: 'New password without a recovery code',
      warning:
        'New keys are created. You lose access to your organisations’ data until another administrator grants it again. If you are the only administrator, the data cannot be opened.',
      submit: 'Create new keys and change password',
      failed: 'The link no longer works. Ask for a new one.',
    },
    account: {
      title: 'Your account',
      fingerprint: 'Key fingerprint',
      fingerprintHint: 'Compare it with what an administrator sees before they grant you access.',
      changePassword: 'Change password',
      changed: 'The password has been changed. All other sessions have been ended.',
      currentWrong: 'The current password is not right.',
      sessions: 'Sessions',
      current: 'this one',
      revoke: 'End',
      created: 'Logged in {date}',
      lastSeen: 'last active {date}',
    },
    errors: {
      network: 'The server does not answer. Check your connection and try again.',
      generic: 'Something went wrong: {message}',
      locked: 'Too many failed attempts. Wait a while and try again.',
    },
  } satisfies typeof sv,
};
