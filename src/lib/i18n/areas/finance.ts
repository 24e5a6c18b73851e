const sv = {
  profile: {
    title: 'Profil för jämförelse',
    intro:
      'Profilen väljer vilka företag ni jämförs med. Den skickas grovt: tre första siffrorna i SNI-koden, storleksklass och län – aldrig namn eller organisationsnummer.',
    sni: 'SNI-kod (5 siffror)',
    county: 'Län',
    employees: 'Antal anställda',
    save: 'Spara profil',
    saved: 'Profilen är sparad.',
    none: 'Ingen profil ännu – spara en för att kunna ladda upp.',
    current: 'Nu: SNI {sni} · {band} anställda · län {county}',
  },
  clients: {
    title: 'Klienter',
    intro:
      'Klienterna är kända för Nyckel bara genom era egna kundnummer, och de krypteras med byråns nyckel innan de lämnar datorn.',
    label: 'Kundnummer eller etikett',
    add: 'Lägg till klient',
    added: 'Klient {label} är tillagd.',
    empty: 'Inga klienter ännu.',
    exists: 'Det finns redan en klient med den etiketten.',
  },
  upload: {
    title: 'Ladda upp summorna',
    target: 'Till',
    choose: 'Välj företag eller klient',
    submit: 'Ladda upp',
    done: '{count, plural, one {# räkenskapsår} other {# räkenskapsår}} uppladdade. Bara summor per kontogrupp lämnade datorn.',
    orgMismatch:
      'Filen gäller organisationsnummer {file}, men {org} har {expected}. Kontrollera att det är rätt företag.',
    loginFirst: 'Logga in för att ladda upp. Filen är redan läst här och kan granskas nedan.',
    noTarget:
      'Skapa ett företag (med profil) eller lägg till en klient under Organisationer först.',
    client: '{bureau} – klient {label}',
    queued: 'Köad – laddas upp när du är online',
    retrying: 'Köad – uppladdningen avbröts och görs om automatiskt.',
  },
  queue: {
    title: 'Uppladdningskö',
    intro:
      'Uppladdningar sparas krypterade på den här enheten tills servern har tagit emot dem. De går inte att läsa utan ditt lösenord.',
    item: '{file} till {target}',
    queued: 'Väntar',
    refused: 'Avvisad av servern',
    done: 'Uppladdad',
    remove: 'Ta bort',
    retry: 'Försök igen',
    offline: 'Du är offline – kön skickas när du är online igen.',
    locked:
      '{count, plural, one {# uppladdning väntar} other {# uppladdningar väntar}} – lås upp för att skicka.',
  },
};

export const finance = {
  sv,
  en: {
    profile: {
      title: 'Benchmark profile',
      intro:
        'The profile chooses which companies you are compared with. It is sent coarsened: the first three digits of the SNI code, a size band and the county – never a name or organisation number.',
      sni: 'SNI code (5 digits)',
      county: 'County',
      employees: 'Number of employees',
      save: 'Save profile',
      saved: 'The profile has been saved.',
      none: 'No profile yet – save one to be able to upload.',
      current: 'Now: SNI {sni} · {band} employees · county {county}',
    },
    clients: {
      title: 'Clients',
      intro:
        'Nyckel knows clients only by your own customer numbers, encrypted with the bureau key before they leave this computer.',
      label: 'Customer number or label',
      add: 'Add client',
      added: 'Client {label} has been added.',
      empty: 'No clients yet.',
      exists: 'There is already a client with that label.',
    },
    upload: {
      title: 'Upload the sums',
      target: 'To',
      choose: 'Choose a company or client',
      submit: 'Upload',
      done: '{count, plural, one {# fiscal year} other {# fiscal years}} uploaded. Only sums per account group left this computer.',
      orgMismatch:
        'The file is for organisation number {file}, but {org} has {expected}. Check that it is the right company.',
      loginFirst:
        'Log in to upload. The file has already been read here and can be reviewed below.',
      noTarget: 'Create a company (with a profile) or add a client under Organisations first.',
      client: '{bureau} – client {label}',
      queued: 'Queued – will be uploaded when you are online',
      retrying: 'Queued – the upload was interrupted and will be retried automatically.',
    },
    queue: {
      title: 'Upload queue',
      intro:
        'Uploads are kept encrypted on this device until the server has received them. They cannot be read without your password.',
      item: '{file} to {target}',
      queued: 'Waiting',
      refused: 'Refused by the server',
      done: 'Uploaded',
      remove: 'Remove',
      retry: 'Try again',
      offline: 'You are offline – the queue is sent when you are back online.',
      locked:
        '{count, plural, one {# upload is waiting} other {# uploads are waiting}} – unlock to send.',
    },
  } satisfies typeof sv,
};
