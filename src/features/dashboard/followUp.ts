import { FOLLOW_UP_COLUMNS, csatAverage, questionCounts, readCounts, satisfactionRate, selectCounts, type FollowUpQuestion, type Ratio } from './formulas';
import type { DashboardSql } from './sql';

export const FOLLOW_UP_QUESTIONS = Object.keys(FOLLOW_UP_COLUMNS) as FollowUpQuestion[];
/** The surveys behind the follow-up figures (and their drill-down). */
export const FOLLOW_UP_TRIGGER = `s."trigger" = 'followup_visit'`;

export interface QuestionFigures {
  question: FollowUpQuestion;
  answered: number;
  average: number | null;
  satisfactionRate: Ratio;
}

/** Per question of the follow-up visits sent in the range: answers, average and satisfaction rate (share of 4-5), in one statement. */
export async function followUpFigures(sql: DashboardSql, surveyWhere: string, params: Record<string, unknown>): Promise<QuestionFigures[]> {
  const named = (q: FollowUpQuestion) => Object.fromEntries(Object.entries(questionCounts(q)).map(([k, v]) => [`${q}_${k}`, v]));
  const counts = Object.assign({}, ...FOLLOW_UP_QUESTIONS.map(named)) as Record<string, string>;
  const [row] = await sql.rows(`SELECT ${selectCounts(counts)} FROM "Survey" s ${surveyWhere} AND ${FOLLOW_UP_TRIGGER}`, params);
  const all = readCounts(counts, row);
  return FOLLOW_UP_QUESTIONS.map((question) => {
    const c = { scored: all[`${question}_scored`], scoreSum: all[`${question}_scoreSum`], satisfied: all[`${question}_satisfied`] };
    return { question, answered: c.scored, average: csatAverage(c), satisfactionRate: satisfactionRate(c) };
  });
}
