import type { Tx } from '../../store/records';
import type { Order } from '../orders';
import { AppError } from '../../errors';
import type { Provider } from '../../store/db';
import type { FieldCipher } from '../../store/fieldCrypto';
import { timeOrderedId } from '../../store/ids';
import { inJson, insertFromJson, jsonTime, updateFromJson, type Column } from '../../store/jsonRows';
import { sealData } from '../../store/sealedFields';
import { storedTime } from '../../store/turnStore';
import type { IngestOutcome } from './ingest';
import type { ShopEvent } from './schemas';

/** What became of one event of a batch: its outcome, or why it was refused (an AppError) or failed. */
export type BatchResult = IngestOutcome | Error;

type Data<T extends ShopEvent['type']> = Extract<ShopEvent, { type: T }>['data'];
type MoveType = 'order.paid' | 'order.shipped' | 'order.delivered' | 'order.cancelled';
type OrderStatus = Order['status'];

/** Events whose rules need more than the rows a batch holds (audit rows, sign-ins, refunds, the shop's answer to a cancel): applied through ShopIngest's own path. */
const OWN_PATH: ReadonlySet<string> = new Set(['customer.consent', 'customer.sessions_revoked', 'order.cancel_refused', 'order.refunded']);

const STATUS: Record<MoveType, { field: 'paidAt' | 'shippedAt' | 'deliveredAt' | 'cancelledAt'; status: OrderStatus }> = {
  'order.paid': { field: 'paidAt', status: 'PAID' },
  'order.shipped': { field: 'shippedAt', status: 'SHIPPED' },
  'order.delivered': { field: 'deliveredAt', status: 'DELIVERED' },
  'order.cancelled': { field: 'cancelledAt', status: 'CANCELLED' },
};

const PERSONAL = ['name', 'phone', 'email', 'address', 'locale', 'birthday', 'phoneIndex', 'emailIndex'] as const;
const CUSTOMER_FIELDS: Column[] = PERSONAL.map((c) => [c, 'text'] as const);
const CUSTOMER_INSERT: Column[] = [['id', 'text'], ['externalId', 'text'], ...CUSTOMER_FIELDS, ['shopUpdatedAt', 'time'], ['createdAt', 'time'], ['updatedAt', 'time']];
const CUSTOMER_UPDATE: Column[] = [...CUSTOMER_FIELDS, ['shopUpdatedAt', 'time'], ['updatedAt', 'time']];
const ORDER_STATE: Column[] = [
  ['status', 'enum:OrderStatus'], ['paymentMethod', 'text'], ['carrier', 'text'], ['trackingNumber', 'text'], ['paidAt', 'time'], ['shippedAt', 'time'],
  ['deliveredAt', 'time'], ['cancelledAt', 'time'], ['cancelRequestedAt', 'time'], ['shopUpdatedAt', 'time'], ['updatedAt', 'time'],
];
const ORDER_INSERT: Column[] = [
  ['id', 'text'], ['number', 'text'], ['customerId', 'text'], ['currency', 'text'], ['itemsTotal', 'int'], ['shippingFee', 'int'], ['discount', 'int'], ['total', 'int'],
  ['shippingName', 'text'], ['shippingPhone', 'text'], ['shippingAddress', 'text'], ['createdAt', 'time'], ...ORDER_STATE,
];
const ITEM_INSERT: Column[] = [['id', 'text'], ['orderId', 'text'], ['sku', 'text'], ['name', 'text'], ['nameEn', 'text'], ['quantity', 'int'], ['unitPrice', 'int']];
const SHOP_EVENT_INSERT: Column[] = [['id', 'text'], ['type', 'text'], ['outcome', 'text'], ['occurredAt', 'time'], ['receivedAt', 'time']];

interface CustomerRow {
  id: string;
  externalId: string;
  shopUpdatedAt: Date | null;
  createdAt: Date;
  isNew: boolean;
  dirty: boolean;
  fields: Partial<Record<(typeof PERSONAL)[number], string>>;
}

interface OrderRow {
  id: string;
  number: string;
  customerId: string;
  total: number;
  state: { status: OrderStatus; paymentMethod: string | null; carrier: string | null; trackingNumber: string | null } & Record<'paidAt' | 'shippedAt' | 'deliveredAt' | 'cancelledAt' | 'cancelRequestedAt' | 'shopUpdatedAt', Date | null>;
  isNew: boolean;
  dirty: boolean;
  created?: { data: Data<'order.created'>; itemsTotal: number; at: Date };
}

export interface BatchDeps {
  provider: Provider;
  cipher: FieldCipher;
  /** Applies one event through ShopIngest's own path, in the batch's transaction (OWN_PATH events, a cancel the customer asked for). */
  own(tx: Tx, event: ShopEvent): Promise<IngestOutcome>;
  /** The delivered orders (first time, in order): points are earned. */
  delivered?(tx: Tx, orders: Pick<Order, 'id' | 'customerId' | 'total'>[]): Promise<void>;
}

type Raw = Record<string, unknown>;

/**
 * A batch of shop events in one transaction, with the rules of applying each alone: each applied
 * once by its id, an older event never overwrites newer state, a refused event leaves no trace and
 * the others go on, personal fields sealed, points earned on delivery. The events run in order in
 * memory over the rows they touch, read at once (locked on PostgreSQL), and the rows are written back
 * in a few set-based statements. Events that need more (OWN_PATH) run in order through the usual path,
 * each inside a savepoint, after what came before them is written.
 */
export class BatchRun {
  private seen = new Set<string>();

  constructor(
    private readonly tx: Tx,
    private readonly deps: BatchDeps,
    private readonly now: Date,
  ) {}

  async run(events: ShopEvent[]): Promise<BatchResult[]> {
    const results: BatchResult[] = new Array(events.length);
    const known = await this.select('"id"', 'ShopEvent', 'id', events.map((e) => e.id));
    this.seen = new Set(known.map((r) => String(r.id)));
    let i = 0;
    while (i < events.length) {
      if (OWN_PATH.has(events[i].type)) {
        results[i] = await this.own(events[i]);
        i++;
        continue;
      }
      let end = i;
      while (end < events.length && !OWN_PATH.has(events[end].type)) end++;
      const segment = new Segment(this.deps, this.now);
      await this.load(segment, events.slice(i, end));
      for (; i < end; i++) {
        const outcome = this.hot(segment, events[i]);
        if (outcome === 'own') break;
        results[i] = outcome;
      }
      await segment.flush(this.tx);
      if (i < end) results[i] = await this.own(events[i++]);
    }
    return results;
  }

  private hot(segment: Segment, event: ShopEvent): BatchResult | 'own' {
    if (this.seen.has(event.id)) return 'duplicate';
    try {
      const outcome = segment.apply(event);
      if (outcome === 'own') return 'own';
      this.seen.add(event.id);
      segment.record(event, outcome);
      return outcome;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
  }

  /** One event through the usual path inside a savepoint: refused, it leaves nothing behind. */
  private async own(event: ShopEvent): Promise<BatchResult> {
    if (this.seen.has(event.id)) return 'duplicate';
    await this.tx.$executeRawUnsafe('SAVEPOINT shop_event');
    try {
      const outcome = await this.deps.own(this.tx, event);
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT shop_event');
      this.seen.add(event.id);
      return outcome;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await this.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT shop_event');
      return err;
    }
  }

  private async load(segment: Segment, events: ShopEvent[]): Promise<void> {
    const numbers = new Set<string>();
    const customers = new Set<string>();
    for (const e of events) {
      if ('orderNumber' in e.data) numbers.add(e.data.orderNumber);
      if ('customerId' in e.data) customers.add(e.data.customerId);
    }
    const orderColumns = '"id", "number", "customerId", "total", "status", "paymentMethod", "carrier", "trackingNumber", "paidAt", "shippedAt", "deliveredAt", "cancelledAt", "cancelRequestedAt", "shopUpdatedAt"';
    for (const o of await this.select(orderColumns, 'Order', 'number', [...numbers])) segment.addOrder(o);
    for (const c of await this.select('"id", "externalId", "shopUpdatedAt"', 'Customer', 'externalId', [...customers])) segment.addCustomer(c);
  }

  /** The rows of `table` whose `key` is one of `values`; on PostgreSQL locked until the batch commits (in key order: no deadlock between batches). */
  private async select(columns: string, table: string, key: string, values: string[]): Promise<Raw[]> {
    if (!values.length) return [];
    const lock = this.deps.provider === 'postgresql' && table !== 'ShopEvent' ? ` ORDER BY "${key}" FOR UPDATE` : '';
    return this.tx.$queryRawUnsafe<Raw[]>(`SELECT ${columns} FROM "${table}" WHERE "${key}" IN ${inJson(this.deps.provider)}${lock}`, JSON.stringify(values));
  }
}

const time = (v: unknown): Date | null => storedTime(v as string | Date | null);

/** The rows a run of events touches, changed in memory, then written back (flush). */
class Segment {
  private readonly customers = new Map<string, CustomerRow>();
  private readonly orders = new Map<string, OrderRow>();
  private readonly applied: { id: string; type: string; outcome: string; occurredAt: string }[] = [];
  private readonly delivered: OrderRow[] = [];

  constructor(
    private readonly deps: BatchDeps,
    private readonly now: Date,
  ) {}

  addOrder(o: Raw): void {
    const state = {
      status: o.status as OrderStatus,
      paymentMethod: (o.paymentMethod as string | null) ?? null,
      carrier: (o.carrier as string | null) ?? null,
      trackingNumber: (o.trackingNumber as string | null) ?? null,
      paidAt: time(o.paidAt),
      shippedAt: time(o.shippedAt),
      deliveredAt: time(o.deliveredAt),
      cancelledAt: time(o.cancelledAt),
      cancelRequestedAt: time(o.cancelRequestedAt),
      shopUpdatedAt: time(o.shopUpdatedAt),
    };
    this.orders.set(String(o.number), { id: String(o.id), number: String(o.number), customerId: String(o.customerId), total: Number(o.total), state, isNew: false, dirty: false });
  }

  addCustomer(c: Raw): void {
    this.customers.set(String(c.externalId), { id: String(c.id), externalId: String(c.externalId), shopUpdatedAt: time(c.shopUpdatedAt), createdAt: this.now, isNew: false, dirty: false, fields: {} });
  }

  record(event: ShopEvent, outcome: IngestOutcome): void {
    this.applied.push({ id: event.id, type: event.type, outcome, occurredAt: event.occurredAt });
  }

  /** Applies one event to the rows in memory; 'own' when it must go through the usual path. Throws an AppError, having changed nothing, when it is refused. */
  apply(event: ShopEvent): 'applied' | 'outdated' | 'own' {
    const at = new Date(event.occurredAt);
    switch (event.type) {
      case 'customer.created':
      case 'customer.updated':
        return this.upsertCustomer(event.data, at);
      case 'order.created':
        return this.createOrder(event.data, at);
      case 'order.paid':
      case 'order.shipped':
      case 'order.delivered':
      case 'order.cancelled':
        return this.moveOrder(event, at);
      default:
        return 'own';
    }
  }

  private upsertCustomer(data: Data<'customer.created'>, at: Date): 'applied' | 'outdated' {
    const { customerId, ...fields } = data;
    const existing = this.customers.get(customerId);
    if (existing?.shopUpdatedAt && existing.shopUpdatedAt > at) return 'outdated';
    const row = existing ?? this.customer(customerId, this.now);
    Object.assign(row.fields, fields);
    row.shopUpdatedAt = at;
    row.dirty = true;
    return 'applied';
  }

  /** The customer with this shop id; a new one (nothing but the id, created `at`) when the shop has not told of them yet. */
  private customer(externalId: string, at: Date): CustomerRow {
    let row = this.customers.get(externalId);
    if (!row) {
      row = { id: timeOrderedId(), externalId, shopUpdatedAt: null, createdAt: at, isNew: true, dirty: true, fields: {} };
      this.customers.set(externalId, row);
    }
    return row;
  }

  private createOrder(data: Data<'order.created'>, at: Date): 'applied' | 'outdated' {
    const itemsTotal = data.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);
    if (itemsTotal + data.shippingFee - data.discount !== data.total) {
      throw new AppError('invalid_request', `data.total: ${data.total} is not items (${itemsTotal}) + shippingFee (${data.shippingFee}) - discount (${data.discount})`);
    }
    if (this.orders.has(data.orderNumber)) return 'outdated';
    const customer = this.customer(data.customerId, at);
    const state = { status: 'CREATED' as const, paymentMethod: data.paymentMethod ?? null, carrier: null, trackingNumber: null, paidAt: null, shippedAt: null, deliveredAt: null, cancelledAt: null, cancelRequestedAt: null, shopUpdatedAt: at };
    this.orders.set(data.orderNumber, { id: timeOrderedId(), number: data.orderNumber, customerId: customer.id, total: data.total, state, isNew: true, dirty: true, created: { data, itemsTotal, at } });
    return 'applied';
  }

  private moveOrder(event: Extract<ShopEvent, { type: MoveType }>, at: Date): 'applied' | 'outdated' | 'own' {
    const order = this.orders.get(event.data.orderNumber);
    if (!order) throw new AppError('not_found', `Order ${event.data.orderNumber} is not known: send its order.created event first`);
    const s = order.state;
    // The shop's answer to a cancellation the customer asked for: the customer is told (a hook of the usual path).
    if (event.type === 'order.cancelled' && s.cancelRequestedAt) return 'own';
    const { field, status } = STATUS[event.type];
    const before = s.status;
    order.dirty = true;
    if (!s[field]) s[field] = at;
    if (event.type === 'order.paid' && event.data.paymentMethod && !s.paymentMethod) s.paymentMethod = event.data.paymentMethod;
    if (event.type === 'order.shipped' && (!s.trackingNumber || !(s.shopUpdatedAt && s.shopUpdatedAt > at))) Object.assign(s, { carrier: event.data.carrier, trackingNumber: event.data.trackingNumber });
    if (s.shopUpdatedAt !== null && s.shopUpdatedAt > at) return 'outdated';
    Object.assign(s, { status, shopUpdatedAt: at });
    if (event.type === 'order.cancelled') s.cancelRequestedAt = null;
    if (event.type === 'order.delivered' && before !== 'DELIVERED') this.delivered.push(order);
    return 'applied';
  }

  /** Writes the rows back: a statement per kind of write, each with one JSON parameter; then the points of the deliveries. */
  async flush(tx: Tx): Promise<void> {
    const { provider } = this.deps;
    const t = (d: Date | null) => jsonTime(provider, d);
    const write = async (sql: string, rows: object[]) => {
      if (rows.length) await tx.$executeRawUnsafe(sql, JSON.stringify(rows));
    };
    const customers = [...this.customers.values()].filter((c) => c.dirty);
    const sealed = (c: CustomerRow) => ({ id: c.id, externalId: c.externalId, ...(sealData(this.deps.cipher, 'Customer', c.fields) as object), shopUpdatedAt: t(c.shopUpdatedAt), createdAt: t(c.createdAt), updatedAt: t(this.now) });
    await write(insertFromJson(provider, 'Customer', CUSTOMER_INSERT), customers.filter((c) => c.isNew).map(sealed));
    await write(updateFromJson(provider, 'Customer', ['id', 'text'], CUSTOMER_UPDATE, PERSONAL), customers.filter((c) => !c.isNew).map(sealed));
    const orders = [...this.orders.values()].filter((o) => o.dirty);
    const state = (o: OrderRow) => ({ id: o.id, ...o.state, ...Object.fromEntries(ORDER_STATE.filter(([, type]) => type === 'time').map(([c]) => [c, t((o.state as Record<string, Date | null>)[c] ?? null)])), updatedAt: t(this.now) });
    const created = orders.filter((o) => o.isNew);
    await write(insertFromJson(provider, 'Order', ORDER_INSERT), created.map((o) => ({ ...this.newOrder(o), ...state(o) })));
    await write(insertFromJson(provider, 'OrderItem', ITEM_INSERT), created.flatMap((o) => o.created!.data.items.map((i) => ({ id: timeOrderedId(), orderId: o.id, sku: i.sku, name: i.name, nameEn: i.nameEn ?? null, quantity: i.quantity, unitPrice: i.unitPrice }))));
    await write(updateFromJson(provider, 'Order', ['id', 'text'], ORDER_STATE), orders.filter((o) => !o.isNew).map(state));
    await write(insertFromJson(provider, 'ShopEvent', SHOP_EVENT_INSERT), this.applied.map((e) => ({ ...e, occurredAt: t(new Date(e.occurredAt)), receivedAt: t(this.now) })));
    if (this.delivered.length) await this.deps.delivered?.(tx, this.delivered.map((o) => ({ id: o.id, customerId: o.customerId, total: o.total })));
  }

  private newOrder(o: OrderRow): Raw {
    const { data, itemsTotal, at } = o.created!;
    const shipping = sealData(this.deps.cipher, 'Order', { shippingName: data.shipping.name, shippingPhone: data.shipping.phone, shippingAddress: data.shipping.address }) as Raw;
    return { number: o.number, customerId: o.customerId, currency: data.currency, itemsTotal, shippingFee: data.shippingFee, discount: data.discount, total: data.total, ...shipping, createdAt: jsonTime(this.deps.provider, at) };
  }
}
