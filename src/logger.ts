import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /**
   * Human-readable lines (pino-pretty) instead of JSON lines. Default: when standard output is a
   * terminal, so a person running `npm start` reads sentences while a process manager, a container
   * runtime, CI and the tests (which read stdout through a pipe) get one JSON object per line.
   */
  pretty?: boolean;
  /** Where JSON lines go instead of standard output (the tests read the logs this way). */
  destination?: pino.DestinationStream;
}

/**
 * Structured logs. Message text, names, phones, emails and addresses are never logged:
 * log ids (conversation, customer, activity) and counts only.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'kefu' },
    redact: {
      paths: ['text', '*.text', 'phone', '*.phone', 'email', '*.email', 'address', '*.address', 'name', '*.name', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  };
  if (options.destination) return pino(settings, options.destination);
  if (!(options.pretty ?? process.stdout.isTTY === true)) return pino(settings);
  // sync: a line is on the screen before the next statement runs (and before process.exit), as with JSON.
  return pino(settings, pretty({ translateTime: 'SYS:HH:MM:ss', ignore: 'service', singleLine: true, sync: true }));
}
