import fs from 'node:fs';
import readline from 'node:readline';
import { AppError } from '../../errors';
import type { IngestOutcome, ShopIngest } from './ingest';
import { describeIssues, SHOP_EVENT_TYPES, shopEventSchema } from './schemas';

export interface ImportSummary {
  lines: number;
  /** Lines skipped because an earlier run got past them (the progress file). */
  resumedFrom: number;
  outcomes: Record<IngestOutcome, number>;
  refused: number;
  /** Why events were refused, with how many and the first line numbers. */
  reasons: { reason: string; count: number; lines: number[] }[];
}

/**
 * Loads a JSON Lines file of shop events (one event per line, the format of POST /api/shop/events)
 * through the same ShopIngest. Resumable: the line reached is written to `<file>.progress` every
 * `checkpointEvery` lines and read back on the next run; an event applied twice anyway is a
 * "duplicate" (applied once by its id). A refused line is counted with its reason and the run goes on.
 */
export async function importShopEvents(
  file: string,
  ingest: ShopIngest,
  options: { progress?: (done: number) => void; checkpointEvery?: number; concurrency?: number } = {},
): Promise<ImportSummary> {
  const progressFile = `${file}.progress`;
  const resumedFrom = fs.existsSync(progressFile) ? Number(fs.readFileSync(progressFile, 'utf8').trim()) || 0 : 0;
  const every = options.checkpointEvery ?? 1000;
  const summary: ImportSummary = { lines: 0, resumedFrom, outcomes: { applied: 0, duplicate: 0, outdated: 0 }, refused: 0, reasons: [] };
  const reasons = new Map<string, { count: number; lines: number[] }>();
  const refuse = (line: number, reason: string) => {
    summary.refused++;
    const r = reasons.get(reason) ?? { count: 0, lines: [] };
    r.count++;
    if (r.lines.length < 10) r.lines.push(line);
    reasons.set(reason, r);
  };

  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    summary.lines = n;
    if (n <= resumedFrom || text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      refuse(n, 'not valid JSON');
      continue;
    }
    const type = (raw as { type?: unknown } | null)?.type;
    const parsed = shopEventSchema.safeParse(raw);
    if (!parsed.success) {
      refuse(n, typeof type === 'string' && !(SHOP_EVENT_TYPES as string[]).includes(type) ? `unknown event type "${type.slice(0, 60)}"` : describeIssues(parsed.error).replace(/\d+/g, 'N'));
      continue;
    }
    try {
      summary.outcomes[await ingest.apply(parsed.data)]++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refuse(n, err.message.replace(/\b[A-Z]*\d[A-Z0-9-]*\b/g, 'N'));
    }
    if (n % every === 0) {
      fs.writeFileSync(progressFile, String(n));
      options.progress?.(n);
    }
  }
  fs.rmSync(progressFile, { force: true });
  summary.reasons = [...reasons].map(([reason, r]) => ({ reason, ...r })).sort((a, b) => b.count - a.count);
  return summary;
}
