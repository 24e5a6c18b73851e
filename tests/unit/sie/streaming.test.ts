import { createReadStream } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sieWorkerApi } from '../../../workers/sie/worker-api.ts';
import { summarizeBytes, summarizeStream } from '../../../workers/sie/summarize.ts';
import { byteChunks } from '../../../workers/sie/stream.ts';
import { chunked, corpusDir, readCorpus } from './helpers.ts';

const FILES = [
  'Bokslut%20Norstedts%20SIE%204E.se',
  'SIE4_Exempelfil_med_underdim.SE',
  'transaktioner_ovnbolag-bad-balance.se',
  'periodsaldo_ovnbolag.se',
  'Sie4.si',
];

describe('streaming', () => {
  for (const name of FILES) {
    it(`same result for 1-byte, random and single chunks — ${name}`, async () => {
      const bytes = readCorpus(name);
      const one = await summarizeBytes(bytes, { fileName: name, chunkSize: bytes.length });
      const tiny = await summarizeBytes(bytes, { fileName: name, chunkSize: 1 });
      const sizes = Array.from({ length: 17 }, (_, i) => ((i * 7919) % 4093) + 1);
      const random = await summarizeStream(chunked(bytes, sizes), { fileName: name });
      expect(tiny).toEqual(one);
      expect(random).toEqual(one);
    });
  }

  it('reads a Node fs stream', async () => {
    const name = 'Sie4.se';
    const fromFs = await summarizeStream(createReadStream(path.join(corpusDir, name)), {
      fileName: name,
    });
    expect(fromFs).toEqual(await summarizeBytes(readCorpus(name), { fileName: name }));
  });

  it('reports progress at the end with the byte count', async () => {
    const bytes = readCorpus('Sie4.se');
    const seen: number[] = [];
    await summarizeBytes(bytes, { onProgress: (p) => seen.push(p.bytesDone) });
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it('an aborted signal rejects with AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      summarizeBytes(readCorpus('Sie4.se'), { signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('aborting mid-stream stops promptly', async () => {
    const controller = new AbortController();
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('#FLAGGA 0\n#RAR 0 20240101 20241231\n');
      const line = new TextEncoder().encode(
        '#VER A 1 20240101 ""\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n',
      );
      for (let i = 0; ; i++) {
        if (i === 1000) setTimeout(() => controller.abort(), 0);
        yield line;
        await new Promise((r) => setTimeout(r, 0));
      }
    }
    await expect(summarizeStream(endless(), { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('worker API: summarizes a Blob, builds the payload, and cancels one job by id', async () => {
    const bytes = readCorpus('Sie4.se');
    const res = await sieWorkerApi.summarize(new Blob([bytes]), { profile: { sni: '62010' } });
    expect(res.summary?.sieType).toBe('4E');
    expect(res.cli?.format).toBe('nyckel.sie-summary/1');
    expect(res.payload?.ok).toBe(true);

    // Cancel a job once it has started reading; another job keeps running.
    const big = new Blob(Array.from({ length: 50 }, () => bytes));
    const running = sieWorkerApi.summarize(big, { jobId: 'job-1' });
    const other = sieWorkerApi.summarize(new Blob([bytes]), { jobId: 'job-2' });
    expect(sieWorkerApi.cancel('job-1')).toBe(true);
    expect((await other).summary).not.toBeNull();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(sieWorkerApi.cancel('job-1')).toBe(false);
  });

  it('progress fires at least every 250 ms on a large input', async () => {
    const unit = readCorpus('transaktioner_ovnbolag.se');
    const header = new TextDecoder('latin1').decode(unit).split('#VER')[0] ?? '';
    const voucher = '#VER A 1 20110105 "x"\n{\n#TRANS 1930 {} 100.00\n#TRANS 3010 {} -100.00\n}\n';
    const text = header + voucher.repeat(400_000);
    const bytes = new TextEncoder().encode(text);
    const stamps: number[] = [];
    const t0 = performance.now();
    await summarizeStream(byteChunks(bytes, bytes.length), {
      onProgress: () => stamps.push(performance.now()),
    });
    const total = performance.now() - t0;
    const gaps = stamps.map((t, i) => t - (stamps[i - 1] ?? t0));
    expect(stamps.length).toBeGreaterThanOrEqual(1);
    // Generous bound for loaded CI machines; the engine checks the clock every 2048 lines.
    expect(Math.max(...gaps)).toBeLessThan(Math.max(400, total / 2));
  });
});
