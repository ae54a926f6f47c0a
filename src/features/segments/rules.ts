import type { SegmentsConfig } from './config';

/** The value classes and the lifecycle stages, in their display order. */
export const VALUE_CLASSES = ['high', 'medium', 'low', 'potential'] as const;
export type ValueClass = (typeof VALUE_CLASSES)[number];
export const STAGES = ['new', 'active', 'dormant', 'lost'] as const;
export type Stage = (typeof STAGES)[number];

const DAY = 86_400_000;

/**
 * The cut points between the scores 1..5 of each RFM figure: r in whole days, f in orders, m in fen.
 * A value above k of the four cut points scores 1 + k (recency the other way round: 5 - k).
 */
export interface Cuts {
  r: number[];
  f: number[];
  m: number[];
}

/** What the store says of one customer, as of the run's time. */
export interface CustomerFacts {
  customerId: string;
  createdAt: Date;
  /** Counted orders (paid or later, not cancelled) placed up to the run's time. */
  frequency: number;
  /** Their totals less refunds, in fen. */
  monetary: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** The last activity of any of the customer's conversations. */
  lastContactAt: Date | null;
}

export interface Segment {
  customerId: string;
  recencyDays: number | null;
  frequency: number;
  monetary: number;
  rScore: number;
  fScore: number;
  mScore: number;
  valueClass: ValueClass;
  stage: Stage;
  lastOrderAt: Date | null;
  lastContactAt: Date | null;
}

/** Whole days from `from` to `to` (rounded down). */
export function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY));
}

/** The fixed cut points of threshold mode (SEGMENTS_R/F/M_THRESHOLDS; money from yuan to fen). */
export function thresholdCuts(config: SegmentsConfig): Cuts {
  return { r: config.SEGMENTS_R_THRESHOLDS, f: config.SEGMENTS_F_THRESHOLDS, m: config.SEGMENTS_M_THRESHOLDS.map((y) => Math.round(y * 100)) };
}

/**
 * Quantile cut points by nearest rank: for each fraction q, the value at rank ceil(q * n) of the
 * values sorted ascending (n = customers with a counted order). Empty data: no cut (every score 5 / 1).
 */
export function quantileCuts(values: number[], quantiles: number[]): number[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  return quantiles.map((q) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]);
}

/** Frequency and monetary value: more is better. */
export function scoreUp(value: number, cuts: number[]): number {
  return 1 + cuts.filter((c) => value > c).length;
}

/** Recency in days: fewer is better. */
export function scoreRecency(days: number, cuts: number[]): number {
  return 5 - cuts.filter((c) => days > c).length;
}

export function valueClassOf(scores: { r: number; f: number; m: number } | null, config: Pick<SegmentsConfig, 'SEGMENTS_HIGH_MIN_SCORE' | 'SEGMENTS_MEDIUM_MIN_SCORE'>): ValueClass {
  if (!scores) return 'potential';
  const total = scores.r + scores.f + scores.m;
  if (total >= config.SEGMENTS_HIGH_MIN_SCORE) return 'high';
  if (total >= config.SEGMENTS_MEDIUM_MIN_SCORE) return 'medium';
  return 'low';
}

/**
 * The lifecycle stage from the last order or conversation (the customer's creation when neither):
 * quiet for more than SEGMENTS_LOST_DAYS -> lost, more than SEGMENTS_DORMANT_DAYS -> dormant; else
 * first seen within SEGMENTS_NEW_DAYS with at most one order -> new; else active.
 */
export function stageOf(facts: CustomerFacts, asOf: Date, config: Pick<SegmentsConfig, 'SEGMENTS_NEW_DAYS' | 'SEGMENTS_DORMANT_DAYS' | 'SEGMENTS_LOST_DAYS'>): Stage {
  const times = [facts.lastOrderAt, facts.lastContactAt].filter((d): d is Date => d !== null);
  const last = times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : facts.createdAt;
  const quiet = daysBetween(last, asOf);
  if (quiet > config.SEGMENTS_LOST_DAYS) return 'lost';
  if (quiet > config.SEGMENTS_DORMANT_DAYS) return 'dormant';
  const firstSeen = facts.firstOrderAt && facts.firstOrderAt < facts.createdAt ? facts.firstOrderAt : facts.createdAt;
  if (daysBetween(firstSeen, asOf) <= config.SEGMENTS_NEW_DAYS && facts.frequency <= 1) return 'new';
  return 'active';
}

/** One customer's segment as of `asOf` with the run's cut points. */
export function segmentOf(facts: CustomerFacts, asOf: Date, cuts: Cuts, config: SegmentsConfig): Segment {
  const recencyDays = facts.lastOrderAt ? daysBetween(facts.lastOrderAt, asOf) : null;
  const scores = recencyDays === null ? null : { r: scoreRecency(recencyDays, cuts.r), f: scoreUp(facts.frequency, cuts.f), m: scoreUp(facts.monetary, cuts.m) };
  return {
    customerId: facts.customerId,
    recencyDays,
    frequency: facts.frequency,
    monetary: facts.monetary,
    rScore: scores?.r ?? 0,
    fScore: scores?.f ?? 0,
    mScore: scores?.m ?? 0,
    valueClass: valueClassOf(scores, config),
    stage: stageOf(facts, asOf, config),
    lastOrderAt: facts.lastOrderAt,
    lastContactAt: facts.lastContactAt,
  };
}

/** Whether a stored segment differs from a computed one (figures, class or stage). */
export function sameSegment(a: Segment, b: Segment): boolean {
  return (
    a.recencyDays === b.recencyDays &&
    a.frequency === b.frequency &&
    a.monetary === b.monetary &&
    a.rScore === b.rScore &&
    a.fScore === b.fScore &&
    a.mScore === b.mScore &&
    a.valueClass === b.valueClass &&
    a.stage === b.stage &&
    (a.lastOrderAt?.getTime() ?? null) === (b.lastOrderAt?.getTime() ?? null) &&
    (a.lastContactAt?.getTime() ?? null) === (b.lastContactAt?.getTime() ?? null)
  );
}
