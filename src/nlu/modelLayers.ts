import crypto from 'node:crypto';

/**
 * Layers over recognizers-text's model objects, which the library shares (one model per culture): a
 * layer is an object whose prototype is the library's object and whose own properties replace some of
 * its parts (a gate, a memo), so the library's objects are never changed. Used by ./models.ts.
 */

/**
 * An object whose prototype is `base` and whose own properties are `own`: the library shares one
 * model per culture, so a gate is added as a layer on top of its objects, never by changing them.
 */
export function overlay<T extends object>(base: T, own: Record<string, unknown>): T {
  return Object.assign(Object.create(base) as T, own);
}

export interface GateableExtractor {
  extract(source: string, referenceDate?: Date): unknown[];
}

/**
 * A digest of an object graph's structure: constructor names, own enumerable values, regexes' sources
 * and flags, Maps, Sets and arrays in order, shared objects and cycles as back-references. Two objects
 * built alike (same classes, same arguments) have the same likeness; an own function makes an object
 * unlike any other.
 */
export function likeness(root: object): string {
  const hash = crypto.createHash('sha256');
  const seen = new Map<object, number>();
  const walk = (v: unknown): void => {
    if (typeof v === 'function') {
      hash.update(`fn:${crypto.randomUUID()};`);
      return;
    }
    if (v === null || typeof v !== 'object') {
      hash.update(`${typeof v}:${String(v)};`);
      return;
    }
    const at = seen.get(v);
    if (at !== undefined) {
      hash.update(`@${at};`);
      return;
    }
    seen.set(v, seen.size);
    if (v instanceof RegExp) {
      hash.update(`re:${v.source.length}:${v.source}/${v.flags};`);
      return;
    }
    if (v instanceof Date) {
      hash.update(`date:${v.getTime()};`);
      return;
    }
    hash.update(`${(v as { constructor?: { name?: string } }).constructor?.name ?? 'null'}{`);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        walk(k);
        walk(x);
      }
    } else if (v instanceof Set || Array.isArray(v)) {
      for (const x of v as Iterable<unknown>) walk(x);
    } else {
      for (const [k, x] of Object.entries(v)) {
        hash.update(`${k.length}:${k}=`);
        walk(x);
      }
    }
    hash.update('};');
  };
  walk(root);
  return hash.digest('hex');
}

export function isExtractor(o: object, classNames: string[]): o is GateableExtractor {
  return classNames.includes(o.constructor?.name ?? '') && typeof (o as Partial<GateableExtractor>).extract === 'function';
}

export type Extract = (source: string, referenceDate?: Date) => unknown[];
export type ResultMemo = (extract: Extract, source: string, referenceDate?: Date, byDate?: boolean) => unknown[];

/** Keeps the last text's extraction; every caller gets its own deep copy (callers change what they get). */
export function lastResultMemo(): ResultMemo {
  return resultMemo(1);
}

/**
 * Keeps the extractions of the last `size` texts (with their reference date when `byDate`); every caller
 * gets its own deep copy (callers change what they get).
 */
export function resultMemo(size: number): ResultMemo {
  const kept = new Map<string, unknown[]>();
  return (extract, source, referenceDate, byDate = false) => {
    const key = byDate ? `${referenceDate?.getTime() ?? ''}\u0000${source}` : source;
    let result = kept.get(key);
    if (!result) {
      result = copyResult(extract(source, referenceDate)) as unknown[];
      kept.set(key, result);
      if (kept.size > size) kept.delete(kept.keys().next().value as string);
    }
    return copyResult(result) as unknown[];
  };
}

/**
 * A layer over an extractor whose result depends on the text alone (or, `byDate`, on the text and the
 * reference date): extract() through `memo`.
 */
export function memoized(o: GateableExtractor, memo: ResultMemo = lastResultMemo(), byDate = false): object {
  const extract: Extract = (source, referenceDate) =>
    typeof source === 'string' && (!byDate || referenceDate instanceof Date)
      ? memo((s, r) => o.extract(s, r), source, referenceDate, byDate)
      : o.extract(source, referenceDate);
  return overlay(o, { extract });
}

/** A deep copy of an extraction result (arrays, plain and class objects keep their prototypes). */
function copyResult(value: unknown): unknown {
  if (Array.isArray(value)) {
    // Keeps an array's own named properties too (a match's index, input and groups).
    const items = value.map(copyResult);
    for (const k of Object.keys(value)) if (!/^\d+$/.test(k)) (items as unknown as Record<string, unknown>)[k] = copyResult((value as unknown as Record<string, unknown>)[k]);
    return items;
  }
  if (value === null || typeof value !== 'object' || value instanceof RegExp || value instanceof Date || value instanceof Map || value instanceof Set) return value;
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = copyResult(v);
  return out;
}

/**
 * `root` seen through layers: every object reachable through own properties (and arrays, Maps) for
 * which `replace` returns a substitute is swapped for it (`replace` gets the library's object and its
 * layered version, whose own parts are already replaced), and every object on the way to one becomes an
 * overlay with the changed properties; the library's objects are never changed. `undefined` when nothing
 * was replaced or the graph has a cycle on the way (another library version: no layer).
 */
export function layerReplacing<T extends object>(root: T, replace: (o: object, layered: object) => object | undefined): T | undefined {
  const done = new Map<object, object>();
  const visiting = new Set<object>();
  let cycle = false;
  const visit = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || value instanceof RegExp || value instanceof Date) return value;
    const o = value;
    const known = done.get(o);
    if (known) return known;
    if (visiting.has(o)) {
      cycle = true;
      return o;
    }
    visiting.add(o);
    let result: object = o;
    if (Array.isArray(o)) {
      const items = o.map(visit);
      if (items.some((item, i) => item !== o[i])) result = items;
    } else if (o instanceof Map) {
      const entries = [...o].map(([k, v]) => [k, v, visit(k), visit(v)] as const);
      if (entries.some(([k, v, nk, nv]) => nk !== k || nv !== v)) result = new Map(entries.map(([, , nk, nv]) => [nk, nv]));
    } else if (!(o instanceof Set)) {
      const changed: Record<string, unknown> = {};
      let any = false;
      for (const [k, v] of Object.entries(o)) {
        const nv = visit(v);
        if (nv !== v) {
          changed[k] = nv;
          any = true;
        }
      }
      if (any) result = overlay(o, changed);
    }
    visiting.delete(o);
    // The substitute wraps the layered object: an extractor's own extractors are layered too.
    const substitute = replace(o, result);
    done.set(o, substitute ?? result);
    return substitute ?? result;
  };
  const layered = visit(root);
  return cycle || layered === root ? undefined : (layered as T);
}
