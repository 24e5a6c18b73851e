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
    remove: 'Ta bort {label}',
    removeConfirm:
      'Ta bort klient {label}? Alla uppladdade siffror för klienten raderas från Nyckel. Det går inte att ångra.',
    removed: 'Klient {label} är borttagen och dess siffror raderade.',
    batch: 'Importera många filer',
  },
  batch: {
    title: 'Batchimport',
    intro:
      'Släpp SIE-filer för flera klienter på en gång. Varje fil kopplas till en klient genom organisationsnumret (eller företagsnamnet) i filen, enligt kopplingar som bara sparas krypterat på den här datorn. Filer som inte känns igen listas – de gissas aldrig.',
    noClients: 'Lägg till klienter först, på organisationens sida.',
    notBureau: 'Batchimport finns för redovisningsbyråer.',
    file: 'Fil',
    company: 'Företag i filen',
    years: 'År',
    client: 'Klient',
    status: 'Status',
    choose: 'Välj klient',
    clientFor: 'Klient för {file}',
    noCompany: 'Inget företag angivet i filen',
    matched: 'Känd – kopplad automatiskt',
    unmatchedHeading: 'Filer utan klient',
    unmatchedIntro:
      'De här filerna känns inte igen. Välj klient för var och en; kopplingen sparas till nästa gång.',
    summary:
      '{files, plural, one {# fil} other {# filer}} · {matched} kopplade · {unmatched} utan klient',
    upload: 'Ladda upp {count, plural, one {# fil} other {# filer}}',
    parsing: 'Läses… {percent} %',
    rejected: 'Inte en giltig SIE-fil',
    ready: 'Klar att ladda upp',
    queued: 'Köad – laddas upp när du är online',
    uploaded: 'Uppladdad ({count, plural, one {# år} other {# år}})',
    refused: 'Avvisad: {reason}',
    remove: 'Ta bort {file} från listan',
    empty: 'Inga filer ännu. Släpp klienternas SIE-filer ovan.',
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
      remove: 'Remove {label}',
      removeConfirm:
        'Remove client {label}? Every figure uploaded for the client is erased from Nyckel. This cannot be undone.',
      removed: 'Client {label} has been removed and its figures erased.',
      batch: 'Import many files',
    },
    batch: {
      title: 'Batch import',
      intro:
        'Drop SIE files for several clients at once. Each file is matched to a client by the organisation number (or company name) in the file, using mappings kept only on this computer, encrypted. Files that are not recognised are listed – never guessed.',
      noClients: 'Add clients first, on the organisation page.',
      notBureau: 'Batch import is for accounting bureaus.',
      file: 'File',
      company: 'Company in the file',
      years: 'Years',
      client: 'Client',
      status: 'Status',
      choose: 'Choose a client',
      clientFor: 'Client for {file}',
      noCompany: 'No company named in the file',
      matched: 'Known – matched automatically',
      unmatchedHeading: 'Files without a client',
      unmatchedIntro:
        'These files are not recognised. Choose a client for each; the mapping is remembered for next time.',
      summary:
        '{files, plural, one {# file} other {# files}} · {matched} matched · {unmatched} without a client',
      upload: 'Upload {count, plural, one {# file} other {# files}}',
      parsing: 'Reading… {percent} %',
      rejected: 'Not a valid SIE file',
      ready: 'Ready to upload',
      queued: 'Queued – will be uploaded when you are online',
      uploaded: 'Uploaded ({count, plural, one {# year} other {# years}})',
      refused: 'Refused: {reason}',
      remove: 'Remove {file} from the list',
      empty: 'No files yet. Drop your clients’ SIE files above.',
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
