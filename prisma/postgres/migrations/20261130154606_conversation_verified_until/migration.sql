-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "verifiedUntil" TIMESTAMP(3);


-- Web chat sign-ins made before verification had a lifetime end now: those customers sign in again.
UPDATE "Conversation" SET "verifiedUntil" = (now() AT TIME ZONE 'UTC') WHERE "channelId" = 'directline' AND "customerId" IN (SELECT "id" FROM "Customer" WHERE "externalId" IS NOT NULL);
