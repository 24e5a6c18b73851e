import { describe, expect, it } from 'vitest';
import {
  buildPayload,
  financePayloadSchema,
  FINANCE_PAYLOAD_FORMAT,
} from '../../../domain/sie-summary.ts';
import { decodeText } from '../../../workers/sie/encoding.ts';
import { summarizeBytes } from '../../../workers/sie/summarize.ts';
import { corpusFiles, readCorpus } from './helpers.ts';

/** Every quoted or bare text field of #VER/#TRANS/#RTRANS/#BTRANS rows (after the numbers). */
function voucherTexts(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!/^#(VER|TRANS|RTRANS|BTRANS)\b/.test(t)) continue;
    for (const m of t.matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.push((m[1] ?? '').replace(/\\"/g, '"'));
  }
  return out;
}

/** Strings worth searching for: long enough to be meaningful and not just digits/punctuation. */
const meaningful = (s: string | null | undefined): s is string =>
  typeof s === 'string' && s.trim().length >= 3 && /[A-Za-zÅÄÖåäö]/.test(s);

function allKeys(value: unknown, keys: string[] = []): string[] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.push(k);
      allKeys(v, keys);
    }
  }
  return keys;
}

const STRUCTURAL_KEYS = new Set([
  'ok',
  'payload',
  'format',
  'profile',
  'sni',
  'employeeBand',
  'county',
  'years',
  'start',
  'end',
  'employees',
  'balance',
  'result',
  'ib',
  'ub',
]);

describe('finance payload', () => {
  for (const name of corpusFiles()) {
    it(`P1/P2: payload carries no identifying text — ${name}`, async () => {
      const bytes = readCorpus(name);
      const r = await summarizeBytes(bytes, { fileName: name });
      const local = r.data;
      expect(local).not.toBeNull();
      if (!local) return;
      const result = buildPayload(local, { sni: '62010', employees: 12, county: '07' });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const json = JSON.stringify(result);

      const secrets = [
        local.company.name,
        local.company.orgNumber,
        local.company.fnr,
        ...Object.values(local.company.address ?? {}),
        ...Object.values(local.accounts),
        ...voucherTexts(decodeText(bytes, local.encoding)),
        local.program?.name,
      ].filter(meaningful);
      for (const secret of secrets) expect(json, secret).not.toContain(secret.trim());
      // Organisation numbers are digits: check them verbatim and without the dash.
      for (const org of [local.company.orgNumber, local.company.orgNumber?.replace('-', '')]) {
        if (org && org.replace(/\D/g, '').length >= 10) expect(json).not.toContain(org);
      }

      expect(financePayloadSchema.parse(result.payload)).toEqual(result.payload);
      expect(result.payload.format).toBe(FINANCE_PAYLOAD_FORMAT);
      for (const key of allKeys(result)) {
        expect(STRUCTURAL_KEYS.has(key) || /^[0-9]{1,2}$/.test(key), key).toBe(true);
      }
      for (const y of result.payload.years) {
        for (const k of [...Object.keys(y.balance), ...Object.keys(y.result)]) {
          expect(k).toMatch(/^[0-9]{2}$/);
        }
      }
    });
  }

  it('coarsens the profile and attaches employees to the newest year only', async () => {
    const r = await summarizeBytes(readCorpus('Sie1.se'), { fileName: 'Sie1.se' });
    if (!r.data) throw new Error('Sie1.se rejected');
    const p = buildPayload(r.data, { sni: '62010', employees: 12, county: '07' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.payload.profile).toEqual({ sni: '620', employeeBand: '10-19', county: '07' });
    expect(p.payload.years.map((y) => y.employees)).toEqual([12, null]);
    expect(p.payload.years[0]?.start).toBe('2010-01-01');
  });

  it('invalid profile input is an error value, not an exception', async () => {
    const r = await summarizeBytes(readCorpus('Sie1.se'));
    if (!r.data) throw new Error('Sie1.se rejected');
    const p = buildPayload(r.data, { sni: '1', county: '99', employees: -1 });
    expect(p.ok).toBe(false);
    if (!p.ok && p.error.kind === 'profile') {
      expect(p.error.errors.map((e) => e.code)).toEqual([
        'SNI_FORMAT',
        'EMPLOYEES_INVALID',
        'COUNTY_UNKNOWN',
      ]);
    }
  });

  it('the schema rejects extra fields, non-group keys, unsafe integers and too many years', () => {
    const base = {
      format: FINANCE_PAYLOAD_FORMAT,
      profile: { sni: '620', employeeBand: '1-4', county: '01' },
      years: [
        {
          start: '2024-01-01',
          end: '2024-12-31',
          employees: null,
          balance: {},
          result: { '30': -1 },
        },
      ],
    };
    expect(financePayloadSchema.safeParse(base).success).toBe(true);
    expect(financePayloadSchema.safeParse({ ...base, name: 'x' }).success).toBe(false);
    const y0 = base.years[0];
    const withYear = (y: object) => ({ ...base, years: [{ ...y0, ...y }] });
    expect(financePayloadSchema.safeParse(withYear({ result: { '3010': 1 } })).success).toBe(false);
    expect(financePayloadSchema.safeParse(withYear({ result: { '19': 1 } })).success).toBe(false);
    expect(financePayloadSchema.safeParse(withYear({ result: { '30': 0.5 } })).success).toBe(false);
    expect(financePayloadSchema.safeParse(withYear({ result: { '30': 2 ** 60 } })).success).toBe(
      false,
    );
    expect(financePayloadSchema.safeParse(withYear({ text: 'Kalle' })).success).toBe(false);
    expect(
      financePayloadSchema.safeParse({ ...base, years: Array.from({ length: 51 }, () => y0) })
        .success,
    ).toBe(false);
  });
});
