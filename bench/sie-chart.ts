/**
 * A BAS-like chart of accounts (about 300 accounts, BAS 2014 numbering) plus the dimensions,
 * objects and counterparty names the synthetic SIE generator draws from. Names deliberately
 * contain å, ä, ö, é and a few embedded double quotes so that encoding and escaping matter.
 */

export interface Account {
  readonly number: number;
  readonly name: string;
  /** SIE #KTYP: T tillgång, S skuld/eget kapital, I intäkt, K kostnad. */
  readonly type: 'T' | 'S' | 'I' | 'K';
}

export interface SieObject {
  readonly dimension: number;
  readonly id: string;
  readonly name: string;
}

const CHART_TEXT = `
1010 Utvecklingsutgifter
1011 Balanserade utgifter för forskning och utveckling
1019 Ackumulerade avskrivningar på balanserade utgifter
1020 Koncessioner m.m.
1030 Patent
1039 Ackumulerade avskrivningar på patent
1040 Licenser
1049 Ackumulerade avskrivningar på licenser
1050 Varumärken
1060 Hyresrätter, tomträtter och liknande
1070 Goodwill
1079 Ackumulerade avskrivningar på goodwill
1110 Byggnader
1119 Ackumulerade avskrivningar på byggnader
1130 Mark
1150 Markanläggningar
1159 Ackumulerade avskrivningar på markanläggningar
1180 Pågående nyanläggningar och förskott för byggnader och mark
1210 Maskiner och andra tekniska anläggningar
1219 Ackumulerade avskrivningar på maskiner och andra tekniska anläggningar
1220 Inventarier och verktyg
1221 Inventarier
1222 Byggnadsinventarier
1229 Ackumulerade avskrivningar på inventarier och verktyg
1240 Bilar och andra transportmedel
1249 Ackumulerade avskrivningar på bilar och andra transportmedel
1250 Datorer
1259 Ackumulerade avskrivningar på datorer
1260 Leasade tillgångar
1290 Övriga materiella anläggningstillgångar
1310 Andelar i koncernföretag
1320 Långfristiga fordringar hos koncernföretag
1350 Andelar och värdepapper i andra företag
1380 Andra långfristiga fordringar
1385 Värde av kapitalförsäkring
1410 Lager av råvaror
1440 Produkter i arbete
1450 Lager av färdiga varor
1460 Lager av handelsvaror
1470 Pågående arbeten
1480 Förskott för varor och tjänster
1510 Kundfordringar
1513 Kundfordringar, delad faktura
1515 Osäkra kundfordringar
1519 Nedskrivning av kundfordringar
1610 Kortfristiga fordringar hos anställda
1613 Övriga förskott till anställda
1630 Avräkning för skatter och avgifter (skattekonto)
1640 Skattefordringar
1650 Momsfordran
1680 Andra kortfristiga fordringar
1710 Förutbetalda hyreskostnader
1720 Förutbetalda leasingavgifter
1730 Förutbetalda försäkringspremier
1750 Upplupna hyresintäkter
1790 Övriga förutbetalda kostnader och upplupna intäkter
1810 Andelar i börsnoterade företag
1820 Obligationer
1880 Andra kortfristiga placeringar
1910 Kassa
1920 PlusGiro
1930 Företagskonto/checkkonto/affärskonto
1931 Bankkonto "Sparkonto Plus"
1940 Övriga bankkonton
1950 Bankcertifikat
1960 Koncernkonto moderföretag
2081 Aktiekapital
2085 Uppskrivningsfond
2086 Reservfond
2091 Balanserad vinst eller förlust
2093 Erhållna aktieägartillskott
2098 Vinst eller förlust från föregående år
2099 Årets resultat
2120 Periodiseringsfonder
2125 Periodiseringsfond 2025
2150 Ackumulerade överavskrivningar
2210 Avsättningar för pensioner enligt tryggandelagen
2220 Avsättningar för garantier
2290 Övriga avsättningar
2330 Checkräkningskredit
2350 Andra långfristiga skulder till kreditinstitut
2360 Långfristiga skulder till koncernföretag
2393 Lån från "närstående" personer, långfristig del
2410 Andra kortfristiga låneskulder till kreditinstitut
2420 Förskott från kunder
2440 Leverantörsskulder
2460 Leverantörsskulder till koncernföretag
2510 Skatteskulder
2512 Beräknad inkomstskatt
2514 Beräknad särskild löneskatt på pensionskostnader
2611 Utgående moms på försäljning inom Sverige, 25 %
2614 Utgående moms omvänd skattskyldighet, 25 %
2621 Utgående moms på försäljning inom Sverige, 12 %
2631 Utgående moms på försäljning inom Sverige, 6 %
2641 Debiterad ingående moms
2645 Beräknad ingående moms på förvärv från utlandet
2647 Ingående moms omvänd skattskyldighet varor och tjänster i Sverige
2650 Redovisningskonto för moms
2710 Personalskatt
2730 Lagstadgade sociala avgifter och särskild löneskatt
2731 Avräkning lagstadgade sociala avgifter
2732 Avräkning särskild löneskatt
2750 Utmätning i lön m.m.
2790 Övriga löneavdrag
2820 Kortfristiga skulder till anställda
2840 Kortfristiga låneskulder
2890 Övriga kortfristiga skulder
2893 Skulder till "närstående" personer, kortfristig del
2910 Upplupna löner
2920 Upplupna semesterlöner
2940 Upplupna lagstadgade sociala och andra avgifter
2960 Upplupna räntekostnader
2970 Förutbetalda intäkter
2990 Övriga upplupna kostnader och förutbetalda intäkter
3001 Försäljning inom Sverige, 25 % moms
3002 Försäljning inom Sverige, 12 % moms
3003 Försäljning inom Sverige, 6 % moms
3004 Försäljning inom Sverige, momsfri
3011 Försäljning tjänster, 25 % moms
3012 Försäljning konsulttjänster "löpande räkning"
3013 Försäljning licenser och abonnemang
3014 Försäljning service och underhåll
3015 Försäljning utbildning och kurser
3016 Försäljning reservdelar
3105 Försäljning varor till land utanför EU
3106 Försäljning varor till annat EU-land, momspliktig
3108 Försäljning varor till annat EU-land, momsfri
3231 Försäljning inom byggsektorn, omvänd skattskyldighet moms
3305 Försäljning tjänster till land utanför EU
3308 Försäljning tjänster till annat EU-land
3510 Fakturerat emballage
3520 Fakturerade frakter
3540 Faktureringsavgifter
3590 Övriga fakturerade kostnader
3610 Försäljning av material
3690 Övriga sidointäkter
3730 Lämnade rabatter
3740 Öres- och kronutjämning
3910 Hyres- och arrendeintäkter
3960 Valutakursvinster på fordringar och skulder av rörelsekaraktär
3970 Vinst vid avyttring av immateriella och materiella anläggningstillgångar
3980 Erhållna offentliga bidrag
3990 Övriga ersättningar och intäkter
4010 Inköp material och varor
4011 Inköp varor, 25 % moms
4012 Inköp varor, 12 % moms
4015 Inköp råvaror
4056 Inköp av varor från EU-land, 25 % moms
4415 Inköpta varor i Sverige, omvänd skattskyldighet, 25 % moms
4425 Inköpta tjänster i Sverige, omvänd skattskyldighet, 25 % moms
4515 Inköp av varor från annat EU-land, 25 %
4535 Inköp av tjänster från annat EU-land, 25 %
4545 Import av varor, 25 % moms
4600 Legoarbeten och underentreprenader
4610 Underentreprenad "Bygg & Mark"
4700 Reduktion av inköpspriser
4731 Erhållna kassarabatter
4910 Förändring av lager av råvaror
4960 Förändring av lager av handelsvaror
4970 Förändring av pågående arbeten
4990 Förändring av lager och pågående arbeten
5010 Lokalhyra
5011 Hyra för kontorslokaler
5012 Hyra för garage
5013 Hyra för lagerlokaler
5020 El för belysning
5030 Värme
5040 Vatten och avlopp
5050 Lokaltillbehör
5060 Städning och renhållning
5070 Reparation och underhåll av lokaler
5090 Övriga lokalkostnader
5160 Städning och renhållning av fastighet
5170 Reparation och underhåll av fastighet
5191 Fastighetsskatt/fastighetsavgift
5210 Hyra av maskiner och andra tekniska anläggningar
5220 Hyra av inventarier och verktyg
5250 Hyra av datorer
5310 El för drift
5320 Gas
5330 Eldningsolja
5410 Förbrukningsinventarier
5420 Programvaror
5422 Programvaror, "molntjänster"
5460 Förbrukningsmaterial
5480 Arbetskläder och skyddsmaterial
5510 Reparation och underhåll av maskiner
5520 Reparation och underhåll av inventarier
5611 Drivmedel för personbilar
5612 Försäkring och skatt för personbilar
5613 Reparation och underhåll av personbilar
5615 Leasing av personbilar
5616 Trängselskatt, avdragsgill
5619 Övriga personbilskostnader
5710 Frakter, transporter och försäkringar vid varudistribution
5720 Tull- och speditionskostnader m.m.
5800 Resekostnader
5810 Biljetter
5820 Hyrbilskostnader
5831 Kost och logi i Sverige
5832 Kost och logi i utlandet
5890 Övriga resekostnader
5910 Annonsering
5920 Utomhus- och trafikreklam
5930 Reklamtrycksaker och direktreklam
5940 Utställningar och mässor
5980 Sponsring
5990 Övriga kostnader för reklam och PR
6040 Kontokortsavgifter
6060 Kreditförsäljningskostnader
6071 Representation, avdragsgill
6072 Representation, ej avdragsgill
6090 Övriga försäljningskostnader
6110 Kontorsmateriel
6150 Trycksaker
6211 Fast telefoni
6212 Mobiltelefon
6230 Datakommunikation
6250 Postbefordran
6310 Företagsförsäkringar
6340 Lämnade skadestånd
6351 Befarade förluster på kundfordringar
6352 Konstaterade förluster på kundfordringar
6410 Styrelsearvoden som inte är lön
6420 Ersättningar till revisor
6430 Management fees
6530 Redovisningstjänster
6540 IT-tjänster
6550 Konsultarvoden
6560 Serviceavgifter till branschorganisationer
6570 Bankkostnader
6580 Advokat- och rättegångskostnader
6590 Övriga externa tjänster
6800 Inhyrd personal
6910 Licensavgifter och royalties
6950 Tillsynsavgifter myndigheter
6970 Tidningar, tidskrifter och facklitteratur
6981 Föreningsavgifter, avdragsgilla
6982 Föreningsavgifter, ej avdragsgilla
6991 Övriga externa kostnader, avdragsgilla
6992 Övriga externa kostnader, ej avdragsgilla
7010 Löner till kollektivanställda
7081 Sjuklöner till kollektivanställda
7082 Semesterlöner till kollektivanställda
7090 Förändring av semesterlöneskuld
7210 Löner till tjänstemän
7220 Löner till företagsledare
7240 Styrelsearvoden
7281 Sjuklöner till tjänstemän
7282 Semesterlöner till tjänstemän
7290 Förändring av semesterlöneskuld
7321 Skattefria traktamenten, Sverige
7322 Skattepliktiga traktamenten, Sverige
7331 Skattefria bilersättningar
7332 Skattepliktiga bilersättningar
7385 Kostnader för fri bil
7390 Övriga kostnadsersättningar och förmåner
7410 Pensionsförsäkringspremier
7411 Premier för kollektiva pensionsförsäkringar
7412 Premier för individuella pensionsförsäkringar
7510 Arbetsgivaravgifter 31,42 %
7519 Sociala avgifter för semester- och löneskulder
7530 Särskild löneskatt
7570 Premier för arbetsmarknadsförsäkringar
7610 Utbildning
7620 Sjuk- och hälsovård
7631 Personalrepresentation, avdragsgill
7632 Personalrepresentation, ej avdragsgill
7650 Sjuklöneförsäkring
7690 Övriga personalkostnader
7710 Nedskrivningar av immateriella anläggningstillgångar
7720 Nedskrivningar av byggnader och mark
7810 Avskrivningar på immateriella anläggningstillgångar
7820 Avskrivningar på byggnader och markanläggningar
7832 Avskrivningar på maskiner och andra tekniska anläggningar
7834 Avskrivningar på bilar och andra transportmedel
7835 Avskrivningar på datorer
7836 Avskrivningar på inventarier
7960 Valutakursförluster på fordringar och skulder av rörelsekaraktär
7970 Förlust vid avyttring av immateriella och materiella anläggningstillgångar
7990 Övriga rörelsekostnader
8010 Utdelning på andelar i koncernföretag
8070 Resultat vid försäljning av andelar i koncernföretag
8210 Utdelningar på andelar i andra företag
8250 Ränteintäkter från långfristiga fordringar
8310 Ränteintäkter från omsättningstillgångar
8311 Ränteintäkter från bank
8314 Skattefria ränteintäkter
8330 Valutakursdifferenser på kortfristiga fordringar och placeringar
8390 Övriga finansiella intäkter
8410 Räntekostnader för långfristiga skulder
8420 Räntekostnader för kortfristiga skulder
8422 Dröjsmålsräntor för leverantörsskulder
8423 Räntekostnader för skatter och avgifter
8430 Valutakursdifferenser på skulder
8490 Övriga finansiella kostnader
8710 Extraordinära intäkter
8750 Extraordinära kostnader
8810 Förändring av periodiseringsfond
8811 Avsättning till periodiseringsfond
8819 Återföring från periodiseringsfond
8850 Förändring av överavskrivningar
8910 Skatt som belastar årets resultat
8920 Skatt på grund av ändrad beskattning
8980 Övriga skatter
8999 Årets resultat
`;

const accountType = (n: number): Account['type'] =>
  n < 2000 ? 'T' : n < 3000 ? 'S' : n < 4000 || (n >= 8000 && n < 8400) ? 'I' : 'K';

export const CHART: readonly Account[] = CHART_TEXT.trim()
  .split('\n')
  .map((line): Account => {
    const number = Number(line.slice(0, 4));
    return { number, name: line.slice(5), type: accountType(number) };
  });

export const DIMENSIONS: readonly { readonly id: number; readonly name: string }[] = [
  { id: 1, name: 'Kostnadsställe' },
  { id: 6, name: 'Projekt' },
];

export const OBJECTS: readonly SieObject[] = [
  { dimension: 1, id: '100', name: 'Ledning' },
  { dimension: 1, id: '200', name: 'Försäljning' },
  { dimension: 1, id: '300', name: 'Produktion' },
  { dimension: 1, id: '400', name: 'Lager & logistik' },
  { dimension: 1, id: '500', name: 'Utveckling "R&D"' },
  { dimension: 1, id: '600', name: 'Kundtjänst Göteborg' },
  { dimension: 6, id: 'P1', name: 'Ombyggnad Årsta' },
  { dimension: 6, id: 'P2', name: 'Webbshop "Nästa generation"' },
  { dimension: 6, id: 'P3', name: 'Mässa Älvsjö' },
  { dimension: 6, id: 'P4', name: 'Kundprojekt Öresund' },
];

/** Customers and suppliers used in voucher texts (some with quotes that must be escaped). */
export const COUNTERPARTIES: readonly string[] = [
  'Åkesson & Söner AB',
  'Björkängens Gård',
  'Café "Ölstugan"',
  'Göteborgs Energi',
  'Telia Sverige AB',
  'Öresunds Bygg AB',
  'Mälardalens Städ',
  'Kontorsvaruhuset i Växjö',
  'Fjällräven Kånken HB',
  'Lindqvist Revision',
  'Säkra Försäkringar',
  'Hälsinge Åkeri',
  'Räksmörgåsen i Malmö',
  'Jönköpings "IT-Partner"',
  'Ängelholms Elfirma',
  'Skåne Möbler AB',
  'Norrländsk Trävaru',
  'Östgöta Bank',
  'Visby Fastigheter',
  'Umeå Konsult',
];
