import { Prisma } from '../../generated/sqlite/client';
import type { Db } from './db';
import { FieldCipher } from './fieldCrypto';

/**
 * The one place personal data is sealed and opened: a Prisma client extension. Writes of the fields
 * below are sealed (and the blind indexes computed) before they reach the database; every value read
 * back that is sealed is opened, wherever it sits in the result (includes, selects of relations). So
 * dialogs, shop events, the import, the dashboard and the agent console see clear values in memory and
 * the database holds none. The turn's own raw statements (the transcript) seal in src/crm/transcript.ts.
 */
export const SEALED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Customer: ['name', 'phone', 'email', 'address'],
  Order: ['shippingName', 'shippingPhone', 'shippingAddress'],
  Message: ['text'],
  /** An agent's internal notes in a chat. */
  HandoffNote: ['text'],
  /** A repair's callback number (the summary shows it masked). */
  Ticket: ['contactPhone'],
  /** The web chat's Direct Line log: the customer's posts and the bot's replies, as JSON text. */
  DirectLineActivity: ['activity'],
};

/** Blind-indexed fields: model → field → its index column. */
const INDEXED: Readonly<Record<string, Readonly<Record<string, { column: string; kind: 'phone' | 'email' }>>>> = {
  Customer: { phone: { column: 'phoneIndex', kind: 'phone' }, email: { column: 'emailIndex', kind: 'email' } },
};

/** Relations from one model to another, for nested writes (`customer: { create: ... }`, `orders: { createMany: ... }`). */
const RELATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Customer: { orders: 'Order', messages: 'Message' },
  Order: { customer: 'Customer' },
  Conversation: { customer: 'Customer', messages: 'Message' },
  ChannelAccount: { customer: 'Customer' },
  Ticket: { customer: 'Customer', order: 'Order' },
  Message: { customer: 'Customer' },
};

/** A phone in the one form its blind index is computed from: digits, with + for international, without +86. */
export function indexablePhone(input: string): string {
  let p = input.normalize('NFKC').trim().replace(/[^\d+]/g, '').replace(/^00/, '+');
  const cn = /^\+?86(1[3-9]\d{9})$/.exec(p);
  if (cn) p = cn[1];
  return p;
}

export function indexableEmail(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

export function blindIndexOf(cipher: FieldCipher, kind: 'phone' | 'email', value: string): string {
  return cipher.blindIndex(kind, kind === 'phone' ? indexablePhone(value) : indexableEmail(value));
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function sealValue(cipher: FieldCipher, v: unknown): unknown {
  if (typeof v === 'string') return FieldCipher.isSealed(v) ? v : cipher.seal(v);
  if (isObj(v) && typeof v.set === 'string') return { ...v, set: sealValue(cipher, v.set) };
  return v;
}

function clearOf(v: unknown): string | null | undefined {
  if (typeof v === 'string') return v;
  if (isObj(v) && 'set' in v) return (v.set as string | null) ?? null;
  return v === null ? null : undefined;
}

/** A write's data for `model`, with its sealed fields sealed, blind indexes added, and nested writes followed. */
export function sealData(cipher: FieldCipher, model: string, data: unknown): unknown {
  if (Array.isArray(data)) return data.map((d) => sealData(cipher, model, d));
  if (!isObj(data)) return data;
  const fields = SEALED_FIELDS[model] ?? [];
  const relations = RELATIONS[model] ?? {};
  const out: Obj = { ...data };
  for (const [field, index] of Object.entries(INDEXED[model] ?? {})) {
    const clear = clearOf(data[field]);
    if (clear !== undefined && !FieldCipher.isSealed(clear)) out[index.column] = clear === null ? null : blindIndexOf(cipher, index.kind, clear);
  }
  for (const field of fields) if (field in data) out[field] = sealValue(cipher, data[field]);
  for (const [relation, target] of Object.entries(relations)) if (isObj(data[relation])) out[relation] = sealNested(cipher, target, data[relation]);
  return out;
}

function sealNested(cipher: FieldCipher, model: string, ops: Obj): Obj {
  const out: Obj = { ...ops };
  if (ops.create) out.create = sealData(cipher, model, ops.create);
  if (isObj(ops.createMany)) out.createMany = { ...ops.createMany, data: sealData(cipher, model, ops.createMany.data) };
  if (ops.connectOrCreate) {
    const each = (c: unknown) => (isObj(c) ? { ...c, create: sealData(cipher, model, c.create) } : c);
    out.connectOrCreate = Array.isArray(ops.connectOrCreate) ? ops.connectOrCreate.map(each) : each(ops.connectOrCreate);
  }
  if (isObj(ops.upsert)) out.upsert = { ...ops.upsert, create: sealData(cipher, model, ops.upsert.create), update: sealData(cipher, model, ops.upsert.update) };
  if (isObj(ops.update)) out.update = 'data' in ops.update ? { ...ops.update, data: sealData(cipher, model, ops.update.data) } : sealData(cipher, model, ops.update);
  return out;
}

/**
 * A where clause on `model`: equality on a blind-indexed field becomes equality on its index; any
 * other condition on a sealed field is refused (the database holds no clear value to compare with).
 */
export function sealWhere(cipher: FieldCipher, model: string, where: unknown): unknown {
  if (!isObj(where)) return where;
  const fields = SEALED_FIELDS[model] ?? [];
  const indexed = INDEXED[model] ?? {};
  const out: Obj = {};
  for (const [key, value] of Object.entries(where)) {
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      out[key] = Array.isArray(value) ? value.map((w) => sealWhere(cipher, model, w)) : sealWhere(cipher, model, value);
    } else if (indexed[key] && (typeof value === 'string' || (isObj(value) && typeof value.equals === 'string' && Object.keys(value).length === 1))) {
      const clear = typeof value === 'string' ? value : (value.equals as string);
      out[indexed[key].column] = blindIndexOf(cipher, indexed[key].kind, clear);
    } else if (RELATIONS[model]?.[key] && isObj(value)) {
      out[key] = sealRelationWhere(cipher, RELATIONS[model][key], value);
    } else if (fields.includes(key) && value !== null && !(isObj(value) && Object.keys(value).every((k) => k === 'not') && value.not === null)) {
      throw new Error(`${model}.${key} is sealed: it can only be compared with null${indexed[key] ? ' or looked up by equality' : ''}`);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const RELATION_FILTERS = ['is', 'isNot', 'some', 'every', 'none'];

/** A filter through a relation (`customer: { phone }`, `customer: { is: { phone } }`, `orders: { some: ... }`). */
function sealRelationWhere(cipher: FieldCipher, model: string, filter: Obj): Obj {
  if (!Object.keys(filter).some((k) => RELATION_FILTERS.includes(k))) return sealWhere(cipher, model, filter) as Obj;
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, RELATION_FILTERS.includes(k) ? sealWhere(cipher, model, v) : v]));
}

/** Opens every sealed string in a query result, in place (rows are fresh objects from the driver). */
export function openResult(cipher: FieldCipher, value: unknown): unknown {
  if (typeof value === 'string') return FieldCipher.isSealed(value) ? cipher.open(value) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = openResult(cipher, value[i]);
    return value;
  }
  if (isObj(value) && !(value instanceof Prisma.Decimal) && !Buffer.isBuffer(value)) {
    for (const key of Object.keys(value)) value[key] = openResult(cipher, value[key]);
  }
  return value;
}

const WRITES_DATA = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn']);

/** Seals the args of one operation on `model` (exported for tests). */
export function sealArgs(cipher: FieldCipher, model: string, operation: string, args: Obj): Obj {
  const out: Obj = { ...args };
  if (WRITES_DATA.has(operation) && 'data' in args) out.data = sealData(cipher, model, args.data);
  if (operation === 'upsert') {
    out.create = sealData(cipher, model, args.create);
    out.update = sealData(cipher, model, args.update);
  }
  if ('where' in args) out.where = sealWhere(cipher, model, args.where);
  return out;
}

/** The store's client with personal data sealed at rest (the same API: the extension changes no types). */
export function withSealedFields(db: Db, cipher: FieldCipher): Db {
  return db.$extends({
    name: 'kefu-sealed-fields',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const sealed = SEALED_FIELDS[model] || RELATIONS[model] ? sealArgs(cipher, model, operation, (args ?? {}) as Obj) : args;
          return openResult(cipher, await query(sealed as typeof args));
        },
      },
    },
  }) as unknown as Db;
}
