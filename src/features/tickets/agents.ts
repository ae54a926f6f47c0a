import crypto from 'node:crypto';
import type { Agent, AgentRole } from './types';
import { writeAudit, type Actor } from '../../crm/audit';
import type { Db } from '../../store/db';

/** sha256 (hex) of a bearer token: what is stored and looked up. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token: 32 bytes, base64url, prefixed so it is recognisable in logs and leaks. */
export function newToken(): string {
  return `kefu_${crypto.randomBytes(32).toString('base64url')}`;
}

export type AgentIdentity = Pick<Agent, 'id' | 'name' | 'role'>;

/** Agents of the ticket API: created with a token shown once, authenticated by its hash. */
export class AgentService {
  constructor(private readonly db: Db) {}

  async create(input: { name: string; role: AgentRole }, actor: Actor = { type: 'system', id: 'cli' }): Promise<{ agent: Agent; token: string }> {
    const token = newToken();
    const agent = await this.db.$transaction(async (tx) => {
      const created = await tx.agent.create({ data: { name: input.name, role: input.role, tokenHash: hashToken(token) } });
      await writeAudit(tx, {
        actor,
        action: 'agent.create',
        entity: 'Agent',
        entityId: created.id,
        after: { name: created.name, role: created.role, active: created.active },
      });
      return created;
    });
    return { agent, token };
  }

  /** How many agents can sign in. */
  async countActive(): Promise<number> {
    return this.db.agent.count({ where: { active: true } });
  }

  /** The active agent holding this token, or undefined. */
  async authenticate(token: string): Promise<AgentIdentity | undefined> {
    if (!token) return undefined;
    const agent = await this.db.agent.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true, name: true, role: true, active: true } });
    if (!agent?.active) return undefined;
    return { id: agent.id, name: agent.name, role: agent.role };
  }

  async isActive(agentId: string): Promise<boolean> {
    const agent = await this.db.agent.findUnique({ where: { id: agentId }, select: { active: true } });
    return agent?.active === true;
  }
}
