import type { Messages } from './sv';

export const en = {
  app: {
    name: 'Nyckel',
    tagline:
      'Key ratios and peer benchmarks for small companies – without your figures carrying your name.',
    skipToContent: 'Skip to content',
  },
  nav: { home: 'Overview', files: 'Files', language: 'Language' },
  status: {
    heading: 'Service status',
    checking: 'Checking…',
    identity: 'Accounts and organisations',
    finance: 'Financial data and benchmarks',
    healthy: 'Working',
    unhealthy: 'Not working',
    unreachable: 'The server does not answer. Check your connection and try again.',
    retry: 'Try again',
    migrations: '{count, plural, one {# migration} other {# migrations}} applied',
    latency: 'response time {ms} ms',
  },
  privacy: {
    heading: 'How your data is protected',
    localParsing: 'Your SIE file is read in your browser. The file is never sent to us.',
    groupSums: 'Only sums per account group leave your computer.',
    separated: 'Who you are and what your figures are live in two separate databases.',
    password: 'Your password never leaves your computer.',
  },
  pwa: {
    offline: 'You are offline. The app works, but fresh benchmarks need a connection.',
    updateReady: 'A new version of Nyckel is available.',
    updateNow: 'Update now',
    offlineReady: 'Nyckel now works without a connection too.',
  },
  language: { sv: 'Svenska', en: 'English', switchTo: 'Switch language to {language}' },
} satisfies Messages;
