import type { TurnContext } from 'botbuilder';
import type { Locale } from '../config/locales';
import type { ConversationOwner } from '../crm/lifecycle';
import type { Sender } from '../crm/transcript';
import type { Logger } from '../logger';
import type { RecognizerResult } from '../nlu/types';

/** What the middleware resolves once per turn; dialogs read it through turnInfo(). */
export interface TurnInfo {
  locale: Locale;
  conversationId: string;
  customerId: string;
  /** The customer is signed in with the shop now (see ConversationRecord.verified and isVerifiedAt). */
  verified: boolean;
  /** The customer was signed in, and that sign-in expired, was signed out or revoked: they are asked to sign in again. */
  signInEnded?: boolean;
  /** The customer's saved language preference when the turn started (null: never chosen). */
  savedLocale: string | null;
  owner: ConversationOwner;
  /** Whether a survey waits for an answer in this conversation, as the turn's start read it (undefined: not read). */
  surveyOpen?: boolean;
  /** Whether a ticket of this conversation waits for the customer's answer, as the turn's start read it (undefined: not read). */
  ticketWaiting?: boolean;
  /** Whether a care message was sent in this conversation, as the turn's start read it (undefined: not read). */
  careSent?: boolean;
  logger: Logger;
}



const TURN_INFO = Symbol('kefu.turnInfo');

export function setTurnInfo(context: TurnContext, info: TurnInfo): void {
  context.turnState.set(TURN_INFO, info);
}

export function turnInfo(context: TurnContext): TurnInfo {
  const info = context.turnState.get(TURN_INFO) as TurnInfo | undefined;
  if (!info) throw new Error('turnInfo: KefuTurnMiddleware did not run for this turn');
  return info;
}

/** Changes the turn's locale (e.g. after the customer chose a language) for the rest of the turn. */
export function setTurnLocale(context: TurnContext, locale: Locale): void {
  turnInfo(context).locale = locale;
}

/** turnInfo for code that may run before the middleware did (the adapter's error handler). */
export function turnInfoOrUndefined(context: TurnContext): TurnInfo | undefined {
  return context.turnState.get(TURN_INFO) as TurnInfo | undefined;
}

const TURN_RECOGNITION = Symbol('kefu.turnRecognition');

/** Stores what the recognizer made of this turn's message (recognized once per turn, by TurnUnderstanding). */
export function setTurnRecognition(context: TurnContext, result: RecognizerResult): void {
  context.turnState.set(TURN_RECOGNITION, result);
}

/** This turn's recognition (intent, entities, detected language), or undefined for non-message turns. */
export function turnRecognition(context: TurnContext): RecognizerResult | undefined {
  return context.turnState.get(TURN_RECOGNITION) as RecognizerResult | undefined;
}

const TURN_SENDER = Symbol('kefu.turnSender');

/** Marks what this turn sends as sent by someone other than the bot (a notice: system; a relayed reply: an agent). */
export function setTurnSender(context: TurnContext, sender: Sender): void {
  context.turnState.set(TURN_SENDER, sender);
}

export function turnSender(context: TurnContext): Sender {
  return (context.turnState.get(TURN_SENDER) as Sender | undefined) ?? { type: 'bot', id: null };
}
