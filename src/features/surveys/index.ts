import type { DialogState } from 'botbuilder-dialogs';
import { KeywordMatcher } from '../../bot/intentRecognizer';
import { StateProperties } from '../../bot/stateProperties';
import { SUPPORTED_LOCALES } from '../../config/locales';
import type { ScheduledJob } from '../../jobs/scheduler';
import type { Feature, Kernel } from '../feature';
import { SurveyAnswering, type FollowUpDesk } from './answering';
import { SurveyAnswers } from './answers';
import type { SurveysConfig } from './config';
import { FollowUpVisits } from './followUps';
import { SurveyService } from './service';
import { SurveyTexts } from './texts';
import { surveyTriggers } from './triggers';

export type { SurveyRequest } from './service';
export { HANDOFF_ENDED } from './triggers';
export { QuietHours } from './quietHours';
export { LONG_FORM, type LongFormItem } from './longForm';
export { FollowUpVisits, followUpCause } from './followUps';
export { SURVEY_TRIGGERS, type SurveyTrigger } from './texts';

export interface SurveysFeature extends Feature {
  /** surveys.schedule({...}) offers a survey; surveys.sendDue() sends those that are due. */
  surveys: SurveyService;
  /** Follow-up visits (回访) as surveys (scheduled by the surveys.followup job when SURVEYS_ON_FOLLOWUP_VISIT). */
  followUps: FollowUpVisits;
}

export type SurveysNeeds = Pick<Kernel, 'store' | 'logger' | 'i18n' | 'messenger' | 'events' | 'conversationState' | 'timeZone' | 'clock'> & {
  config: SurveysConfig;
  tickets: FollowUpDesk;
  /** Days after delivery of the follow-up visit (CARE_FOLLOWUP_DAYS: one visit, whichever feature sends it). */
  followUpDays: number;
};

/** Satisfaction surveys in the chat: CSAT 1-5, optional NPS and comment, the rules of when to ask, the low-score follow-up. */
export function surveysFeature(k: SurveysNeeds): SurveysFeature {
  const { config, store, i18n } = k;
  const log = k.logger.child({ feature: 'surveys' });
  const texts = new SurveyTexts(i18n);
  const dialogState = k.conversationState.createProperty<DialogState>(StateProperties.dialogState);
  const surveys = new SurveyService({ db: store.db, messenger: k.messenger, texts, dialogState, config, timeZone: k.timeZone, clock: k.clock, logger: log });
  const answering = new SurveyAnswering({
    db: store.db,
    answers: new SurveyAnswers(i18n),
    texts,
    keywords: new KeywordMatcher(i18n, SUPPORTED_LOCALES),
    tickets: k.tickets,
    dialogState,
    config,
    clock: k.clock,
  });
  for (const subscription of surveyTriggers({ db: store.db, surveys, config, clock: k.clock })) k.events.subscribe(subscription);
  const followUps = new FollowUpVisits({ db: store.db, surveys, days: k.followUpDays });
  const jobs: ScheduledJob[] = [
    {
      name: 'surveys.send',
      schedule: config.SURVEYS_SEND_CRON,
      run: async () => ({ expired: await surveys.expire(), sent: await surveys.sendDue() }),
    },
  ];
  if (config.SURVEYS_ENABLED && config.SURVEYS_ON_FOLLOWUP_VISIT) {
    jobs.push({ name: 'surveys.followup', schedule: config.SURVEYS_FOLLOWUP_CRON, run: async (now) => ({ planned: await followUps.plan(now) }) });
  }
  return { name: 'surveys', surveys, followUps, middleware: [answering], jobs };
}
