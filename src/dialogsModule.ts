import type { Dialog } from 'botbuilder-dialogs';
import { ConfigError, type Config } from './config/config';
import type { CustomerService } from './crm/customers';
import type { I18n } from './i18n/i18n';
import type { Db } from './store/db';
import { OrderService } from './crm/orders';
import { LoyaltyPolicy } from './crm/loyalty';
import type { FeatureModule, ModuleContext } from './modules';
import { CancelOrderDialog } from '../dialogs/cancelOrderDialog';
import { ChangeAddressDialog } from '../dialogs/changeAddressDialog';
import { ComplaintDialog } from '../dialogs/complaintDialog';
import { FaqDialog, faqRoutes } from '../dialogs/faqDialog';
import { formatYuan } from '../dialogs/format';
import { HumanDialog } from '../dialogs/humanDialog';
import { DialogIds } from '../dialogs/ids';
import type { DialogBase } from '../dialogs/kefuDialog';
import { LoyaltyDialog } from '../dialogs/loyaltyDialog';
import { MyDataDialog } from '../dialogs/myDataDialog';
import { OrderStatusDialog } from '../dialogs/orderStatusDialog';
import { RepairDialog } from '../dialogs/repairDialog';
import { ReturnDialog, type ReturnDialogOptions } from '../dialogs/returnDialog';
import type { DialogRoute } from '../dialogs/routes';
import type { TicketDesk } from '../dialogs/services';

const returnOptions: ReturnDialogOptions = { kind: 'return' };
const exchangeOptions: ReturnDialogOptions = { kind: 'exchange' };

/** The first-line dialogs' routes: intent -> dialog, and their place in the welcome menu. */
export const DIALOG_ROUTES: DialogRoute[] = [
  { intent: 'order_status', dialogId: DialogIds.orderStatus, menuLabelKey: 'messages.menu.orderStatus', menuOrder: 10 },
  { intent: 'cancel_order', dialogId: DialogIds.cancelOrder, menuLabelKey: 'messages.menu.cancelOrder', menuOrder: 20 },
  { intent: 'change_order', dialogId: DialogIds.changeAddress, menuLabelKey: 'messages.menu.changeAddress', menuOrder: 30 },
  { intent: 'returns', dialogId: DialogIds.returns, menuLabelKey: 'messages.menu.returns', menuOrder: 40 },
  { intent: 'return_request', dialogId: DialogIds.returns, options: returnOptions },
  { intent: 'exchange_request', dialogId: DialogIds.returns, options: exchangeOptions },
  { intent: 'repair_request', dialogId: DialogIds.repair, menuLabelKey: 'messages.menu.repair', menuOrder: 50 },
  { intent: 'complaint', dialogId: DialogIds.complaint, menuLabelKey: 'messages.menu.complaint', menuOrder: 60 },
  { intent: 'faq', dialogId: DialogIds.faq, menuLabelKey: 'messages.menu.faq', menuOrder: 70 },
  { intent: 'shipping_info', dialogId: DialogIds.faq },
  { intent: 'payment_issue', dialogId: DialogIds.faq },
  { intent: 'points_membership', dialogId: DialogIds.loyalty, menuLabelKey: 'messages.menu.points', menuOrder: 72 },
  { intent: 'account_privacy', dialogId: DialogIds.myData, menuLabelKey: 'messages.menu.myData', menuOrder: 75 },
  { intent: 'human_agent', dialogId: DialogIds.human, menuLabelKey: 'messages.menu.human', menuOrder: 90 },
];

/** What the first-line dialogs are built from (the module's context, or a test's). */
export interface FirstLineDeps {
  config: Pick<
    Config,
    | 'TIMEZONE'
    | 'SHOP_SIGN_IN_URL'
    | 'LOYALTY_GOLD_POINTS'
    | 'LOYALTY_DIAMOND_POINTS'
    | 'ORDER_PICK_LIMIT'
    | 'RETURN_SHIPPING_FEE_YUAN'
    | 'RETURN_WINDOW_DAYS'
    | 'DELIVERY_ESTIMATE_DAYS'
  >;
  db: Db;
  i18n: I18n;
  customers: CustomerService;
  tickets: TicketDesk;
  clock?: () => Date;
}

/** The first-line dialogs and their routes. */
export function createFirstLineDialogs(deps: FirstLineDeps): { dialogs: Dialog[]; routes: DialogRoute[] } {
  const { config, i18n, customers, tickets, clock } = deps;
  if (config.LOYALTY_DIAMOND_POINTS <= config.LOYALTY_GOLD_POINTS) {
    throw new ConfigError([`LOYALTY_DIAMOND_POINTS: must be above LOYALTY_GOLD_POINTS (${config.LOYALTY_GOLD_POINTS})`]);
  }
  const base: DialogBase = { i18n, timeZone: config.TIMEZONE, signInUrl: config.SHOP_SIGN_IN_URL, clock };
  const orders = new OrderService(deps.db, clock);
  const loyalty = new LoyaltyPolicy({ gold: config.LOYALTY_GOLD_POINTS, diamond: config.LOYALTY_DIAMOND_POINTS });
  const pickLimit = config.ORDER_PICK_LIMIT;
  const returnShippingFen = Math.round(config.RETURN_SHIPPING_FEE_YUAN * 100);
  const faqVars = {
    days: config.RETURN_WINDOW_DAYS,
    fee: formatYuan(returnShippingFen),
    gold: config.LOYALTY_GOLD_POINTS,
    diamond: config.LOYALTY_DIAMOND_POINTS,
    estimate: config.DELIVERY_ESTIMATE_DAYS,
  };
  return {
    dialogs: [
      new HumanDialog(base, tickets),
      new OrderStatusDialog(base, { orders, pickLimit, deliveryEstimateDays: config.DELIVERY_ESTIMATE_DAYS }),
      new CancelOrderDialog(base, orders, pickLimit),
      new ChangeAddressDialog(base, orders, pickLimit),
      new ReturnDialog(base, { orders, tickets, pickLimit, windowDays: config.RETURN_WINDOW_DAYS, returnShippingFen }),
      new RepairDialog(base, { orders, tickets, pickLimit }),
      new ComplaintDialog(base, tickets),
      new FaqDialog(base, { vars: faqVars }),
      new LoyaltyDialog(base, customers, loyalty),
      new MyDataDialog(base, customers, tickets),
    ],
    routes: [...DIALOG_ROUTES, ...faqRoutes(i18n)],
  };
}

/**
 * The first-line dialogs (issue 5): order status, cancel / change address, returns and exchanges,
 * repair, complaint, FAQ, loyalty, my data, and "talk to a person". Needs the tickets module wired
 * before it (ctx.services.tickets).
 */
export function dialogsModule(ctx: ModuleContext): FeatureModule {
  const tickets = ctx.services.tickets;
  if (!tickets) throw new Error('The dialogs module needs the tickets module wired before it in MODULES (ctx.services.tickets is not set)');
  const { dialogs, routes } = createFirstLineDialogs({ config: ctx.config, db: ctx.store.db, i18n: ctx.i18n, customers: ctx.customers, tickets });
  return { name: 'dialogs', dialogs, routes };
}
