-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "emailIndex" TEXT,
ADD COLUMN     "phoneIndex" TEXT;

-- CreateTable
CREATE TABLE "RetentionRun" (
    "id" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "counts" JSONB,

    CONSTRAINT "RetentionRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RetentionRun_day_key" ON "RetentionRun"("day");

-- CreateIndex
CREATE INDEX "Customer_phoneIndex_idx" ON "Customer"("phoneIndex");

-- CreateIndex
CREATE INDEX "Customer_emailIndex_idx" ON "Customer"("emailIndex");

