/** Staff roles (the Agent table's AgentRole); what each may do is the one table in permissions.ts. */
export const STAFF_ROLES = ['agent', 'supervisor', 'manager', 'crm_head', 'auditor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who is making a staff request (a signed-in browser, or a bearer token of the API). */
export interface StaffMember {
  id: string;
  name: string;
  role: StaffRole;
  login: string | null;
}

export interface StaffAuth {
  member: StaffMember;
  /** 'session': a browser with the cookie (CSRF-checked); 'token': an API client with a bearer token. */
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}
