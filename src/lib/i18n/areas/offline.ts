const sv = {
  status: {
    label: 'Den här datorn',
    online: 'Online',
    offline: 'Offline',
    offlineUnlocked: 'Offline – upplåst med nycklar sparade krypterade på den här datorn',
    queued: '{count, plural, one {# uppladdning i kö} other {# uppladdningar i kö}}',
    agreements: '{count, plural, one {# avtalsändring i kö} other {# avtalsändringar i kö}}',
    syncing: 'Skickar…',
    waiting: 'Skickas när servern svarar',
    locked: 'Lås upp för att skicka',
    allSent: 'Allt är skickat',
    lastSync: 'Senast synkad {time}',
    neverSynced: 'Inte synkad i den här fliken',
    sendNow: 'Skicka nu',
    showQueue: 'Visa kön',
    details: 'Synkstatus',
  },
  benchmark: {
    cached:
      'Från {date}, offline: det här är den senast hämtade jämförelsen. Den uppdateras när du är online igen.',
  },
  session: {
    switchUser: 'Byt användare',
    forget: 'Glöm mig på den här datorn',
    forgetTitle: 'Glöm mig på den här datorn?',
    forgetText:
      'Allt som Nyckel sparat om dig på den här datorn tas bort: nycklarna för att låsa upp offline, sparade jämförelser, klientkopplingar samt uppladdningar och avtalsändringar som ännu inte skickats ({count, plural, =0 {inga just nu} one {# just nu} other {# just nu}}). Sedan loggas du ut. Det du redan laddat upp finns kvar hos Nyckel.',
    forgetConfirm: 'Glöm mig och logga ut',
    cancel: 'Avbryt',
  },
  lock: {
    offline:
      'Du är offline. Lösenordet prövas mot dina nycklar som sparats krypterade på den här datorn vid senaste inloggningen.',
    noOfflineKeys:
      'Servern går inte att nå, och den här datorn har inga sparade nycklar att låsa upp med. Försök igen när du är online.',
  },
};

export const offline = {
  sv,
  en: {
    status: {
      label: 'This device',
      online: 'Online',
      offline: 'Offline',
      offlineUnlocked: 'Offline – unlocked with keys kept encrypted on this device',
      queued: '{count, plural, one {# upload queued} other {# uploads queued}}',
      agreements:
        '{count, plural, one {# agreement change queued} other {# agreement changes queued}}',
      syncing: 'Sending…',
      waiting: 'Sent when the server answers',
      locked: 'Unlock to send',
      allSent: 'Everything is sent',
      lastSync: 'Last synced {time}',
      neverSynced: 'Not synced in this tab',
      sendNow: 'Send now',
      showQueue: 'Show the queue',
      details: 'Sync status',
    },
    benchmark: {
      cached:
        'From {date}, offline: this is the last benchmark fetched. It is updated when you are online again.',
    },
    session: {
      switchUser: 'Switch user',
      forget: 'Forget me on this device',
      forgetTitle: 'Forget me on this device?',
      forgetText:
        'Everything Nyckel keeps about you on this device is removed: the keys to unlock offline, saved benchmarks, client mappings, and uploads and agreement changes not yet sent ({count, plural, =0 {none right now} one {# right now} other {# right now}}). Then you are logged out. What you have already uploaded stays with Nyckel.',
      forgetConfirm: 'Forget me and log out',
      cancel: 'Cancel',
    },
    lock: {
      offline:
        'You are offline. The password is checked against your keys, kept encrypted on this device since your last login.',
      noOfflineKeys:
        'The server cannot be reached, and this device keeps no keys to unlock with. Try again when you are online.',
    },
  },
} satisfies { sv: typeof sv; en: typeof sv };
