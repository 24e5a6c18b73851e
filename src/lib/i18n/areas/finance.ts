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
    },
  } satisfies typeof sv,
};
