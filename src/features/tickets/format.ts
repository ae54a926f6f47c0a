import type { Locale } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import type { Ticket } from './types';

/** A time as the customer reads it: in the shop's time zone, in their language. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatTime(at: Date, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    timeFormats.set(key, format);
  }
  return format.format(at);
}

/** A ticket as a list shows it, with the item it is about when it has one. */
type ListedTicket = Ticket & { orderItem?: { name: string; nameEn: string | null } | null };

/** Customer-facing texts about tickets, all from locales/<locale>/tickets.json. */
export class TicketTexts {
  constructor(
    private readonly i18n: I18n,
    private readonly timeZone: string,
  ) {}

  /** The answer to a customer whose message was added to their waiting ticket. */
  replyAdded(locale: Locale, number: string): string {
    return this.i18n.t(locale, 'tickets.reply.added', { number });
  }

  /** A photo the customer sent with their reply, as a line of the ticket's history. */
  replyPhoto(locale: Locale, url: string): string {
    return this.i18n.t(locale, 'tickets.reply.photo', { url });
  }

  category(locale: Locale, t: Pick<Ticket, 'category'>): string {
    return this.i18n.t(locale, `tickets.category.${t.category}`);
  }

  status(locale: Locale, t: Pick<Ticket, 'status'>): string {
    return this.i18n.t(locale, `tickets.status.${t.status}`);
  }

  due(locale: Locale, t: Pick<Ticket, 'dueAt'>): string {
    return t.dueAt ? formatTime(t.dueAt, locale, this.timeZone) : this.i18n.t(locale, 'tickets.noDue');
  }

  time(locale: Locale, at: Date): string {
    return formatTime(at, locale, this.timeZone);
  }

  /** The customer's tickets, one line each (or the "no tickets" answer). */
  list(locale: Locale, tickets: ListedTicket[]): string {
    if (tickets.length === 0) return this.i18n.t(locale, 'tickets.list.none');
    const lines = tickets.map((t) => this.line(locale, t));
    return [this.i18n.t(locale, 'tickets.list.header', { count: tickets.length }), ...lines, this.i18n.t(locale, 'tickets.list.hint', { example: tickets[0].number })].join('\n');
  }

  /** One ticket in a list: number, category (and item), status, deadline, last update. */
  line(locale: Locale, t: ListedTicket): string {
    return this.i18n.t(locale, 'tickets.list.item', {
      number: t.number,
      category: t.orderItem
        ? this.i18n.t(locale, 'tickets.list.categoryWithItem', { category: this.category(locale, t), item: locale === 'en-US' ? (t.orderItem.nameEn ?? t.orderItem.name) : t.orderItem.name })
        : this.category(locale, t),
      status: this.status(locale, t),
      due: this.due(locale, t),
      updated: this.time(locale, t.updatedAt),
    });
  }


  /** The ticket in full, one fact per line (src/bot/cards.ts shows it as a card where the channel can). */
  detail(locale: Locale, t: Ticket): string[] {
    const lines = [
      this.i18n.t(locale, 'tickets.detail.title', { number: t.number, category: this.category(locale, t) }),
      this.i18n.t(locale, 'tickets.detail.status', { status: this.status(locale, t) }),
      t.dueAt ? this.i18n.t(locale, 'tickets.detail.due', { due: this.due(locale, t) }) : this.i18n.t(locale, 'tickets.detail.noDue'),
      this.i18n.t(locale, 'tickets.detail.updated', { updated: this.time(locale, t.updatedAt) }),
      this.i18n.t(locale, 'tickets.detail.summary', { summary: t.summary }),
    ];
    if (t.resolutionSummary && (t.status === 'RESOLVED' || t.status === 'CLOSED')) {
      lines.push(this.i18n.t(locale, 'tickets.detail.resolution', { resolution: t.resolutionSummary }));
    }
    return lines;
  }

  notFound(locale: Locale, number: string): string {
    return this.i18n.t(locale, 'tickets.notFound', { number });
  }
}
