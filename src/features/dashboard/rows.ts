import type { Locale } from '../../config/locales';
import { writeAudit } from '../../crm/audit';
import { AppError } from '../../errors';
import type { I18n } from '../../i18n/i18n';
import type { Db } from '../../store/db';
import { FOLLOW_UP_COLUMNS, TICKET_CONDITIONS, type FollowUpQuestion } from './formulas';
import { FOLLOW_UP_QUESTIONS, FOLLOW_UP_TRIGGER } from './followUp';
import { dashboardTexts, refusal, shiftDay, type ReportQuery } from './query';
import type { DashboardReports, ReportOptions, Viewer } from './report';
import { DashboardSql, filterParams, surveyFilters, ticketFilters, where } from './sql';

/** The numbers a manager can open: the surveys (all, one score, the low ones, the follow-up visits' answers to a question) and the tickets (all, unresolved, a deadline missed). */
export const FIGURES = ['surveys', 'lowScores', 'tickets', 'unresolved', 'responseMissed', 'resolutionMissed', 'followUp'] as const;
export type Figure = (typeof FIGURES)[number];
export const ROWS_PER_PAGE = 50;

export interface RowsQuery extends ReportQuery {
  figure: Figure;
  /** One score 1-5 (surveys). */
  score?: number;
  /** One question of the follow-up visits (followUp): the visits that answered it. */
  question?: FollowUpQuestion;
  page: number;
}

export interface SurveyLine {
  surveyId: string;
  sentAt: string;
  status: string;
  score: number | null;
  /** The follow-up visit's longer form. */
  serviceScore: number | null;
  productScore: number | null;
  priceScore: number | null;
  nps: number | null;
  comment: string | null;
  trigger: string;
  channel: string;
  agent: string | null;
  ticketCategory: string | null;
  followUpTicket: string | null;
  conversationId: string;
}

export interface TicketLine {
  number: string;
  category: string;
  status: string;
  owner: string | null;
  createdAt: string;
  firstResponseDueAt: string | null;
  firstRespondedAt: string | null;
  resolutionDueAt: string | null;
  resolvedAt: string | null;
  conversationId: string | null;
}

export interface Rows {
  figure: Figure;
  kind: 'surveys' | 'tickets';
  page: number;
  perPage: number;
  /** Whether a next page exists. */
  more: boolean;
  rows: (SurveyLine | TicketLine)[];
}

export interface TranscriptView {
  conversationId: string;
  channel: string;
  messages: { at: Date; sender: string; text: string }[];
}

const iso = (v: unknown): string | null => DashboardSql.date(v)?.toISOString() ?? null;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * The drill-down: the rows behind each number of the report (same range, filters and scope), a page
 * at a time, and a conversation's transcript (an agent only sees their own; every opening is in the
 * audit log: it shows the customer's words).
 */
export class DashboardRows {
  constructor(private readonly deps: { db: Db; reports: DashboardReports; lowScore: number; i18n?: I18n }) {}

  /** The drill-down's own parameters on top of the report's (400 with the reason otherwise). */
  parse(input: Record<string, unknown>, locale: Locale = 'en-US'): RowsQuery {
    const { figure, score, question, page, ...rest } = input;
    const i18n = dashboardTexts(this.deps.i18n);
    const query = this.deps.reports.parse(rest, locale);
    if (!FIGURES.includes(figure as Figure)) throw refusal(i18n, locale, 'figure', { known: FIGURES.join(', ') });
    if (score !== undefined && score !== '' && !/^[1-5]$/.test(String(score))) throw refusal(i18n, locale, 'unknownValue', { name: 'score', value: String(score).slice(0, 20), known: '1, 2, 3, 4, 5' });
    if (question !== undefined && question !== '' && !FOLLOW_UP_QUESTIONS.includes(question as FollowUpQuestion)) {
      throw refusal(i18n, locale, 'unknownValue', { name: 'question', value: String(question).slice(0, 20), known: FOLLOW_UP_QUESTIONS.join(', ') });
    }
    if (page !== undefined && page !== '' && !/^[1-9]\d{0,5}$/.test(String(page))) throw refusal(i18n, locale, 'page');
    return { ...query, figure: figure as Figure, ...(score ? { score: Number(score) } : {}), ...(question ? { question: question as FollowUpQuestion } : {}), page: page ? Number(page) : 1 };
  }

  async rows(asked: RowsQuery, options: ReportOptions = {}): Promise<Rows> {
    const { reports } = this.deps;
    const query = { ...asked, ...(await reports.scope(asked, options)) };
    const start = reports.startOf(query.from);
    const end = reports.startOf(shiftDay(query.to, 1));
    const params: Record<string, unknown> = { ...filterParams(query), start, end, now: reports.now() };
    const page = `LIMIT ${ROWS_PER_PAGE + 1} OFFSET ${(query.page - 1) * ROWS_PER_PAGE}`;
    const surveys = query.figure === 'surveys' || query.figure === 'lowScores' || query.figure === 'followUp';
    let rows: Record<string, unknown>[];
    if (surveys) {
      const score = query.figure === 'lowScores' ? [`s."score" <= :lowScore`] : query.score ? [`s."score" = :score`] : [];
      if (query.figure === 'followUp') score.push(FOLLOW_UP_TRIGGER, ...(query.question ? [`s.${FOLLOW_UP_COLUMNS[query.question]} IS NOT NULL`] : []));
      rows = await reports.sql.rows(
        `SELECT s."id", s."sentAt", s."status", s."score", s."serviceScore", s."productScore", s."priceScore", s."nps", s."comment", s."trigger", s."channelId", s."ticketCategory", s."conversationId", a."name" AS "agentName", t."number" AS "ticketNumber"
         FROM "Survey" s LEFT JOIN "Agent" a ON a."id" = s."agentId" LEFT JOIN "Ticket" t ON t."id" = s."followUpTicketId"
         ${where([`s."sentAt" >= :start`, `s."sentAt" < :end`, ...surveyFilters(query), ...score])} ORDER BY s."sentAt" DESC, s."id" ${page}`,
        { ...params, lowScore: this.deps.lowScore, score: query.score },
      );
    } else {
      rows = await reports.sql.rows(
        `SELECT t."number", CAST(t."category" AS TEXT) AS "category", CAST(t."status" AS TEXT) AS "status", t."createdAt", t."firstResponseDueAt", t."firstRespondedAt", t."resolutionDueAt", t."resolvedAt", t."conversationId", a."name" AS "ownerName"
         FROM "Ticket" t LEFT JOIN "Agent" a ON a."id" = t."ownerId"
         ${where([`t."createdAt" >= :start`, `t."createdAt" < :end`, ...ticketFilters(query), `(${TICKET_CONDITIONS[query.figure as keyof typeof TICKET_CONDITIONS]})`])} ORDER BY t."createdAt" DESC, t."id" ${page}`,
        params,
      );
    }
    const more = rows.length > ROWS_PER_PAGE;
    const lines = rows.slice(0, ROWS_PER_PAGE).map((r) => (surveys ? surveyLine(r) : ticketLine(r)));
    return { figure: query.figure, kind: surveys ? 'surveys' : 'tickets', page: query.page, perPage: ROWS_PER_PAGE, more, rows: lines };
  }

  /** A conversation's messages, for a viewer who may see it (404 unknown, 403 not theirs); the opening is audit-logged. */
  async transcript(conversationId: string, viewer: Viewer, locale: Locale): Promise<TranscriptView> {
    const { db } = this.deps;
    const conversation = await db.conversation.findUnique({ where: { id: conversationId }, select: { id: true, channelId: true } });
    if (!conversation) throw new AppError('not_found', `No conversation ${conversationId}`);
    if (!viewer.seesAll && !(await this.isTheirs(conversationId, viewer.id))) {
      throw new AppError('forbidden', dashboardTexts(this.deps.i18n).t(locale, 'dashboard.errors.notYours'));
    }
    const messages = await db.message.findMany({ where: { conversationId }, orderBy: [{ timestamp: 'asc' }, { createdAt: 'asc' }], select: { timestamp: true, senderType: true, text: true }, take: 2000 });
    await db.$transaction((tx) =>
      writeAudit(tx, { actor: { type: 'agent', id: viewer.id }, action: 'conversation.transcript_read', entity: 'Conversation', entityId: conversationId, after: { messages: messages.length }, reason: 'dashboard drill-down' }),
    );
    return { conversationId, channel: conversation.channelId, messages: messages.map((m) => ({ at: m.timestamp, sender: m.senderType, text: m.text ?? '' })) };
  }

  /** An agent's own conversation: a chat they took, a ticket they own or work on, a survey about them. */
  private async isTheirs(conversationId: string, agentId: string): Promise<boolean> {
    const { db } = this.deps;
    const [handoff, ticket, survey] = await Promise.all([
      db.handoff.findFirst({ where: { conversationId, agentId }, select: { id: true } }),
      db.ticket.findFirst({ where: { conversationId, OR: [{ ownerId: agentId }, { assigneeId: agentId }] }, select: { id: true } }),
      db.survey.findFirst({ where: { conversationId, agentId }, select: { id: true } }),
    ]);
    return Boolean(handoff ?? ticket ?? survey);
  }
}

function surveyLine(r: Record<string, unknown>): SurveyLine {
  return {
    surveyId: String(r.id),
    sentAt: iso(r.sentAt)!,
    status: String(r.status),
    score: num(r.score),
    serviceScore: num(r.serviceScore),
    productScore: num(r.productScore),
    priceScore: num(r.priceScore),
    nps: num(r.nps),
    comment: text(r.comment),
    trigger: String(r.trigger),
    channel: String(r.channelId),
    agent: text(r.agentName),
    ticketCategory: text(r.ticketCategory),
    followUpTicket: text(r.ticketNumber),
    conversationId: String(r.conversationId),
  };
}

function ticketLine(r: Record<string, unknown>): TicketLine {
  return {
    number: String(r.number),
    category: String(r.category),
    status: String(r.status),
    owner: text(r.ownerName),
    createdAt: iso(r.createdAt)!,
    firstResponseDueAt: iso(r.firstResponseDueAt),
    firstRespondedAt: iso(r.firstRespondedAt),
    resolutionDueAt: iso(r.resolutionDueAt),
    resolvedAt: iso(r.resolvedAt),
    conversationId: text(r.conversationId),
  };
}
