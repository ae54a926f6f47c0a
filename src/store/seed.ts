import type { Prisma } from '../../generated/sqlite/client';
import type { Db } from './db';
import { isUniqueViolation } from './errors';

/**
 * The demo shop: ~50 customers (Chinese and English names, tiers, points) and ~200 orders in every
 * status, with realistic dates, items, carriers and tracking numbers. Deterministic for a given seed
 * and clock, so tests can rely on it.
 */
export interface SeedOptions {
  now: Date;
  seed?: number;
  customers?: number;
  orders?: number;
}

export interface SeedSummary {
  customers: number;
  orders: number;
}

/**
 * Demo customers' shop ids (Customer.externalId) are C1001, C1002, ...: the web chat's demo sign-in
 * signs identity tokens for them. They get no channel accounts: a customer is only ever linked to a
 * conversation by a signed identity, never by a user id a client could choose.
 */
export const DEMO_CUSTOMER_PREFIX = 'C';

/** A small deterministic PRNG (mulberry32): the same seed gives the same demo shop. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '晓东', '雨婷', '子涵', '浩然', '欣怡'];
const EN_FIRST = ['Emily', 'James', 'Olivia', 'Liam', 'Sophia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Grace', 'Daniel'];
const EN_LAST = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson', 'Clark', 'Walker', 'Hall', 'Young', 'King'];
const CITIES = [
  { zh: '北京市朝阳区建国路', en: 'Jianguo Rd, Chaoyang District, Beijing' },
  { zh: '上海市浦东新区世纪大道', en: 'Century Ave, Pudong, Shanghai' },
  { zh: '广州市天河区天河路', en: 'Tianhe Rd, Tianhe District, Guangzhou' },
  { zh: '深圳市南山区科技园南路', en: 'Keji Rd S, Nanshan, Shenzhen' },
  { zh: '杭州市西湖区文三路', en: 'Wensan Rd, Xihu District, Hangzhou' },
  { zh: '成都市武侯区人民南路', en: 'Renmin Rd S, Wuhou District, Chengdu' },
  { zh: '南京市鼓楼区中山路', en: 'Zhongshan Rd, Gulou District, Nanjing' },
  { zh: '武汉市洪山区珞喻路', en: 'Luoyu Rd, Hongshan District, Wuhan' },
];
const PRODUCTS = [
  { sku: 'TSH-001', name: '纯棉圆领T恤', nameEn: 'Cotton crew-neck T-shirt', price: 7900 },
  { sku: 'JKT-014', name: '轻薄羽绒服', nameEn: 'Light down jacket', price: 39900 },
  { sku: 'SHO-203', name: '透气跑步鞋', nameEn: 'Breathable running shoes', price: 45900 },
  { sku: 'BAG-031', name: '通勤双肩包', nameEn: 'Commuter backpack', price: 19900 },
  { sku: 'KTL-102', name: '电热水壶 1.7L', nameEn: 'Electric kettle 1.7 L', price: 12900 },
  { sku: 'HDP-330', name: '降噪蓝牙耳机', nameEn: 'Noise-cancelling Bluetooth headphones', price: 89900 },
  { sku: 'LMP-058', name: 'LED护眼台灯', nameEn: 'LED desk lamp', price: 15900 },
  { sku: 'MUG-007', name: '陶瓷马克杯', nameEn: 'Ceramic mug', price: 3900 },
  { sku: 'PIL-120', name: '记忆棉枕头', nameEn: 'Memory-foam pillow', price: 12900 },
  { sku: 'TEA-501', name: '西湖龙井 250g', nameEn: 'Longjing green tea 250 g', price: 26800 },
  { sku: 'PWR-210', name: '20000mAh 充电宝', nameEn: '20,000 mAh power bank', price: 14900 },
  { sku: 'SCF-044', name: '羊绒围巾', nameEn: 'Cashmere scarf', price: 29900 },
];
const CARRIERS = [
  { name: '顺丰速运', track: (r: () => number) => `SF${digits(r, 13)}` },
  { name: '中通快递', track: (r: () => number) => `7${digits(r, 14)}` },
  { name: '圆通速递', track: (r: () => number) => `YT${digits(r, 13)}` },
  { name: '京东物流', track: (r: () => number) => `JD${digits(r, 13)}` },
  { name: 'EMS', track: (r: () => number) => `E${digits(r, 9)}CN` },
];
const PAYMENTS = ['alipay', 'wechat_pay', 'unionpay', 'credit_card'];
const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 10);
  return s;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

function yyyymmdd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

function tierFor(points: number): 'SILVER' | 'GOLD' | 'DIAMOND' {
  return points >= 10000 ? 'DIAMOND' : points >= 2000 ? 'GOLD' : 'SILVER';
}

type Status = 'CREATED' | 'PAID' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'RETURNED';

export function buildDemoShop(options: SeedOptions) {
  const r = mulberry32(options.seed ?? 20261126);
  const now = options.now.getTime();
  const customerCount = options.customers ?? 50;
  const orderCount = options.orders ?? 200;

  const customers: Prisma.CustomerCreateManyInput[] = [];
  for (let i = 0; i < customerCount; i++) {
    const english = i % 5 === 4; // one in five writes in English
    const city = pick(r, CITIES);
    const name = english ? `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}` : `${pick(r, SURNAMES)}${pick(r, GIVEN)}`;
    customers.push({
      id: `demo-customer-${String(i + 1).padStart(3, '0')}`,
      externalId: `${DEMO_CUSTOMER_PREFIX}${1001 + i}`,
      name,
      phone: english && i % 2 === 0 ? `+44 7700 9${digits(r, 5)}` : `1${pick(r, ['38', '39', '58', '86', '77', '50'])}${digits(r, 8)}`,
      email: english ? `${name.toLowerCase().replace(' ', '.')}@example.com` : `user${1001 + i}@example.cn`,
      address: english ? `${Math.floor(r() * 200) + 1} ${city.en}` : `${city.zh}${Math.floor(r() * 200) + 1}号`,
      locale: english ? 'en-US' : 'zh-CN',
      tier: 'SILVER',
      points: 0,
      createdAt: new Date(now - (200 + Math.floor(r() * 500)) * DAY),
    });
  }

  // Status mix: mostly delivered, with some of every other status; recent orders are more likely open.
  const statusWeights: [Status, number][] = [
    ['DELIVERED', 0.45],
    ['SHIPPED', 0.15],
    ['PAID', 0.12],
    ['CREATED', 0.08],
    ['CANCELLED', 0.1],
    ['RETURNED', 0.1],
  ];
  const pickStatus = (): Status => {
    let x = r();
    for (const [s, w] of statusWeights) if ((x -= w) < 0) return s;
    return 'DELIVERED';
  };

  const orders: Prisma.OrderCreateManyInput[] = [];
  const items: Prisma.OrderItemCreateManyInput[] = [];
  const spent = new Map<string, number>();
  const perDay = new Map<string, number>();
  for (let i = 0; i < orderCount; i++) {
    const customer = customers[i < customerCount ? i : Math.floor(r() * customerCount)];
    const status = pickStatus();
    // Open orders are recent; finished ones spread over the last 120 days.
    const ageDays = status === 'CREATED' || status === 'PAID' ? r() * 3 : status === 'SHIPPED' ? 1 + r() * 4 : 6 + r() * 114;
    const createdAt = new Date(now - ageDays * DAY);
    const seq = (perDay.get(yyyymmdd(createdAt)) ?? 0) + 1;
    perDay.set(yyyymmdd(createdAt), seq);
    const number = `KF${yyyymmdd(createdAt)}${String(seq).padStart(4, '0')}`;
    const orderId = `demo-order-${String(i + 1).padStart(4, '0')}`;

    let itemsTotal = 0;
    const lineCount = 1 + Math.floor(r() * 3);
    const used = new Set<string>();
    for (let l = 0; l < lineCount; l++) {
      const p = pick(r, PRODUCTS);
      if (used.has(p.sku)) continue;
      used.add(p.sku);
      const quantity = 1 + (r() < 0.2 ? 1 : 0);
      itemsTotal += p.price * quantity;
      items.push({ id: `${orderId}-${l + 1}`, orderId, sku: p.sku, name: p.name, nameEn: p.nameEn, quantity, unitPrice: p.price });
    }
    const shippingFee = itemsTotal >= 9900 ? 0 : 1000;
    const discount = r() < 0.25 ? Math.min(2000, Math.floor(itemsTotal * 0.1)) : 0;
    const total = itemsTotal + shippingFee - discount;
    const paid = status !== 'CREATED' && !(status === 'CANCELLED' && r() < 0.5);
    const shipped = ['SHIPPED', 'DELIVERED', 'RETURNED'].includes(status);
    const delivered = ['DELIVERED', 'RETURNED'].includes(status);
    const carrier = shipped ? pick(r, CARRIERS) : undefined;
    const paidAt = paid ? new Date(createdAt.getTime() + (5 + r() * 60) * 60 * 1000) : null;
    const shippedAt = shipped && paidAt ? new Date(paidAt.getTime() + (4 + r() * 40) * HOUR) : null;
    const deliveredAt = delivered && shippedAt ? new Date(Math.min(now - HOUR, shippedAt.getTime() + (1 + r() * 3) * DAY)) : null;
    orders.push({
      id: orderId,
      number,
      customerId: customer.id as string,
      status,
      currency: 'CNY',
      itemsTotal,
      shippingFee,
      discount,
      total,
      paymentMethod: paid ? pick(r, PAYMENTS) : null,
      shippingName: customer.name as string,
      shippingPhone: customer.phone as string,
      shippingAddress: customer.address as string,
      carrier: carrier?.name ?? null,
      trackingNumber: carrier ? carrier.track(r) : null,
      createdAt,
      paidAt,
      shippedAt,
      deliveredAt,
      cancelledAt: status === 'CANCELLED' ? new Date(createdAt.getTime() + (1 + r() * 20) * HOUR) : null,
      returnedAt: status === 'RETURNED' && deliveredAt ? new Date(deliveredAt.getTime() + (1 + r() * 6) * DAY) : null,
    });
    // Points as the ledger keeps them: earned on delivery; a return takes back the goods' points (the shipping fee is not refunded).
    if (status === 'DELIVERED' || status === 'RETURNED') spent.set(customer.id as string, (spent.get(customer.id as string) ?? 0) + Math.floor(total / 100));
    if (status === 'RETURNED') spent.set(customer.id as string, (spent.get(customer.id as string) ?? 0) - Math.min(Math.floor(itemsTotal / 100), Math.floor(total / 100)));
  }

  // 1 yuan spent = 1 point; older members carry points from before the demo's orders. The points
  // ledger holds both: an opening entry and one earn entry per delivered order (the balance is their sum).
  const ledger: Prisma.PointsEntryCreateManyInput[] = [];
  for (const o of orders) {
    if (o.status !== 'DELIVERED' && o.status !== 'RETURNED') continue;
    const earned = Math.floor(o.total / 100);
    ledger.push({ customerId: o.customerId, delta: earned, kind: 'earn', orderId: o.id, sourceKey: `earn:order:${o.id as string}`, actorType: 'shop', createdAt: o.deliveredAt as Date });
    if (o.status === 'RETURNED') {
      const back = Math.min(Math.floor(o.itemsTotal / 100), earned);
      if (back > 0) ledger.push({ customerId: o.customerId, delta: -back, kind: 'reverse', orderId: o.id, sourceKey: `reverse:demo:${o.id as string}`, actorType: 'shop', createdAt: o.returnedAt as Date });
    }
  }
  for (const c of customers) {
    const opening = Math.floor(r() * 12) * 500;
    const points = (spent.get(c.id as string) ?? 0) + opening;
    c.points = points;
    c.tier = tierFor(points);
    if (opening) ledger.push({ customerId: c.id as string, delta: opening, kind: 'opening', sourceKey: `opening:${c.id as string}`, actorType: 'system', createdAt: c.createdAt as Date });
  }
  return { customers, orders, items, ledger };
}

/** Loads the demo shop into an empty store; returns what it created, or undefined if the store had customers. */
/**
 * The demo data, when the store has no customer yet. Two instances starting together on an empty
 * store may both find it empty: the second one's transaction then meets the first one's rows (a
 * taken unique key), is rolled back whole, and it starts on the data the first one loaded.
 */
export async function seedIfEmpty(db: Db, options: SeedOptions): Promise<SeedSummary | undefined> {
  if ((await db.customer.count()) > 0) return undefined;
  try {
    return await seed(db, options);
  } catch (err) {
    if (isUniqueViolation(err) && (await db.customer.count()) > 0) return undefined;
    throw err;
  }
}

export async function seed(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const shop = buildDemoShop(options);
  await db.$transaction([
    db.customer.createMany({ data: shop.customers }),
    db.order.createMany({ data: shop.orders }),
    db.orderItem.createMany({ data: shop.items }),
    db.pointsEntry.createMany({ data: shop.ledger }),
  ]);
  return { customers: shop.customers.length, orders: shop.orders.length };
}

/** What a demo customer's data lets a newcomer try (the start banner says it in words). */
export interface DemoCustomerHighlight {
  externalId: string;
  name: string | null;
  locale: string | null;
  tier: string;
  points: number;
  /** Orders not shipped yet (awaiting payment or paid): cancel, change the address. */
  openOrders: number;
  /** Orders on their way: order status with carrier and tracking number. */
  shippedOrders: number;
  /** The latest delivery of an order still DELIVERED (a return, an exchange, a repair), or null. */
  lastDeliveredAt: Date | null;
}

/** The first `take` demo customers (by shop id, as the demo page lists them) and what their orders allow. */
export async function demoCustomerHighlights(db: Db, take: number): Promise<DemoCustomerHighlight[]> {
  const customers = await db.customer.findMany({
    where: { externalId: { startsWith: DEMO_CUSTOMER_PREFIX } },
    orderBy: { externalId: 'asc' },
    take,
    select: { externalId: true, name: true, locale: true, tier: true, points: true, orders: { select: { status: true, deliveredAt: true } } },
  });
  return customers.flatMap((c) => {
    if (!c.externalId) return [];
    const delivered = c.orders.flatMap((o) => (o.status === 'DELIVERED' && o.deliveredAt ? [o.deliveredAt.getTime()] : []));
    return [
      {
        externalId: c.externalId,
        name: c.name,
        locale: c.locale,
        tier: c.tier,
        points: c.points,
        openOrders: c.orders.filter((o) => o.status === 'CREATED' || o.status === 'PAID').length,
        shippedOrders: c.orders.filter((o) => o.status === 'SHIPPED').length,
        lastDeliveredAt: delivered.length ? new Date(Math.max(...delivered)) : null,
      },
    ];
  });
}
