import type { Command } from 'commander';
import {
  CONTRACT_CATEGORIES,
  contractCategory,
  isContractCategory,
  localToday,
  noticeStatus,
  PRICE_AREAS,
  PRICE_MODELS,
  urgencyOrder,
  type ContractPrivate,
  type ContractTerms,
} from '../../domain/contracts';
import {
  listContracts,
  removeContract,
  saveContract,
  contractProblems,
} from '../../src/lib/core/finance/contracts';
import { cliFailure } from '../failure';
import { orgEntities, pickEntity } from '../org-entities';
import { addUserOptions, chooseOrg, loggedIn, type UserOptions } from '../user-session';

/**
 * `nyckel contract add|list|remove` (issue #7): supplier agreements of a company or a bureau
 * client, through the same client core as the app. Supplier and notes are sealed here, with
 * the entity key, before anything is sent; `list` opens them again on this computer.
 */
interface ContractOptions extends UserOptions {
  client?: string;
  category?: string;
  quantity?: string;
  annualCost?: string;
  start?: string;
  end?: string;
  noticeMonths?: string;
  renewalMonths?: string;
  priceModel?: string;
  priceArea?: string;
  county?: string;
  supplier?: string;
  notes?: string;
  detail?: string[];
  id?: string;
  json?: boolean;
}

const number = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value.replace(',', '.'));
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    throw cliFailure(1, `${flag} must be a number, not "${value}"`);
  }
  return parsed;
};

const month = (value: string | undefined, flag: string): string | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    throw cliFailure(1, `${flag} must be a month like 2026-12, not "${value}"`);
  }
  return value;
};

/** `--detail energyPrice=85.5` → `{ energyPrice: 85.5 }` (numbers where they parse). */
const detailsOf = (pairs: readonly string[] = []): ContractPrivate['details'] =>
  Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw cliFailure(1, `--detail must be key=value, not "${pair}"`);
      const key = pair.slice(0, at);
      const raw = pair.slice(at + 1);
      const value = Number(raw);
      return [key, raw.trim() !== '' && Number.isFinite(value) ? value : raw];
    }),
  );

/** The terms and private part from the flags (validated by the domain schemas after). */
function inputOf(options: ContractOptions, today: string) {
  const category = options.category;
  if (!isContractCategory(category)) {
    throw cliFailure(1, `--category must be one of ${CONTRACT_CATEGORIES.join(', ')}`);
  }
  const definition = contractCategory(category);
  const quantity = number(options.quantity, '--quantity');
  if (definition.quantity !== null && quantity === undefined) {
    throw cliFailure(1, `--quantity is needed for ${category} (${definition.quantity.unit.en})`);
  }
  const annualCost = number(options.annualCost, '--annual-cost');
  if (annualCost === undefined) throw cliFailure(1, '--annual-cost is needed (SEK a year)');
  const endMonth = month(options.end, '--end') ?? null;
  const current = today.slice(0, 7);
  const startMonth =
    month(options.start, '--start') ??
    (endMonth !== null && endMonth < current ? endMonth : current);
  const renewal = number(options.renewalMonths, '--renewal-months');
  const terms = {
    category,
    quantity: quantity ?? 1,
    annualCost,
    startMonth,
    endMonth,
    noticeMonths: number(options.noticeMonths, '--notice-months') ?? 0,
    renewalMonths: renewal === undefined || renewal === 0 ? null : renewal,
    priceModel: PRICE_MODELS.find((m) => m === options.priceModel) ?? null,
    priceArea: PRICE_AREAS.find((a) => a === options.priceArea?.toUpperCase()) ?? null,
    county: options.county === undefined ? null : options.county.padStart(2, '0'),
  } satisfies ContractTerms;
  if (options.priceModel !== undefined && terms.priceModel === null) {
    throw cliFailure(1, `--price-model must be one of ${PRICE_MODELS.join(', ')}`);
  }
  if (options.priceArea !== undefined && terms.priceArea === null) {
    throw cliFailure(1, `--price-area must be one of ${PRICE_AREAS.join(', ')}`);
  }
  const content: ContractPrivate = {
    supplier: options.supplier ?? '',
    notes: options.notes ?? '',
    details: detailsOf(options.detail),
  };
  const problems = contractProblems({ terms, private: content });
  if (problems.length > 0) throw cliFailure(1, `invalid agreement: ${problems.join('; ')}`);
  return { terms, private: content };
}

const priceText = (value: number, category: ContractTerms['category']) =>
  `${Number(value.toPrecision(3)).toLocaleString('en-GB')} ${contractCategory(category).price.label.en}`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerContractCommands(program: Command): void {
  const contract = program
    .command('contract')
    .description('Supplier agreements: register them, compare unit prices, see notice dates');

  addUserOptions(contract.command('add'))
    .description('Register an agreement (supplier and notes are encrypted on this computer)')
    .requiredOption('--category <category>', CONTRACT_CATEGORIES.join('|'))
    .option('--quantity <n>', "the category's quantity (kWh/year, m², subscriptions, users, …)")
    .option('--annual-cost <sek>', 'what the agreement costs per year, SEK')
    .option('--start <YYYY-MM>', 'first month (default: this month)')
    .option('--end <YYYY-MM>', 'last month of the current term (omit: open-ended)')
    .option('--notice-months <n>', 'notice period in months (default 0)')
    .option('--renewal-months <n>', 'renews automatically by this many months (default: no)')
    .option('--price-model <model>', PRICE_MODELS.join('|'))
    .option('--price-area <area>', `electricity: ${PRICE_AREAS.join('|')}`)
    .option('--county <code>', 'premises rent: län code, e.g. 07')
    .option('--supplier <name>', 'supplier (encrypted)')
    .option('--notes <text>', 'notes (encrypted)')
    .option('--detail <key=value>', 'an extra field, e.g. energyPrice=85 (repeatable)', collect)
    .option('--org <orgnr>', 'which organisation, if you are in several')
    .option('--client <label>', 'the bureau client (customer number)')
    .option('--json', 'print JSON')
    .action(async (options: ContractOptions) => {
      const input = inputOf(options, localToday());
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        const { deps, entities } = await orgEntities(api, session, membership, server);
        const entity = pickEntity(membership, entities, options.client);
        const saved = await saveContract(deps.finance, entity, input);
        const unit = contractCategory(input.terms.category).price.unit;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ...saved, unit }, null, 2)}\n`);
        } else {
          process.stdout.write(
            `Saved agreement ${saved.contractId}: ${priceText(saved.unitPrice, input.terms.category)}. ` +
              'Supplier and notes left this computer encrypted.\n',
          );
        }
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });

  addUserOptions(contract.command('list'))
    .description('Your agreements with unit price, comparison with peers and notice date')
    .option('--org <orgnr>', 'which organisation, if you are in several')
    .option('--client <label>', 'the bureau client (customer number)')
    .option('--json', 'print JSON')
    .action(async (options: ContractOptions) => {
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        const { deps, entities } = await orgEntities(api, session, membership, server);
        const entity = pickEntity(membership, entities, options.client);
        const list = await listContracts(deps.finance, entity);
        const today = localToday();
        const contracts = list.contracts
          .map((c) => ({ ...c, notice: noticeStatus(c.terms, today) }))
          .sort((a, b) => urgencyOrder(a.notice, b.notice));
        if (options.json) {
          const json = {
            format: 'nyckel.contracts/1',
            today,
            demo: list.demo,
            contracts: contracts.map((c) => ({
              id: c.id,
              category: c.terms.category,
              supplier: c.private?.supplier ?? null,
              notes: c.private?.notes ?? null,
              details: c.private?.details ?? null,
              terms: c.terms,
              unitMetric: c.unitMetric,
              unit: c.comparison.unit,
              unitPrice: c.unitPrice,
              termMonths: c.termMonths,
              updatedMonth: c.updatedMonth,
              comparison: c.comparison,
              notice: c.notice,
            })),
          };
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        if (contracts.length === 0) {
          process.stdout.write('No agreements yet: add one with nyckel contract add.\n');
          return;
        }
        const lines = contracts.map((c) => {
          const name = [contractCategory(c.terms.category).name.en, c.private?.supplier]
            .filter(Boolean)
            .join(' – ');
          const comparison = c.comparison;
          const peers =
            comparison.p50 === undefined
              ? 'too few peers'
              : `median ${priceText(comparison.p50, c.terms.category)}, index ${comparison.index ?? '–'}` +
                (comparison.saving
                  ? `, saving ${comparison.saving.toLocaleString('en-GB')} SEK/yr`
                  : '');
          const notice =
            c.notice.kind === 'notice'
              ? `notice by ${c.notice.noticeBy} (${c.notice.daysLeft} days)`
              : c.notice.kind === 'open-ended'
                ? 'open-ended'
                : c.notice.kind === 'expiring'
                  ? `ends ${c.notice.termEnd}`
                  : `ended ${c.notice.termEnd}`;
          return `${name.padEnd(36)} ${priceText(c.unitPrice, c.terms.category).padStart(26)}   ${peers}   ${notice}   ${c.id}`;
        });
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });

  addUserOptions(contract.command('remove'))
    .description('Delete an agreement (on the server too)')
    .requiredOption('--id <uuid>', 'the agreement id (from nyckel contract list)')
    .option('--org <orgnr>', 'which organisation, if you are in several')
    .option('--client <label>', 'the bureau client (customer number)')
    .action(async (options: ContractOptions) => {
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        const { deps, entities } = await orgEntities(api, session, membership, server);
        const entity = pickEntity(membership, entities, options.client);
        await removeContract(deps.finance, entity, options.id ?? '');
        process.stdout.write(`Deleted agreement ${options.id}.\n`);
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });
}
