-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "verifiedUntil" DATETIME;

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
);

-- CreateIndex
CREATE INDEX "RateLimit_expire_idx" ON "RateLimit"("expire");


-- Web chat sign-ins made before verification had a lifetime end now: those customers sign in again.
UPDATE "Conversation" SET "verifiedUntil" = strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now') WHERE "channelId" = 'directline' AND "customerId" IN (SELECT "id" FROM "Customer" WHERE "externalId" IS NOT NULL);
