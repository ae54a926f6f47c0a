-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "agentId" TEXT,
    "ticketId" TEXT,
    "ticketCategory" TEXT,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "stage" TEXT NOT NULL DEFAULT 'score',
    "sendAfter" TIMESTAMP(3) NOT NULL,
    "skipReason" TEXT,
    "sentAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "score" INTEGER,
    "nps" INTEGER,
    "comment" TEXT,
    "answeredAt" TIMESTAMP(3),
    "followUpTicketId" TEXT,
    "causeKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyOptOut" (
    "customerId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyOptOut_pkey" PRIMARY KEY ("customerId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Survey_causeKey_key" ON "Survey"("causeKey");

-- CreateIndex
CREATE INDEX "Survey_conversationId_status_idx" ON "Survey"("conversationId", "status");

-- CreateIndex
CREATE INDEX "Survey_customerId_sentAt_idx" ON "Survey"("customerId", "sentAt");

-- CreateIndex
CREATE INDEX "Survey_status_sendAfter_idx" ON "Survey"("status", "sendAfter");

-- CreateIndex
CREATE INDEX "Survey_answeredAt_idx" ON "Survey"("answeredAt");

