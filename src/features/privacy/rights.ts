import { writeAudit, type Actor } from '../../crm/audit';
import type { Db } from '../../store/db';
import type { ChangeRequestService } from './changeRequests';

/**
 * What the customer's "my data" dialog may do about their rights: open a change request (delete,
 * export), and withdraw their consent to surveys (SurveyOptOut, which the surveys feature honours)
 * and to care messages (Customer.marketingConsent), audit-logged with the stated reason.
 */
export interface CustomerRights {
  open: ChangeRequestService['open'];
  withdrawConsent(customerId: string, actor: Actor, reason: string): Promise<void>;
}

export function customerRights(db: Db, requests: ChangeRequestService, clock: () => Date): CustomerRights {
  return {
    open: (input) => requests.open(input),
    async withdrawConsent(customerId, actor, reason) {
      const now = clock();
      await db.$transaction(async (tx) => {
        const before = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { marketingConsent: true } });
        const optedOut = await tx.surveyOptOut.findUnique({ where: { customerId } });
        await tx.surveyOptOut.upsert({ where: { customerId }, create: { customerId, text: 'consent withdrawn in my data', createdAt: now }, update: {} });
        await tx.customer.update({ where: { id: customerId }, data: { marketingConsent: false, consentUpdatedAt: now } });
        await writeAudit(tx, { actor, action: 'customer.consent', entity: 'Customer', entityId: customerId, before: { marketing: before.marketingConsent, surveys: !optedOut }, after: { marketing: false, surveys: false }, reason });
      });
    },
  };
}
