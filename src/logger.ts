import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Message text, names, phones, emails and addresses are never logged:
 * log ids (conversation, customer, activity) and counts only.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kefu' },
    redact: {
      paths: ['text', '*.text', 'phone', '*.phone', 'email', '*.email', 'address', '*.address', 'name', '*.name', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  });
}
