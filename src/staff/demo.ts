import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db';
import { sha256, type StaffAccounts } from './accounts';
import type { StaffRole } from './types';

/** The demo shop's staff, one per role, so a newcomer can open the agent console and the dashboard at once. */
export const DEMO_STAFF: readonly { login: string; name: string; role: StaffRole }[] = [
  { login: 'agent', name: '林小美', role: 'agent' },
  { login: 'supervisor', name: '王主管', role: 'supervisor' },
  { login: 'manager', name: '陈经理', role: 'manager' },
  { login: 'crm-head', name: '赵总监', role: 'crm_head' },
  { login: 'auditor', name: '孙审计', role: 'auditor' },
  { login: 'admin', name: '周管理员', role: 'admin' },
];

/** Printed in the start banner; demo data only (DB_SEED_ON_START on a store without staff). */
export const DEMO_STAFF_PASSWORD = 'kefu-demo-2026';

/**
 * Creates the demo staff accounts in a store that has no staff at all (a fresh demo store); a shop's
 * own accounts are never touched, and a store with any agent gets none. Returns how many it created.
 */
export async function seedDemoStaff(db: Db, accounts: StaffAccounts): Promise<number> {
  if ((await db.agent.count()) > 0) return 0;
  for (const member of DEMO_STAFF) {
    const agent = await db.agent.create({ data: { name: member.name, role: member.role, tokenHash: sha256(randomUUID()) } });
    await accounts.setPassword(agent.id, member.login, DEMO_STAFF_PASSWORD, 'demo-seed');
  }
  return DEMO_STAFF.length;
}

/** The demo logins still present (for the banner). */
export async function demoStaffPresent(db: Db): Promise<string[]> {
  const rows = await db.agent.findMany({ where: { login: { in: DEMO_STAFF.map((m) => m.login) }, active: true }, select: { login: true } });
  return DEMO_STAFF.map((m) => m.login).filter((login) => rows.some((r) => r.login === login));
}
