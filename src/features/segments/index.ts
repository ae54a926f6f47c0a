import type { DialogState } from 'botbuilder-dialogs';
import { StateProperties } from '../../bot/stateProperties';
import type { ScheduledJob } from '../../jobs/scheduler';
import type { Feature, Kernel } from '../feature';
import { QuietHours } from '../surveys';
import { registerSegmentsApi } from './api';
import { recordConversions } from './careOutcomes';
import { CarePlanner } from './carePlanner';
import { CareReplies } from './careReplies';
import { CareSender } from './careSender';
import { CareTexts } from './careTexts';
import type { SegmentsConfig } from './config';
import { SegmentFigures } from './figures';
import { loadHolidays } from './holidays';
import { SegmentJob } from './job';
import { CustomerStandings } from './standing';

export { segmentsConfigSchema, type SegmentsConfig } from './config';
export { VALUE_CLASSES, STAGES, type ValueClass, type Stage } from './rules';
export { CARE_KINDS, type CareKind } from './careTexts';
export type { Standing, CustomerStandings } from './standing';
export { CHURN_TARGET, type SegmentFigures, type SegmentReport, type FiguresRange } from './figures';

/** The care messages' services: plan (idempotent per cause), send what is due, record conversions. */
export interface CareMessages {
  planner: CarePlanner;
  sender: CareSender;
  /** Plans, sends and records conversions: the CARE_CRON job. */
  run(now: Date): Promise<{ planned: Record<string, number>; sent: number; converted: number }>;
}

export interface SegmentsFeature extends Feature {
  /** The nightly (and on-demand) recomputation of every customer's RFM, value class and stage. */
  job: SegmentJob;
  /** A customer's value class and stage (the handoff queue's order, the agent's case card). */
  standings: CustomerStandings;
  care: CareMessages;
  /** The managers' figures (the dashboard's segments section). */
  figures: SegmentFigures;
}

export type SegmentsNeeds = Pick<Kernel, 'store' | 'logger' | 'staff' | 'i18n' | 'messenger' | 'events' | 'conversationState' | 'timeZone' | 'clock'> & {
  config: SegmentsConfig;
  /** The follow-up visit is a survey (SURVEYS_ON_FOLLOWUP_VISIT): no care follow-up message then (one visit, one message). */
  followUpBySurvey?: boolean;
};

/**
 * Customers by value and stage: RFM scores and value classes, lifecycle stages with their history
 * (the nightly job, once across instances), service by value (the standings), and care messages
 * (birthday, holiday, win-back with a coupon, follow-up visit) with their outcomes.
 */
export function segmentsFeature(k: SegmentsNeeds): SegmentsFeature {
  const { store, config } = k;
  const careConfig = k.followUpBySurvey ? { ...config, CARE_FOLLOWUP: false } : config;
  const db = store.db;
  const logger = k.logger.child({ feature: 'segments' });
  const job = new SegmentJob({ db, provider: store.provider, config, timeZone: k.timeZone, logger });
  const texts = new CareTexts(k.i18n);
  const quiet = new QuietHours(config.CARE_QUIET_HOURS_START, config.CARE_QUIET_HOURS_END, k.timeZone);
  const planner = new CarePlanner({ db, provider: store.provider, config: careConfig, holidays: loadHolidays(config.CARE_HOLIDAYS_FILE), quiet, timeZone: k.timeZone });
  const dialogState = k.conversationState.createProperty<DialogState>(StateProperties.dialogState);
  const sender = new CareSender({ db, messenger: k.messenger, events: k.events, texts, dialogState, config: careConfig, quiet, logger });
  const care: CareMessages = {
    planner,
    sender,
    async run(now) {
      const planned = await planner.plan(now);
      const sent = await sender.sendAllDue(now);
      const converted = await recordConversions(db, now, config.CARE_CONVERSION_DAYS);
      if (sent || converted) logger.info({ planned, sent, converted }, 'care messages');
      return { planned, sent, converted };
    },
  };
  const jobs: ScheduledJob[] = [
    { name: 'segments.nightly', schedule: config.SEGMENTS_CRON, run: (now) => job.run({ trigger: 'nightly', now }) },
    { name: 'segments.care', schedule: config.CARE_CRON, run: (now) => care.run(now) },
  ];
  return {
    name: 'segments',
    job,
    standings: new CustomerStandings(db),
    care,
    figures: new SegmentFigures(db, store.provider),
    jobs,
    middleware: [new CareReplies({ db, texts, clock: k.clock })],
    http: (server) => registerSegmentsApi(server, { db, staff: k.staff, job, clock: k.clock }),
  };
}
