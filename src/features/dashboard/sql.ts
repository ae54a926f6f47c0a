import type { Db, Provider } from '../../store/db';
import { bound } from '../../store/rawSql';
import { FILTERS, type ReportFilters } from './query';

/**
 * The dashboard's statements, written once for both stores: `:name` parameters (bound as $n on
 * PostgreSQL, ? on SQLite), times as each store keeps them, enums compared as text.
 */
export class DashboardSql {
  constructor(
    private readonly db: Db,
    readonly provider: Provider,
  ) {}

  async rows(sql: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    const names: string[] = [];
    const text = sql.replace(/:([a-zA-Z]\w*)/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`No value for :${name}`);
      let i = names.indexOf(name);
      if (i < 0) i = names.push(name) - 1;
      return `$${i + 1}`;
    });
    return this.db.$queryRawUnsafe<Record<string, unknown>[]>(...bound(this.provider, text, names.map((n) => params[n])));
  }

  /** A time as a literal of the store (a VALUES list of periods). */
  time(at: Date): string {
    const iso = at.toISOString();
    return this.provider === 'postgresql' ? `CAST('${iso.replace('Z', '')}' AS TIMESTAMP(3))` : `'${iso.replace('Z', '+00:00')}'`;
  }

  /** A time read back from a raw statement (a Date on PostgreSQL, ISO text on SQLite). */
  static date(v: unknown): Date | null {
    return v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v));
  }
}

/** Conditions of the filters on "Survey" rows (alias s). */
export function surveyFilters(f: ReportFilters): string[] {
  return [
    f.agent ? `s."agentId" = :agent` : '',
    f.category ? `s."ticketCategory" = :category` : '',
    f.channel ? `s."channelId" = :channel` : '',
    f.trigger ? `s."trigger" = :trigger` : '',
  ].filter(Boolean);
}

/** Conditions of the filters on "Ticket" rows (alias t): the owner, the kind, the channel it was opened on (its conversation's, kept on the ticket). A trigger concerns surveys only. */
export function ticketFilters(f: ReportFilters): string[] {
  return [
    f.agent ? `t."ownerId" = :agent` : '',
    f.category ? `CAST(t."category" AS TEXT) = :category` : '',
    f.channel ? `t."channelId" = :channel` : '',
  ].filter(Boolean);
}

export const where = (conditions: string[]): string => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

/** The filter values as parameters (only those set). */
export function filterParams(f: ReportFilters): Record<string, string> {
  return Object.fromEntries(FILTERS.filter((name) => f[name]).map((name) => [name, f[name]!]));
}
