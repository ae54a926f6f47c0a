import { pgConnectionFields, providerOf, sqliteFilePath } from '../store/connection';
import type { DemoCustomerHighlight } from '../store/seed';

/**
 * The start banner: what `npm start` prints once the bot listens, for the person who ran it: where
 * to go (the shop page, the staff's tools), whom to sign in as, where the data lives. Features say
 * what they have to show (Feature.banner(): links and accounts, as data); every word of the banner
 * is in this file, in English (operator-facing console text, not the customers' languages).
 *
 * A new page or tool (the agent console, the managers' dashboard) adds its id and label to
 * LINK_LABELS and reports `{ kind: 'link', link: <id>, path }` from its feature's banner().
 */
export type BannerItem =
  | { kind: 'link'; link: BannerLink; path: string }
  /** The demo customers the shop page's demo sign-in offers (demo mode only). */
  | { kind: 'demoCustomers'; customers: DemoCustomerHighlight[] }
  /** Staff accounts: today the ticket API's agents, which have tokens, never demo passwords. */
  | { kind: 'staffAccounts'; apiAgents: number }
  /** The demo staff's logins and their password (demo data only). */
  | { kind: 'demoStaff'; logins: string[]; password: string };

const LINK_LABELS = {
  shopPage: { label: 'Shop page and web chat', note: 'zh-CN: /?lang=zh-CN, en-US: /?lang=en-US' },
  embedScript: { label: 'Chat on your pages', note: 'a <script> tag: README, "Embedding in a shop\'s pages"' },
  ticketApi: { label: 'Ticket API (staff)', note: 'Authorization: Bearer <an agent\'s token>' },
  agentConsole: { label: 'Agent console (live chats)', note: 'sign in at /staff/signin: npm run agent:create -- --login ... --password' },
  dashboard: { label: 'Managers\' dashboard', note: 'managers and supervisors' },
  audit: { label: 'Audit log (auditors)', note: 'auditor, CRM head, admin; CSV export' },
  changes: { label: 'Customer data change requests', note: 'supervisor, then CRM head approve; admin carries out' },
  webhooks: { label: 'Stuck webhooks to the shop', note: 'agents read; supervisors and admin send again' },
  botEndpoint: { label: 'Bot endpoint', note: 'Bot Framework Emulator or Azure Bot Service' },
  health: { label: 'Health', note: '/readyz: the store answers too' },
} satisfies Record<string, { label: string; note?: string }>;

export type BannerLink = keyof typeof LINK_LABELS;

/** What the root knows about the running bot. */
export interface BannerContext {
  /** Base URL, e.g. http://127.0.0.1:3978 */
  url: string;
  databaseUrl: string;
  now: Date;
  /** RETURN_WINDOW_DAYS: a demo customer's delivery within it can be returned. */
  returnWindowDays: number;
}

/** The kernel's own links, shown after the features'. */
export const KERNEL_BANNER_ITEMS: BannerItem[] = [
  { kind: 'link', link: 'botEndpoint', path: '/api/messages' },
  { kind: 'link', link: 'health', path: '/healthz' },
];

const DAY_MS = 24 * 60 * 60 * 1000;
const TIER_WORDS: Record<string, string> = { SILVER: 'silver', GOLD: 'gold', DIAMOND: 'diamond' };

/** What a demo customer is good for trying, from their orders. */
function tryWith(c: DemoCustomerHighlight, ctx: BannerContext): string {
  const ideas: string[] = [];
  if (c.shippedOrders) ideas.push('track a parcel');
  if (c.openOrders) ideas.push('cancel an order or change its address');
  if (c.lastDeliveredAt) {
    const days = Math.max(0, Math.floor((ctx.now.getTime() - c.lastDeliveredAt.getTime()) / DAY_MS));
    ideas.push(days <= ctx.returnWindowDays ? `return or exchange (delivered ${days} day${days === 1 ? '' : 's'} ago)` : 'repair (return window over)');
  }
  ideas.push(`points (${TIER_WORDS[c.tier] ?? c.tier.toLowerCase()}, ${c.points})`);
  return ideas.join(' · ');
}

function describeStore(databaseUrl: string): string[] {
  if (providerOf(databaseUrl) === 'sqlite') {
    return [
      `Data: SQLite file ${sqliteFilePath(databaseUrl)}`,
      '  PostgreSQL instead: DATABASE_URL=postgresql://user:password@host:5432/kefu in .env (README: "SQLite or PostgreSQL")',
    ];
  }
  const { host, port, user, database } = pgConnectionFields(databaseUrl);
  return [`Data: PostgreSQL database "${database}" on ${host}:${port}, user ${user}`, '  SQLite instead: remove DATABASE_URL from .env (default file:./data/kefu.db)'];
}

/** The banner's lines. */
export function renderBanner(items: BannerItem[], ctx: BannerContext): string[] {
  const links = items.flatMap((i) => (i.kind === 'link' ? [i] : []));
  const width = Math.max(...links.map((l) => LINK_LABELS[l.link].label.length));
  const lines = [`Kefu is ready at ${ctx.url}`, ''];
  for (const { link, path } of links) {
    const { label, note } = LINK_LABELS[link];
    lines.push(`  ${label.padEnd(width)}  ${ctx.url}${path}${note ? `  (${note})` : ''}`);
  }
  for (const item of items) {
    if (item.kind === 'demoCustomers') {
      lines.push('');
      if (!item.customers.length) {
        lines.push('Demo customers: none in this store (npm run db:seed loads the demo shop into an empty one)');
        continue;
      }
      lines.push('Demo customers (demo mode): pick one in the shop page\'s "演示账号 / Demo account" list, then open the chat');
      for (const c of item.customers) {
        lines.push(`  ${c.externalId}  ${(c.locale ?? '').padEnd(5)}  ${c.name ?? ''}: ${tryWith(c, ctx)}`);
      }
    }
    if (item.kind === 'demoStaff' && item.logins.length) {
      lines.push('');
      lines.push(`Demo staff (demo data only), password ${item.password}: ${item.logins.join(', ')}`);
    }
    if (item.kind === 'staffAccounts') {
      lines.push('');
      lines.push(
        item.apiAgents
          ? `Staff: ${item.apiAgents} agent${item.apiAgents === 1 ? '' : 's'} of the ticket API (a token is printed once, when its agent is created); another:`
          : 'Staff: no accounts yet. Create a ticket API agent (its token is printed once):',
      );
      lines.push('  npm run agent:create -- --name 林小美 --role supervisor   (roles: agent, supervisor, manager, crm_head, auditor, admin)');
    }
  }
  lines.push('', ...describeStore(ctx.databaseUrl), 'Stop: Ctrl-C (turns in flight finish first)', '');
  return lines;
}
