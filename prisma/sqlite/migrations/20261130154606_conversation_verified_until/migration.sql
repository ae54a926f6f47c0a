-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "verifiedUntil" DATETIME;


-- Web chat sign-ins made before verification had a lifetime end now: those customers sign in again.
UPDATE "Conversation" SET "verifiedUntil" = strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now') WHERE "channelId" = 'directline' AND "customerId" IN (SELECT "id" FROM "Customer" WHERE "externalId" IS NOT NULL);
