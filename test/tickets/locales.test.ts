import { I18n } from '../../src/i18n/i18n';
import { TICKET_CATEGORIES, TICKET_STATUSES } from '../../src/features/tickets/types';

const i18n = new I18n();
const ticketKeys = (locale: 'zh-CN' | 'en-US') => i18n.keys(locale).filter((k) => k.startsWith('tickets.') && !k.startsWith('tickets.keywords.')).sort();

describe('tickets locale files', () => {
  it('when zh-CN and en-US are compared, then they have the same keys', () => {
    expect(ticketKeys('en-US')).toEqual(ticketKeys('zh-CN'));
  });

  it.each(['zh-CN', 'en-US'] as const)('when a %s customer reads a status or category, then every one has a name', (locale) => {
    for (const s of TICKET_STATUSES) expect(i18n.t(locale, `tickets.status.${s}`)).not.toBe('');
    for (const c of TICKET_CATEGORIES) expect(i18n.t(locale, `tickets.category.${c}`)).not.toBe('');
    expect(i18n.list(locale, 'tickets.keywords.ticket_status').length).toBeGreaterThan(0);
  });
});
