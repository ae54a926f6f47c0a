import cron from 'node-cron';
import { z } from 'zod';
import { ConfigError } from '../../config/schema';
import { MIN_AUDIT_RETENTION_DAYS } from '../../crm/auditArchive';
import { DEVELOPMENT_KEY_RING, FieldCipher, parseKeyRing } from '../../store/fieldCrypto';

/**
 * Configuration of personal data, merged into the one config schema: the key ring, the retention
 * periods and their nightly job, the audit log's retention, the customers' data requests.
 */
export const privacyConfigSchema = z.object({
  /** Days the audit log keeps a row before the nightly archive moves it to AuditLogArchive; never less than 365. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(MIN_AUDIT_RETENTION_DAYS).max(36_500).default(MIN_AUDIT_RETENTION_DAYS),
  /** Hours a customer's one-time download link for their data export stays valid. */
  PRIVACY_EXPORT_LINK_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /** Data keys, `k1:<base64 32 bytes>,k2:<...>`: the first seals new values, all of them open old ones. Unset: the development keys (refused with NODE_ENV=production). */
  KEFU_DATA_KEYS: z.string().optional(),
  /** The blind indexes' HMAC key (base64, 32 bytes), separate from the data keys; required with KEFU_DATA_KEYS. Changing it needs `npm run data:encrypt -- --reindex`. */
  KEFU_INDEX_KEY: z.string().optional(),
  NODE_ENV: z.string().optional(),
  /** Transcripts (messages) of conversations quiet for longer than this are deleted, in days. */
  RETENTION_TRANSCRIPT_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
  /** Bot state (dialog state) untouched for longer than this is deleted, in days. */
  RETENTION_BOT_STATE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Closed tickets are anonymised (summary, resolution and comments removed) this long after closing, in days; at least one year (the CRM regulation keeps records of changes a year). */
  RETENTION_CLOSED_TICKET_DAYS: z.coerce.number().int().min(365).max(3650).default(1095),
  /** When the retention job runs (node-cron, shop time zone); default 03:30 every night. */
  RETENTION_CRON: z.string().refine((e) => cron.validate(e), { message: 'not a valid cron expression (e.g. 0 30 3 * * *)' }).default('0 30 3 * * *'),
});
export type PrivacyConfig = z.infer<typeof privacyConfigSchema>;

/**
 * The key ring from the configuration. Without KEFU_DATA_KEYS: the development keys, clearly marked
 * (`development: true`), and a refusal when NODE_ENV=production.
 */
export function cipherFromConfig(config: Pick<PrivacyConfig, 'KEFU_DATA_KEYS' | 'KEFU_INDEX_KEY' | 'NODE_ENV'>): FieldCipher {
  if (!config.KEFU_DATA_KEYS) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError([
        'KEFU_DATA_KEYS: required with NODE_ENV=production (personal data would be sealed with the public development key): set KEFU_DATA_KEYS=k1:$(openssl rand -base64 32) and KEFU_INDEX_KEY=$(openssl rand -base64 32)',
      ]);
    }
    return new FieldCipher(DEVELOPMENT_KEY_RING);
  }
  if (!config.KEFU_INDEX_KEY) throw new ConfigError(['KEFU_INDEX_KEY: required with KEFU_DATA_KEYS (base64, 32 bytes: `openssl rand -base64 32`)']);
  try {
    return new FieldCipher(parseKeyRing(config.KEFU_DATA_KEYS, config.KEFU_INDEX_KEY));
  } catch (err) {
    throw new ConfigError([`KEFU_DATA_KEYS / KEFU_INDEX_KEY: ${(err as Error).message}`]);
  }
}
