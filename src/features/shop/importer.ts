import fs from 'node:fs';
import readline from 'node:readline';
import { AppError } from '../../errors';
import type { IngestOutcome, ShopIngest } from './ingest';
import { describeIssues, SHOP_EVENT_TYPES, shopEventSchema, type ShopEvent } from './schemas';

export interface ImportSummary {
  lines: number;
  /** Lines skipped because an earlier run got past them (the progress file). */
  resumedFrom: number;
  outcomes: Record<IngestOutcome, number>;
  refused: number;
  /** Why events were refused, with how many and the first line numbers. */
  reasons: { reason: string; count: number; lines: number[] }[];
}

/** Events applied together in one transaction (ShopIngest.applyMany). */
export const IMPORT_BATCH = 500;

/** A line's event, or why it is refused. */
function parseLine(text: string): { event: ShopEvent } | { reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { reason: 'not valid JSON' };
  }
  const type = (raw as { type?: unknown } | null)?.type;
  const parsed = shopEventSchema.safeParse(raw);
  if (parsed.success) return { event: parsed.data };
  return { reason: typeof type === 'string' && !(SHOP_EVENT_TYPES as string[]).includes(type) ? `unknown event type "${type.slice(0, 60)}"` : describeIssues(parsed.error).replace(/\d+/g, 'N') };
}

/**
 * Loads a JSON Lines file of shop events (one event per line, the format of POST /api/shop/events)
 * through the same ShopIngest, `batchSize` events a transaction (read as a stream: memory stays
 * bounded whatever the file's size). Resumable: the line reached is written to `<file>.progress`
 * after a batch commits, every `checkpointEvery` lines or more, and read back on the next run; an
 * event applied twice anyway is a "duplicate" (applied once by its id). A refused line is counted with
 * its reason and the run goes on.
 */
export async function importShopEvents(
  file: string,
  ingest: ShopIngest,
  options: { progress?: (done: number) => void; checkpointEvery?: number; batchSize?: number } = {},
): Promise<ImportSummary> {
  const progressFile = `${file}.progress`;
  const resumedFrom = fs.existsSync(progressFile) ? Number(fs.readFileSync(progressFile, 'utf8').trim()) || 0 : 0;
  const every = options.checkpointEvery ?? 1000;
  const batchSize = options.batchSize ?? IMPORT_BATCH;
  const summary: ImportSummary = { lines: 0, resumedFrom, outcomes: { applied: 0, duplicate: 0, outdated: 0 }, refused: 0, reasons: [] };
  const reasons = new Map<string, { count: number; lines: number[] }>();
  const refuse = (line: number, reason: string) => {
    summary.refused++;
    const r = reasons.get(reason) ?? { count: 0, lines: [] };
    r.count++;
    if (r.lines.length < 10) r.lines.push(line);
    reasons.set(reason, r);
  };

  // Events go to the store in batches (one transaction each); the checkpoint is written once a batch has committed.
  // While one batch is at the store the next is read and parsed (never more than one at the store: checkpoints stay in order).
  let batch: { line: number; event: ShopEvent }[] = [];
  let checkpointed = resumedFrom;
  const apply = async (items: typeof batch, upTo: number) => {
    const results = await ingest.applyMany(items.map((b) => b.event));
    results.forEach((r, i) => {
      if (!(r instanceof Error)) summary.outcomes[r]++;
      else if (r instanceof AppError) refuse(items[i]!.line, r.message.replace(/\b[A-Z]*\d[A-Z0-9-]*\b/g, 'N'));
      else throw r;
    });
    if (upTo - checkpointed >= every) {
      fs.writeFileSync(progressFile, String(upTo));
      checkpointed = upTo;
      options.progress?.(upTo);
    }
  };
  let atStore: Promise<void> = Promise.resolve();
  const send = async (upTo: number) => {
    const items = batch;
    batch = [];
    await atStore;
    atStore = apply(items, upTo);
    atStore.catch(() => undefined); // a failure is thrown where it is awaited: the next send, or the end
  };

  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    summary.lines = n;
    if (n <= resumedFrom || text.trim() === '') continue;
    const parsed = parseLine(text);
    if ('reason' in parsed) refuse(n, parsed.reason);
    else batch.push({ line: n, event: parsed.event });
    if (batch.length >= batchSize) await send(n);
  }
  if (batch.length) await send(n);
  await atStore;
  fs.rmSync(progressFile, { force: true });
  summary.reasons = [...reasons].map(([reason, r]) => ({ reason, ...r })).sort((a, b) => b.count - a.count);
  return summary;
}
