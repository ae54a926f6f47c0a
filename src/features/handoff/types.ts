import type { Handoff } from '../../store/records';

/** Why a customer is handed to a person (stored as the handoff's reason). */
export const HANDOFF_REASONS = ['asked', 'not_understood', 'gave_up', 'manager', 'complaint', 'vip'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export type HandoffStatus = 'QUEUED' | 'ACTIVE' | 'ENDED' | 'CANCELLED' | 'TICKETED';
export type HandoffQueue = 'general' | 'supervisors';
export type HandoffRow = Handoff;

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
