import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config/schema';

const holidaysSchema = z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), key: z.string().regex(/^[a-z_]{1,40}$/) }).strict());
export type Holiday = z.infer<typeof holidaysSchema>[number];

/** The holiday greetings' calendar: CARE_HOLIDAYS_FILE, else the one shipped next to this file. Each key is a text in locales/<locale>/care.json (holiday.<key>, else holiday.default). */
export function loadHolidays(file: string): Holiday[] {
  const where = file || path.join(__dirname, 'holidays.json');
  try {
    return holidaysSchema.parse(JSON.parse(fs.readFileSync(where, 'utf8')));
  } catch (err) {
    throw new ConfigError([`CARE_HOLIDAYS_FILE: ${where} is not a holiday calendar ([{"date":"YYYY-MM-DD","key":"spring_festival"}]): ${err instanceof Error ? err.message : String(err)}`]);
  }
}


