import type { Handoff, RowFits } from '../../store/records';

/** Why a customer is handed to a person (stored as the handoff's reason). */
export const HANDOFF_REASONS = ['asked', 'not_understood', 'gave_up', 'manager', 'complaint', 'vip'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export type HandoffStatus = 'QUEUED' | 'ACTIVE' | 'ENDED' | 'CANCELLED' | 'TICKETED';
export type HandoffQueue = 'general' | 'supervisors';
/** A handoff: a customer waiting for, or talking with, a person. */
export interface HandoffRow {
  id: string;
  conversationId: string;
  customerId: string | null;
  /** general | supervisors */
  queue: string;
  /** What triggered it: asked | not_understood | gave_up | manager | complaint | vip */
  reason: string;
  /** The customer's words that asked (or the dialog that gave up). */
  reasonText: string | null;
  /** Higher first: complaint, then the customer's tier; then the longest waiting. */
  priority: number;
  /** QUEUED | ACTIVE | ENDED | CANCELLED | TICKETED */
  status: string;
  agentId: string | null;
  locale: string;
  requestedAt: Date;
  /** When the row was written (the real time, like Message.createdAt): the customer's later messages are those written after it. */
  createdAt: Date;
  acceptedAt: Date | null;
  firstReplyAt: Date | null;
  endedAt: Date | null;
  /** agent | customer | idle | transfer | ticket | left */
  endReason: string | null;
  ticketNumber: string | null;
  /** Seconds in the queue, to the agent's first reply, and of the agent's handling (for the managers' figures). */
  queueWaitSeconds: number | null;
  firstReplySeconds: number | null;
  handleSeconds: number | null;
  /** The last time the customer was told their place (rate-limits "you moved up"). */
  positionToldAt: Date | null;
  /** The place in line the customer was last told (they are told again only when it changes). */
  positionTold: number | null;
  /** The customer's last message in the live chat, on the app's clock (their idle time counts from it, or from acceptedAt). */
  customerAt: Date | null;
  /** When the customer, idle in a live chat, was warned that it will end (null: not warned since they last wrote). */
  idleWarnedAt: Date | null;
  version: number;
}

/** The store's rows are this type (a model change that breaks it fails the type check here). */
export type HandoffRowFits = RowFits<Handoff, HandoffRow>;

/** Published when a handoff ends (the in-chat survey subscribes to it). */
export const HANDOFF_ENDED = 'handoff.ended';

export interface HandoffEnded {
  handoffId: string;
  conversationId: string;
  customerId: string | null;
  agentId: string | null;
  /** agent | customer | idle | transfer */
  reason: string;
  locale: string;
  at: string;
}

/** The broadcast topic of console updates (queue changes, messages, ends), one JSON message each. */
export const CONSOLE_TOPIC = 'handoff.console';

export interface ConsoleUpdate {
  kind: 'queue' | 'message' | 'accepted' | 'ended' | 'transferred' | 'typing' | 'alert' | 'note';
  handoffId?: string;
  conversationId?: string;
  agentId?: string | null;
  /** Only for supervisors (and admins, managers), not agents. */
  toSupervisors?: boolean;
  /** kind 'alert': a ticket needs someone, or the shop never took a webhook (src/features/handoff/staffAlerts.ts). */
  alert?: { kind: 'sla_warning' | 'sla_breach' | 'customer_replied' | 'webhook_dead'; number: string; text?: string };
  /** kind 'note': an agent's internal note (staff only). */
  note?: { id: string; agentId: string; text: string; at: string };
  /** kind 'typing': who is typing in the chat (nothing of it is stored). */
  typing?: { from: 'customer' | 'agent' };
  message?: { id?: string; from: 'customer' | 'agent' | 'bot' | 'system'; senderId?: string | null; text: string; at: string };
}

/** Why the queue could not take the request now. */
export type Unavailable = 'out_of_hours' | 'no_agent' | 'waited_too_long';
