import type { DialogState } from 'botbuilder-dialogs';
import { KeywordMatcher } from '../../bot/intentRecognizer';
import { StateProperties } from '../../bot/stateProperties';
import { SUPPORTED_LOCALES } from '../../config/locales';
import type { ScheduledJob } from '../../jobs/scheduler';
import type { Feature, Kernel } from '../feature';
import { SurveyAnswering, type FollowUpDesk } from './answering';
import { SurveyAnswers } from './answers';
import type { SurveysConfig } from './config';
import { SurveyService } from './service';
import { SurveyTexts } from './texts';
import { surveyTriggers } from './triggers';

export type { SurveyRequest } from './service';
export { HANDOFF_ENDED } from './triggers';
export { QuietHours } from './quietHours';
export { SURVEY_TRIGGERS, type SurveyTrigger } from './texts';

export interface SurveysFeature extends Feature {
  /** surveys.schedule({...}) offers a survey; surveys.sendDue() sends those that are due. */
  surveys: SurveyService;
}

export type SurveysNeeds = Pick<Kernel, 'store' | 'logger' | 'i18n' | 'messenger' | 'events' | 'conversationState' | 'timeZone' | 'clock'> & {
  config: SurveysConfig;
  tickets: FollowUpDesk;
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
  const jobs: ScheduledJob[] = [
    {
      name: 'surveys.send',
      schedule: config.SURVEYS_SEND_CRON,
      run: async () => ({ expired: await surveys.expire(), sent: await surveys.sendDue() }),
    },
  ];
  return { name: 'surveys', surveys, middleware: [answering], jobs };
}
