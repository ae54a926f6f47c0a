-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "emailIndex" TEXT;
ALTER TABLE "Customer" ADD COLUMN "phoneIndex" TEXT;

-- CreateTable
CREATE TABLE "RetentionRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "day" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "counts" JSONB
);

-- CreateIndex
CREATE UNIQUE INDEX "RetentionRun_day_key" ON "RetentionRun"("day");

-- CreateIndex
CREATE INDEX "Customer_phoneIndex_idx" ON "Customer"("phoneIndex");

-- CreateIndex
CREATE INDEX "Customer_emailIndex_idx" ON "Customer"("emailIndex");

