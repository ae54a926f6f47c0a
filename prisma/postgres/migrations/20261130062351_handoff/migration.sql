-- CreateTable
CREATE TABLE "Handoff" (
    "id" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "customerId" TEXT,
    "queue" TEXT NOT NULL DEFAULT 'general',
    "reason" TEXT NOT NULL,
    "reasonText" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "agentId" TEXT,
    "locale" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" TIMESTAMP(3),
    "firstReplyAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "ticketNumber" TEXT,
    "queueWaitSeconds" INTEGER,
    "firstReplySeconds" INTEGER,
    "handleSeconds" INTEGER,
    "positionToldAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Handoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentPresence" (
    "agentId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'offline',
    "capacity" INTEGER NOT NULL DEFAULT 3,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentPresence_pkey" PRIMARY KEY ("agentId")
);

-- CreateIndex
CREATE INDEX "Handoff_status_queue_priority_requestedAt_idx" ON "Handoff"("status", "queue", "priority", "requestedAt");

-- CreateIndex
CREATE INDEX "Handoff_conversationId_status_idx" ON "Handoff"("conversationId", "status");

-- CreateIndex
CREATE INDEX "Handoff_agentId_status_idx" ON "Handoff"("agentId", "status");

