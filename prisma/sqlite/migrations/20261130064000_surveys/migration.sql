-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "sendAfter" DATETIME NOT NULL,
    "skipReason" TEXT,
    "sentAt" DATETIME,
    "expiresAt" DATETIME,
    "score" INTEGER,
    "nps" INTEGER,
    "comment" TEXT,
    "answeredAt" DATETIME,
    "followUpTicketId" TEXT,
    "causeKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SurveyOptOut" (
    "customerId" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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

