import crypto from 'node:crypto';
import { writeAudit } from '../crm/audit';
import { AppError } from '../errors';
import type { Db } from '../store/db';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords';
import type { StaffAuth, StaffMember, StaffRole } from './types';

export function sha256(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface AccountPolicy {
  sessionHours: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
}

export interface SignedIn {
  member: StaffMember;
  /** The cookie's value (shown to the browser once; only its sha256 is stored). */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Sessions are extended at most this often (one write per minute per session, not per request). */
const TOUCH_EVERY_MS = 60_000;

const LOGIN_PATTERN = /^[\p{L}\p{N}._@-]{2,64}$/u;

/**
 * Staff accounts: the agents of the ticket API with a login and a password. Sign-in checks the
 * argon2id hash, counts failures and locks the account for a while after too many in a row; a
 * successful sign-in opens a session stored in the CRM store (every instance sees it, a restart keeps it).
 */
export class StaffAccounts {
  constructor(
    private readonly db: Db,
    private readonly policy: AccountPolicy,
    private readonly clock: () => Date,
  ) {}

  /** Gives an agent a login and a password (creating or replacing them); audit-logged. */
  async setPassword(agentId: string, login: string, password: string, actorId = 'cli'): Promise<void> {
    const normalized = login.trim().toLowerCase();
    if (!LOGIN_PATTERN.test(normalized)) throw new AppError('invalid_request', 'the login must be 2-64 letters, digits or . _ @ -');
    const problem = passwordProblem(password);
    if (problem) throw new AppError('invalid_request', problem);
    const taken = await this.db.agent.findUnique({ where: { login: normalized }, select: { id: true } });
    if (taken && taken.id !== agentId) throw new AppError('conflict', `the login ${normalized} belongs to another account`);
    const passwordHash = await hashPassword(password);
    await this.db.$transaction(async (tx) => {
      await tx.agent.update({ where: { id: agentId }, data: { login: normalized, passwordHash, failedSignIns: 0, lockedUntil: null } });
      // A new password ends every session opened with the old one.
      await tx.staffSession.deleteMany({ where: { agentId } });
      await writeAudit(tx, { actor: { type: 'system', id: actorId }, action: 'staff.password_set', entity: 'Agent', entityId: agentId, after: { login: normalized } });
    });
  }

  /**
   * Checks a login and password. Unknown login and wrong password are the same 401 (and take as
   * long); a locked account is a 429 saying until when, without checking the password.
   */
  async signIn(login: string, password: string): Promise<SignedIn> {
    const now = this.clock();
    const agent = await this.db.agent.findUnique({ where: { login: login.trim().toLowerCase() } });
    if (!agent?.passwordHash || !agent.active) {
      await verifyPassword(await decoyHash(), password);
      throw new AppError('unauthorized', 'wrong login or password');
    }
    if (agent.lockedUntil && agent.lockedUntil > now) {
      throw new AppError('rate_limited', `too many failed sign-ins: the account is locked until ${agent.lockedUntil.toISOString()}`);
    }
    if (!(await verifyPassword(agent.passwordHash, password))) {
      const failures = agent.failedSignIns + 1;
      const locks = failures >= this.policy.lockoutAttempts;
      const lockedUntil = locks ? new Date(now.getTime() + this.policy.lockoutMinutes * 60_000) : null;
      await this.db.$transaction(async (tx) => {
        await tx.agent.update({ where: { id: agent.id }, data: { failedSignIns: locks ? 0 : failures, lockedUntil } });
        await writeAudit(tx, {
          actor: { type: 'agent', id: agent.id },
          action: locks ? 'staff.locked' : 'staff.signin_failed',
          entity: 'Agent',
          entityId: agent.id,
          after: locks ? { lockedUntil } : { failedSignIns: failures },
        });
      });
      if (locks) throw new AppError('rate_limited', `too many failed sign-ins: the account is locked until ${lockedUntil!.toISOString()}`);
      throw new AppError('unauthorized', 'wrong login or password');
    }
    const token = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.policy.sessionHours * 3_600_000);
    await this.db.$transaction(async (tx) => {
      await tx.agent.update({ where: { id: agent.id }, data: { failedSignIns: 0, lockedUntil: null } });
      await tx.staffSession.create({ data: { tokenHash: sha256(token), csrfToken, agentId: agent.id, createdAt: now, lastSeenAt: now, expiresAt } });
      await tx.staffSession.deleteMany({ where: { agentId: agent.id, expiresAt: { lt: now } } });
      await writeAudit(tx, { actor: { type: 'agent', id: agent.id }, action: 'staff.signin', entity: 'Agent', entityId: agent.id });
    });
    return { member: memberOf(agent), token, csrfToken, expiresAt };
  }

  /** The session of a cookie's token, if it is valid and its account active; extends it on use. */
  async session(token: string): Promise<StaffAuth | undefined> {
    if (!token) return undefined;
    const now = this.clock();
    const session = await this.db.staffSession.findUnique({ where: { tokenHash: sha256(token) }, include: { agent: true } });
    if (!session || session.expiresAt <= now || !session.agent.active) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      const expiresAt = new Date(now.getTime() + this.policy.sessionHours * 3_600_000);
      await this.db.staffSession.updateMany({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
    }
    return { member: memberOf(session.agent), via: 'session', sessionId: session.id, csrfToken: session.csrfToken };
  }

  /** The active agent of an API bearer token. */
  async bearer(token: string): Promise<StaffAuth | undefined> {
    if (!token) return undefined;
    const agent = await this.db.agent.findUnique({ where: { tokenHash: sha256(token) } });
    if (!agent?.active) return undefined;
    return { member: memberOf(agent), via: 'token' };
  }

  async signOut(sessionId: string, agentId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.staffSession.deleteMany({ where: { id: sessionId } });
      await writeAudit(tx, { actor: { type: 'agent', id: agentId }, action: 'staff.signout', entity: 'Agent', entityId: agentId });
    });
  }

  /** A staff member by id (for other features: names of agents in a chat, transfer targets). */
  async member(agentId: string): Promise<StaffMember | undefined> {
    const agent = await this.db.agent.findUnique({ where: { id: agentId } });
    return agent?.active ? memberOf(agent) : undefined;
  }
}

function memberOf(agent: { id: string; name: string; role: string; login: string | null }): StaffMember {
  return { id: agent.id, name: agent.name, role: agent.role as StaffRole, login: agent.login };
}
