import type { Feature, Kernel } from '../feature';
import type { PrivacyConfig } from './config';
import { runRetention } from './retention';

export { cipherFromConfig } from './config';
export { resealAll, SEALING_MIGRATION, staleCounts } from './reseal';
export { runRetention } from './retention';

/**
 * Personal data (issue 17): the nightly retention job. Sealing at rest is the store's
 * (src/store/sealedFields.ts, with the key ring from ./config.ts); re-sealing is ./reseal.ts.
 */
export function privacyFeature(k: Pick<Kernel, 'store' | 'logger' | 'timeZone'> & { config: PrivacyConfig }): Feature {
  const logger = k.logger.child({ feature: 'privacy' });
  const policy = {
    transcriptDays: k.config.RETENTION_TRANSCRIPT_DAYS,
    botStateDays: k.config.RETENTION_BOT_STATE_DAYS,
    closedTicketDays: k.config.RETENTION_CLOSED_TICKET_DAYS,
  };
  return {
    name: 'privacy',
    jobs: [{ name: 'privacy.retention', schedule: k.config.RETENTION_CRON, run: (now) => runRetention({ store: k.store, policy, timeZone: k.timeZone, logger }, now) }],
  };
}
