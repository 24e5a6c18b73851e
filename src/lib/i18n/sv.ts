/** Swedish is the default language; every key here must exist in `en.ts` too (tested). */
export const sv = {
  app: {
    name: 'Nyckel',
    tagline: 'Nyckeltal och jämförelser för små företag – utan att dina siffror lämnar ditt namn.',
    skipToContent: 'Hoppa till innehållet',
  },
  nav: { home: 'Översikt', files: 'Filer', language: 'Språk' },
  status: {
    heading: 'Tjänstens status',
    checking: 'Kontrollerar…',
    identity: 'Konton och organisationer',
    finance: 'Ekonomidata och jämförelser',
    healthy: 'Fungerar',
    unhealthy: 'Fungerar inte',
    unreachable: 'Servern svarar inte. Kontrollera anslutningen och försök igen.',
    retry: 'Försök igen',
    migrations: '{count, plural, one {# migrering körd} other {# migreringar körda}}',
    latency: 'svarstid {ms} ms',
  },
  privacy: {
    heading: 'Så skyddas dina uppgifter',
    localParsing: 'SIE-filen läses i din webbläsare. Filen skickas aldrig till oss.',
    groupSums: 'Bara summor per kontogrupp lämnar din dator.',
    separated: 'Vem du är och vad du har för siffror lagras i två skilda databaser.',
    password: 'Ditt lösenord lämnar aldrig din dator.',
  },
  pwa: {
    offline: 'Du är offline. Appen fungerar, men nya jämförelser kräver anslutning.',
    updateReady: 'En ny version av Nyckel finns.',
    updateNow: 'Uppdatera nu',
    offlineReady: 'Nyckel fungerar nu även utan anslutning.',
  },
  language: { sv: 'Svenska', en: 'English', switchTo: 'Byt språk till {language}' },
};

export type Messages = typeof sv;
