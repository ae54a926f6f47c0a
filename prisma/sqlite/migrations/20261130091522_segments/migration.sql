-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "birthday" TEXT;

-- CreateTable
CREATE TABLE "CustomerSegment" (
    "customerId" TEXT NOT NULL PRIMARY KEY,
    "recencyDays" INTEGER,
    "frequency" INTEGER NOT NULL,
    "monetary" INTEGER NOT NULL,
    "rScore" INTEGER NOT NULL,
    "fScore" INTEGER NOT NULL,
    "mScore" INTEGER NOT NULL,
    "valueClass" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "lastOrderAt" DATETIME,
    "lastContactAt" DATETIME,
    "changedAt" DATETIME NOT NULL,
    "runId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "SegmentChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromValue" TEXT,
    "toValue" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SegmentRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "asOf" DATETIME NOT NULL,
    "cuts" JSONB NOT NULL,
    "cursor" TEXT,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT,
    "leaseUntil" DATETIME
);

-- CreateTable
CREATE TABLE "CareMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "conversationId" TEXT,
    "kind" TEXT NOT NULL,
    "causeKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "skipReason" TEXT,
    "locale" TEXT,
    "orderId" TEXT,
    "couponCode" TEXT,
    "sendAfter" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "repliedAt" DATETIME,
    "optedOutAt" DATETIME,
    "convertedOrderId" TEXT,
    "convertedAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CareOptOut" (
    "customerId" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "CustomerSegment_valueClass_idx" ON "CustomerSegment"("valueClass");

-- CreateIndex
CREATE INDEX "CustomerSegment_stage_idx" ON "CustomerSegment"("stage");

-- CreateIndex
CREATE INDEX "SegmentChange_createdAt_idx" ON "SegmentChange"("createdAt");

-- CreateIndex
CREATE INDEX "SegmentChange_customerId_createdAt_idx" ON "SegmentChange"("customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SegmentChange_customerId_kind_runId_key" ON "SegmentChange"("customerId", "kind", "runId");

-- CreateIndex
CREATE INDEX "SegmentRun_status_idx" ON "SegmentRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "CareMessage_causeKey_key" ON "CareMessage"("causeKey");

-- CreateIndex
CREATE INDEX "CareMessage_customerId_sentAt_idx" ON "CareMessage"("customerId", "sentAt");

-- CreateIndex
CREATE INDEX "CareMessage_status_sendAfter_idx" ON "CareMessage"("status", "sendAfter");

-- CreateIndex
CREATE INDEX "CareMessage_conversationId_sentAt_idx" ON "CareMessage"("conversationId", "sentAt");

