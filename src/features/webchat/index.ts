import path from 'node:path';
import type { BaseConfig } from '../../config/schema';
import type { ScheduledJob } from '../../jobs/scheduler';
import type { Logger } from '../../logger';
import type { Feature, Kernel } from '../feature';
import type { WebchatConfig } from './config';
import { registerDirectLineRoutes } from './directline/http';
import { DirectLineService } from './directline/service';
import { ActivityStreams } from './directline/stream';
import { TokenService } from './directline/tokens';
import { UploadStore } from './directline/uploads';
import { DEMO_CUSTOMERS_SHOWN, registerWebChatRoutes } from './routes';
import { ChannelLog } from './directline/log';
import { keptSecret } from '../../store/settings';
import type { BannerItem } from '../../startup/banner';
import { demoCustomerHighlights } from '../../store/seed';

/** Daily at 03:30 (shop time): deletes the photos older than the retention. */
export function uploadRetentionJob(uploads: UploadStore, days: number, log: Logger): ScheduledJob {
  return {
    name: 'webchat.upload-retention',
    schedule: '30 3 * * *',
    async run(now) {
      const deleted = await uploads.deleteOlderThan(new Date(now.getTime() - days * 86_400_000));
      if (deleted) log.info({ deleted, days }, 'web chat: old uploaded photos deleted');
      return deleted;
    },
  };
}

function isTestRun(): boolean {
  return process.env.NODE_ENV === 'test' || process.env.JEST_WORKER_ID !== undefined;
}

/**
 * Web chat: a self-hosted Direct Line 3.0 channel (/v3/directline/...), Microsoft Web Chat served from
 * node_modules, the embed script for a shop's pages, and the demo shop page at / with a demo sign-in.
 */
export async function webchatFeature(
  k: Pick<Kernel, 'logger' | 'i18n' | 'directory' | 'store' | 'broadcast' | 'clock'> & { config: WebchatConfig & Pick<BaseConfig, 'DEFAULT_LOCALE' | 'MicrosoftAppId' | 'MAX_ATTACHMENTS'> & { RETURN_WINDOW_DAYS: number } },
): Promise<Feature> {
  const { config, i18n } = k;
  const log = k.logger.child({ feature: 'webchat' });

  // Unset secrets are generated once and kept in the store: chat tokens survive restarts and work on every instance.
  const siteSecret = config.DIRECTLINE_TOKEN_SECRET ?? (await keptSecret(k.store.db, 'webchat.directlineTokenSecret'));
  const identitySecret = config.SHOP_IDENTITY_SECRET ?? (await keptSecret(k.store.db, 'webchat.shopIdentitySecret'));
  if (!isTestRun()) {
    if (!config.SHOP_IDENTITY_SECRET) log.warn('SHOP_IDENTITY_SECRET is not set: only the demo sign-in can sign customers in (set it, shared with the shop, for a real shop)');
    if (config.MicrosoftAppId) log.warn('MicrosoftAppId is set: the self-hosted Direct Line channel posts to /api/messages without credentials, so the bot will refuse its activities');
  }
  // The demo "shop server" signs identities only while no real shop secret is configured.
  const demoSignIn = config.WEBCHAT_DEMO_PAGE && !config.SHOP_IDENTITY_SECRET;

  const tokens = new TokenService({
    siteSecret,
    identitySecret,
    ttlSeconds: config.DIRECTLINE_TOKEN_TTL_SECONDS,
    identityMaxTtlSeconds: config.SHOP_IDENTITY_MAX_TTL_SECONDS,
  });
  const uploads = new UploadStore(path.resolve(config.WEBCHAT_UPLOAD_DIR), config.WEBCHAT_UPLOAD_MAX_BYTES);
  await uploads.init();

  const connectorKey = tokens.derive('directline-connector');
  let resolveUrl!: (url: string) => void;
  const botUrl = new Promise<string>((resolve) => (resolveUrl = resolve));
  // The bot's replies (now, or proactive ones later from any instance) go to the connector at the
  // public URL when there is one (a load balancer: any instance takes them into the shared log),
  // else to this instance.
  const connectorBase = async () => config.WEBCHAT_PUBLIC_URL?.replace(/\/+$/, '') ?? (await botUrl);
  const channelLog = new ChannelLog(k.store.db, k.store.provider, k.broadcast, config.DIRECTLINE_MAX_ACTIVITIES, k.store.cipher);

  const service = new DirectLineService({
    tokens,
    directory: k.directory,
    log: channelLog,
    logger: log,
    botAccount: { id: config.MicrosoftAppId || 'kefu-bot', name: 'Kefu' },
    serviceUrl: async () => `${await connectorBase()}/directline-connector/${connectorKey}`,
    clock: k.clock,
    bot: async (activity) => {
      // In-process delivery through the same adapter and middleware as every channel (transcript, state...).
      const res = await fetch(`${await botUrl}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity),
      });
      await res.arrayBuffer();
      return res.status;
    },
  });
  const allowedOrigins = config.WEBCHAT_ALLOWED_ORIGINS.trim() === '*' ? '*' : config.WEBCHAT_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  let streams: ActivityStreams | undefined;

  return {
    name: 'webchat',
    http(server) {
      registerDirectLineRoutes(server, { service, tokens, uploads, maxFiles: config.MAX_ATTACHMENTS, logger: log, publicUrl: config.WEBCHAT_PUBLIC_URL, allowedOrigins, connectorKey });
      registerWebChatRoutes(server, { config, i18n, tokens, service, allowedOrigins, demoSignIn, db: k.store.db, logger: log, clock: k.clock, returnWindowDays: config.RETURN_WINDOW_DAYS });
      streams = new ActivityStreams(server, channelLog, tokens, k.broadcast, log);
    },
    jobs: config.WEBCHAT_UPLOAD_RETENTION_DAYS > 0 ? [uploadRetentionJob(uploads, config.WEBCHAT_UPLOAD_RETENTION_DAYS, log)] : [],
    start({ url }) {
      resolveUrl(url);
    },
    stop() {
      streams?.stop();
    },
    async banner() {
      const items: BannerItem[] = [];
      if (config.WEBCHAT_DEMO_PAGE) items.push({ kind: 'link', link: 'shopPage', path: '/' });
      items.push({ kind: 'link', link: 'embedScript', path: '/webchat/embed.js' });
      if (demoSignIn) items.push({ kind: 'demoCustomers', customers: await demoCustomerHighlights(k.store.db, DEMO_CUSTOMERS_SHOWN) });
      return items;
    },
  };
}
