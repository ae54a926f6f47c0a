-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "verifiedUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateLimit_expire_idx" ON "RateLimit"("expire");


-- Web chat sign-ins made before verification had a lifetime end now: those customers sign in again.
UPDATE "Conversation" SET "verifiedUntil" = (now() AT TIME ZONE 'UTC') WHERE "channelId" = 'directline' AND "customerId" IN (SELECT "id" FROM "Customer" WHERE "externalId" IS NOT NULL);
