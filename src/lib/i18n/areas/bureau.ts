const sv = {
  nav: 'Byråöversikt',
  title: 'Byråöversikt',
  intro:
    'Alla klienter i en tabell: senaste räkenskapsåret, totalindex, några nyckeltal och det som behöver uppmärksamhet. Kundnumren dekrypteras på den här datorn.',
  fromClients: 'Alla klienter i en tabell',
  loading: 'Hämtar klienterna…',
  progress: '{done} av {total} klienter hämtade',
  refresh: 'Hämta igen',
  caption: 'Byråns klienter',
  columns: {
    label: 'Kundnummer',
    bureau: 'Byrå',
    year: 'År',
    overall: 'Totalindex',
    peers: 'Företag i gruppen',
    alerts: 'Att titta på',
  },
  sortBy: 'Sortera efter {column}',
  noUpload: 'Inget uppladdat',
  pending: 'Hämtas…',
  failed: 'Kunde inte hämtas: {reason}',
  noValue: '–',
  openClient: 'Öppna jämförelsen för klient {label}',
  alerts: {
    'no-year': 'Inget år uppladdat',
    'liquidity-below-p25': 'Likviditet under undre kvartilen ({metrics})',
    'negative-equity': 'Negativt eget kapital',
    'notice-soon':
      '{count, plural, one {Avtal} other {# avtal}} med uppsägningsdatum inom {days} dagar (senast {date})',
    none: 'Inget',
  },
  filters: {
    legend: 'Filtrera',
    text: 'Sök kundnummer',
    onlyAlerts: 'Bara klienter med något att titta på',
    year: 'Räkenskapsår',
    newest: 'Senaste året för varje klient',
    bureau: 'Byrå',
    allBureaus: 'Alla byråer',
    shown: 'Visar {shown} av {total} klienter',
    reset: 'Visa alla',
    noMatch: 'Inga klienter matchar filtret.',
  },
  csv: {
    year: 'Räkenskapsår',
    download: 'Ladda ner CSV',
    hint: 'Filen skapas på den här datorn av raderna som visas – inget skickas till servern.',
    figure: '{name} (%)',
    figureIndex: '{name}, index',
  },
  empty: {
    noBureau:
      'Byråöversikten är för redovisningsbyråer. Skapa en byrå eller be en byrå bjuda in dig under Organisationer.',
    toOrganisations: 'Till Organisationer',
    noClients:
      'Byrån har inga klienter ännu. Lägg till klienterna med sina kundnummer och läs sedan in deras SIE-filer med batchimport.',
    addClients: 'Lägg till klienter',
    batch: 'Batchimport',
    nothingUploaded:
      'Ingen klient har laddat upp något räkenskapsår ännu. Läs in klienternas SIE-filer med batchimport så fylls tabellen.',
  },
};

export const bureau = {
  sv,
  en: {
    nav: 'Bureau console',
    title: 'Bureau console',
    intro:
      'Every client in one table: the newest fiscal year, the overall index, a few key figures and what needs attention. Customer numbers are decrypted on this computer.',
    fromClients: 'All clients in one table',
    loading: 'Loading the clients…',
    progress: '{done} of {total} clients fetched',
    refresh: 'Fetch again',
    caption: 'The bureau’s clients',
    columns: {
      label: 'Customer number',
      bureau: 'Bureau',
      year: 'Year',
      overall: 'Overall index',
      peers: 'Companies in the group',
      alerts: 'To look at',
    },
    sortBy: 'Sort by {column}',
    noUpload: 'Nothing uploaded',
    pending: 'Fetching…',
    failed: 'Could not be fetched: {reason}',
    noValue: '–',
    openClient: 'Open the benchmarks of client {label}',
    alerts: {
      'no-year': 'No year uploaded',
      'liquidity-below-p25': 'Liquidity below the lower quartile ({metrics})',
      'negative-equity': 'Negative equity',
      'notice-soon':
        '{count, plural, one {Agreement} other {# agreements}} with a notice date within {days} days (first {date})',
      none: 'Nothing',
    },
    filters: {
      legend: 'Filter',
      text: 'Search customer number',
      onlyAlerts: 'Only clients with something to look at',
      year: 'Fiscal year',
      newest: 'Each client’s newest year',
      bureau: 'Bureau',
      allBureaus: 'All bureaus',
      shown: 'Showing {shown} of {total} clients',
      reset: 'Show all',
      noMatch: 'No client matches the filter.',
    },
    csv: {
      year: 'Fiscal year',
      download: 'Download CSV',
      hint: 'The file is made on this computer from the rows shown – nothing is sent to the server.',
      figure: '{name} (%)',
      figureIndex: '{name}, index',
    },
    empty: {
      noBureau:
        'The bureau console is for accounting bureaus. Create a bureau, or ask a bureau to invite you, under Organisations.',
      toOrganisations: 'Go to Organisations',
      noClients:
        'The bureau has no clients yet. Add the clients with their customer numbers, then read their SIE files with batch import.',
      addClients: 'Add clients',
      batch: 'Batch import',
      nothingUploaded:
        'No client has uploaded a fiscal year yet. Read the clients’ SIE files with batch import to fill the table.',
    },
  },
} satisfies { sv: typeof sv; en: typeof sv };
