import { z } from 'zod';
import { MIN_AUDIT_RETENTION_DAYS } from '../../crm/auditArchive';

/** The audit log's retention and the customers' data requests: merged into the one config schema. */
export const privacyConfigSchema = z.object({
  /** Days the audit log keeps a row before the nightly archive moves it to AuditLogArchive; never less than 365. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(MIN_AUDIT_RETENTION_DAYS).max(36_500).default(MIN_AUDIT_RETENTION_DAYS),
  /** Hours a customer's one-time download link for their data export stays valid. */
  PRIVACY_EXPORT_LINK_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
});

export type PrivacyConfig = z.infer<typeof privacyConfigSchema>;
