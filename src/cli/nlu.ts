/**
 * Try the language understanding from a shell (for shop staff):
 *
 *   npm run --silent nlu -- --locale zh-CN < messages.txt
 *   echo "我的order到哪了" | tsx src/cli/nlu.ts --locale zh-CN
 *
 * Reads one message per line on stdin (blank lines skipped) and prints one JSON line per message:
 * {"text","locale","intent","score","entities"}. --locale is the conversation's locale (a hint; each
 * message's language is still detected). Optional: --timezone <IANA> (default $TIMEZONE or
 * Asia/Shanghai). Exit code 2 on bad arguments.
 */
import readline from 'node:readline';
import { createRecognizer } from '../nlu';
import type { Locale } from '../nlu/types';

const SUPPORTED: readonly Locale[] = ['zh-CN', 'en-US'];

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: tsx src/cli/nlu.ts --locale <${SUPPORTED.join('|')}> [--timezone <IANA zone>]\n`);
  process.exit(2);
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const prefixed = args.find((a) => a.startsWith(`${name}=`));
  return prefixed?.slice(name.length + 1);
}

function isLocale(value: string | undefined): value is Locale {
  return value !== undefined && (SUPPORTED as readonly string[]).includes(value);
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const locale = argValue(args, '--locale');
  if (!isLocale(locale)) {
    usage(`error: --locale must be one of ${SUPPORTED.join(', ')} (got ${locale === undefined ? 'nothing' : JSON.stringify(locale)})`);
  }
  const timezone = argValue(args, '--timezone') ?? process.env.TIMEZONE ?? 'Asia/Shanghai';
  if (!validTimeZone(timezone)) usage(`error: --timezone ${JSON.stringify(timezone)} is not a valid IANA time zone`);

  const recognizer = createRecognizer();
  await recognizer.init();

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const r = await recognizer.recognize(line, { locale, now: new Date(), timezone });
    process.stdout.write(
      `${JSON.stringify({ text: r.text, locale: r.locale, intent: r.intent, score: r.score, entities: r.entities })}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
