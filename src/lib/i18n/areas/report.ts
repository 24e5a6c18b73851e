/**
 * The report screen and the text of the PDF report itself. The PDF is written in the
 * language chosen for it, not the screen's, so `src/lib/report/model.ts` reads `pdf` directly
 * from this dictionary (plain `{name}` placeholders, filled by `fillTemplate`).
 */
const sv = {
  nav: 'Rapporter',
  title: 'Rapport',
  intro:
    'En PDF-rapport för ett företag eller en klient och ett räkenskapsår, att lämna till kunden. Den skapas helt i webbläsaren: inget skickas till servern för att göra den.',
  target: 'Företag eller klient',
  year: 'Räkenskapsår',
  language: 'Rapportens språk',
  create: 'Skapa PDF',
  creating: 'Skapar PDF…',
  ready: 'Rapporten {file} är skapad.',
  downloadAgain: 'Ladda ner igen',
  failed: 'Rapporten kunde inte skapas.',
  summary: 'Rapporten jämför {count} nyckeltal med {group}.',
  dashboardLink: 'Ladda ner rapport (PDF)',
  pdf: {
    documentTitle: 'Nyckeltalsrapport',
    client: '{bureau} – klient {label}',
    fiscalYear: 'Räkenskapsår',
    period: '{start} – {end}',
    madeOn: 'Skapad',
    peerGroup: 'Jämförelsegrupp',
    figuresCompared: 'Jämförda nyckeltal',
    figuresComparedValue: '{compared} av {total}',
    noPeerGroup: 'Ingen grupp är stor nog för en jämförelse.',
    privacy:
      'Rapporten skapades i webbläsaren med Nyckel. Inget skickades till servern för att göra den.',
    overallOf: 'av 100',
    weakestIntro: 'De nyckeltal där ni ligger lägst i jämförelsegruppen:',
    weakestLine: 'Index {index} · ert värde {value} · median {median}',
    noWeakest: 'Inga index kunde beräknas för året.',
    columns: {
      metric: 'Nyckeltal',
      value: 'Ert värde',
      p25: 'p25',
      median: 'Median',
      p75: 'p75',
      index: 'Index',
      n: 'n',
    },
    chartLegend:
      'Stapeln visar mittersta hälften av gruppen (p25–p75) och, när gruppen har minst {deciles} företag, p10–p90 i ljusare färg. Strecket är medianen och punkten ert värde; en pil i kanten visar ett värde långt utanför gruppen. Varje rad har sin egen skala.',
    absent:
      '– betyder att talet saknas: det kan inte beräknas för ert år, eller gruppen redovisas inte.',
    otherGroup: '{figure}: jämförd med {group}.',
    withheld:
      '{figure}: ingen jämförelsegrupp har minst {min} företag med nyckeltalet, så inga jämförelsetal redovisas.',
    trendHint: 'Totalindex för varje räkenskapsår, jämfört med det årets grupp.',
    noTrend: 'Inget år har ett totalindex ännu.',
    appendix: 'Bilaga: nyckeltalen förklarade',
    formula: 'Formel',
    rulesHeading: 'Så skyddas jämförelsen',
    rules: {
      groupSize:
        'En jämförelsegrupp redovisas bara när den har minst {min} företag (n ≥ {min}). Annars används en bredare grupp; finns ingen, visas inga jämförelsetal för nyckeltalet.',
      groups:
        'Varje nyckeltal jämförs med den mest specifika grupp – bransch, storlek, län och räkenskapsår – som klarar gränsen.',
      deciles: 'p10 och p90 redovisas först när gruppen har minst {deciles} företag.',
      rounding:
        'Alla jämförelsetal är avrundade till {digits} värdesiffror. Minsta och största värde, eller ett enskilt företags värde, redovisas aldrig.',
      index:
        'Index 0–100 är er percentilrang i gruppen, vänd så att högre alltid är bättre; 50 är medianen. Totalindex är medelvärdet av nyckeltalens index.',
    },
    footer: 'Nyckel · {subject} · {year}',
    page: 'Sida {page} av {pages}',
  },
};

export const report = {
  sv,
  en: {
    nav: 'Reports',
    title: 'Report',
    intro:
      'A PDF report for one company or client and fiscal year, to hand to the client. It is made entirely in the browser: nothing is sent to the server to make it.',
    target: 'Company or client',
    year: 'Fiscal year',
    language: 'Report language',
    create: 'Create PDF',
    creating: 'Creating PDF…',
    ready: 'The report {file} has been created.',
    downloadAgain: 'Download again',
    failed: 'The report could not be created.',
    summary: 'The report compares {count} figures with {group}.',
    dashboardLink: 'Download report (PDF)',
    pdf: {
      documentTitle: 'Key figures report',
      client: '{bureau} – client {label}',
      fiscalYear: 'Fiscal year',
      period: '{start} – {end}',
      madeOn: 'Created',
      peerGroup: 'Peer group',
      figuresCompared: 'Figures compared',
      figuresComparedValue: '{compared} of {total}',
      noPeerGroup: 'No group is large enough for a comparison.',
      privacy:
        'This report was made in the browser with Nyckel. Nothing was sent to the server to make it.',
      overallOf: 'of 100',
      weakestIntro: 'The figures where you rank lowest in your peer group:',
      weakestLine: 'Index {index} · your value {value} · median {median}',
      noWeakest: 'No index could be computed for the year.',
      columns: {
        metric: 'Figure',
        value: 'Your value',
        p25: 'p25',
        median: 'Median',
        p75: 'p75',
        index: 'Index',
        n: 'n',
      },
      chartLegend:
        'The bar shows the middle half of the group (p25–p75) and, when the group has at least {deciles} companies, p10–p90 in a lighter colour. The line is the median and the dot your value; an arrow at the edge shows a value far outside the group. Each row has its own scale.',
      absent:
        '– means the figure is absent: it cannot be computed for your year, or the group is not released.',
      otherGroup: '{figure}: compared with {group}.',
      withheld:
        '{figure}: no peer group has at least {min} companies with this figure, so no peer figures are released.',
      trendHint: 'The overall index of each fiscal year, compared with that year’s group.',
      noTrend: 'No year has an overall index yet.',
      appendix: 'Appendix: the figures explained',
      formula: 'Formula',
      rulesHeading: 'How the comparison is protected',
      rules: {
        groupSize:
          'A peer group is released only when it has at least {min} companies (n ≥ {min}). Otherwise a wider group is used; if there is none, no peer figures are shown for that figure.',
        groups:
          'Each figure is compared with the most specific group – industry, size, county and fiscal year – that passes the limit.',
        deciles: 'p10 and p90 are released only when the group has at least {deciles} companies.',
        rounding:
          'All peer figures are rounded to {digits} significant digits. The smallest and largest value, or any single company’s value, are never released.',
        index:
          'The 0–100 index is your percentile rank in the group, turned so that higher is always better; 50 is the median. The overall index is the mean of the figures’ indices.',
      },
      footer: 'Nyckel · {subject} · {year}',
      page: 'Page {page} of {pages}',
    },
  } satisfies typeof sv,
};
