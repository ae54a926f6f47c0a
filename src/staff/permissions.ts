import { AppError } from '../errors';
import type { StaffRole } from './types';

/**
 * The roles' rights, as ONE table: each permission and the roles that have it. Every staff route
 * names one permission (`staff.requireStaff('tickets.write')`, the ticket and loyalty APIs through
 * `can()`), so this table is the whole answer to "who may do what"; test/audit/roleMatrix.http.test.ts
 * hits every staff route with every role against it.
 *
 * Least privilege: the auditor reads the audit log and nothing else; the CRM head approves change
 * requests and reads reports, but takes no chats and changes no tickets; admin carries out approved
 * change requests and administers, but approves nothing (no one approves their own work: a
 * request's supervisor, CRM head and executor must be three different people, src/features/privacy).
 */
export const PERMISSIONS = {
  /** Live chats: the queue, the chats, a case card, canned replies. */
  'chats.read': ['agent', 'supervisor', 'manager', 'admin'],
  /** Taking part in chats: presence, accept, send, end, transfer. */
  'chats.handle': ['agent', 'supervisor', 'admin'],
  'chats.takeover': ['supervisor', 'admin'],
  /** Watching a colleague's live chat, read-only (supervisors and managers oversee; agents do not). */
  'chats.watch': ['supervisor', 'manager', 'admin'],
  /** The managers' dashboard, its figures, drill-down, CSV and transcripts: an agent's are their own (their surveys, tickets and chats). */
  'dashboard.read': ['agent', 'supervisor', 'manager', 'crm_head', 'admin'],
  /** Everyone's figures on the dashboard, the agent filter and its list of agents. */
  'dashboard.all': ['supervisor', 'manager', 'crm_head', 'admin'],
  'tickets.read': ['agent', 'supervisor', 'manager', 'crm_head', 'admin'],
  'tickets.write': ['agent', 'supervisor', 'admin'],
  'points.read': ['agent', 'supervisor', 'manager', 'admin'],
  'points.adjust': ['agent', 'supervisor', 'admin'],
  /** A customer's value class and lifecycle stage, and their history (src/features/segments). */
  'segments.read': ['agent', 'supervisor', 'manager', 'crm_head', 'admin'],
  /** Recomputing the segments now (the nightly job's work, on demand). */
  'segments.recompute': ['manager', 'admin'],
  /** The auditor's view and CSV export of the audit log. */
  'audit.read': ['auditor', 'crm_head', 'admin'],
  /** Change requests for customer data: open one for a customer, list them. */
  'changes.request': ['agent', 'supervisor', 'admin'],
  'changes.read': ['agent', 'supervisor', 'manager', 'crm_head', 'auditor', 'admin'],
  /** The first approval (or refusal). */
  'changes.approve.supervisor': ['supervisor'],
  /** The second approval (or refusal). */
  'changes.approve.crm_head': ['crm_head'],
  /** Carrying out an approved request (correct, anonymise, export), or refusing it. */
  'changes.execute': ['admin'],
  /** The shop's stuck webhooks (failing or given up): what each concerns and why it fails (src/features/shop). */
  'shop.webhooks.read': ['agent', 'supervisor', 'admin'],
  /** Sending a stuck webhook again now, with a reason (audit-logged). */
  'shop.webhooks.retry': ['supervisor', 'admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** Whether a role has a permission; no permission (undefined) = any signed-in staff member. */
export function can(role: StaffRole, permission: Permission | undefined): boolean {
  return permission === undefined || (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
}

/** Throws the 403 of a role without the permission (the one wording for the staff pages and every staff API). */
export function requirePermission(role: StaffRole, permission: Permission | undefined): void {
  if (!can(role, permission)) throw new AppError('forbidden', `this needs the permission ${permission} (the role ${role} does not have it)`);
}
