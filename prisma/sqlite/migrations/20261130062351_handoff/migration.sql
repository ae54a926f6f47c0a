-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "customerId" TEXT,
    "queue" TEXT NOT NULL DEFAULT 'general',
    "reason" TEXT NOT NULL,
    "reasonText" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "agentId" TEXT,
    "locale" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" DATETIME,
    "firstReplyAt" DATETIME,
    "endedAt" DATETIME,
    "endReason" TEXT,
    "ticketNumber" TEXT,
    "queueWaitSeconds" INTEGER,
    "firstReplySeconds" INTEGER,
    "handleSeconds" INTEGER,
    "positionToldAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1
);

-- CreateTable
CREATE TABLE "AgentPresence" (
    "agentId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT 'offline',
    "capacity" INTEGER NOT NULL DEFAULT 3,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Handoff_status_queue_priority_requestedAt_idx" ON "Handoff"("status", "queue", "priority", "requestedAt");

-- CreateIndex
CREATE INDEX "Handoff_conversationId_status_idx" ON "Handoff"("conversationId", "status");

-- CreateIndex
CREATE INDEX "Handoff_agentId_status_idx" ON "Handoff"("agentId", "status");

