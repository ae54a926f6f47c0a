-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "EventDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "subscriber" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "leasedBy" TEXT,
    "lastError" TEXT,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "EventDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "DomainEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DirectLineConversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "userName" TEXT,
    "externalId" TEXT,
    "locale" TEXT,
    "started" BOOLEAN NOT NULL DEFAULT false,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "lastAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DirectLineActivity" (
    "conversationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "clientActivityId" TEXT,
    "activity" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("conversationId", "seq"),
    CONSTRAINT "DirectLineActivity_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "DirectLineConversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channelId" TEXT NOT NULL,
    "channelConversationId" TEXT NOT NULL,
    "customerId" TEXT,
    "locale" TEXT,
    "status" TEXT NOT NULL DEFAULT 'BOT',
    "agentId" TEXT,
    "queue" TEXT,
    "waitingSince" DATETIME,
    "statusChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    "lifecycleVersion" INTEGER NOT NULL DEFAULT 1,
    "reference" JSONB NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Conversation_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Conversation_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("channelConversationId", "channelId", "customerId", "id", "lastActivityAt", "locale", "reference", "startedAt", "status") SELECT "channelConversationId", "channelId", "customerId", "id", "lastActivityAt", "locale", "reference", "startedAt", CASE "status" WHEN 'ACTIVE' THEN 'BOT' WHEN 'HANDED_OFF' THEN 'AGENT' ELSE "status" END FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_customerId_idx" ON "Conversation"("customerId");
CREATE INDEX "Conversation_lastActivityAt_idx" ON "Conversation"("lastActivityAt");
CREATE INDEX "Conversation_status_queue_waitingSince_idx" ON "Conversation"("status", "queue", "waitingSince");
CREATE INDEX "Conversation_agentId_status_idx" ON "Conversation"("agentId", "status");
CREATE UNIQUE INDEX "Conversation_channelId_channelConversationId_key" ON "Conversation"("channelId", "channelConversationId");
CREATE TABLE "new_Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "customerId" TEXT,
    "direction" TEXT NOT NULL,
    "senderType" TEXT NOT NULL DEFAULT 'customer',
    "senderId" TEXT,
    "activityType" TEXT NOT NULL,
    "activityId" TEXT,
    "inboundKey" TEXT,
    "replyToId" TEXT,
    "text" TEXT,
    "attachments" JSONB,
    "channelData" JSONB,
    "locale" TEXT,
    "timestamp" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("activityId", "activityType", "attachments", "channelData", "conversationId", "createdAt", "customerId", "direction", "id", "inboundKey", "locale", "replyToId", "text", "timestamp", "senderType", "senderId") SELECT "activityId", "activityType", "attachments", "channelData", "conversationId", "createdAt", "customerId", "direction", "id", "inboundKey", "locale", "replyToId", "text", "timestamp", CASE "direction" WHEN 'INBOUND' THEN 'customer' ELSE 'bot' END, CASE "direction" WHEN 'INBOUND' THEN "customerId" END FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE INDEX "Message_conversationId_timestamp_idx" ON "Message"("conversationId", "timestamp");
CREATE INDEX "Message_customerId_idx" ON "Message"("customerId");
CREATE UNIQUE INDEX "Message_conversationId_inboundKey_key" ON "Message"("conversationId", "inboundKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DomainEvent_subject_createdAt_idx" ON "DomainEvent"("subject", "createdAt");

-- CreateIndex
CREATE INDEX "DomainEvent_type_createdAt_idx" ON "DomainEvent"("type", "createdAt");

-- CreateIndex
CREATE INDEX "EventDelivery_status_nextAttemptAt_idx" ON "EventDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "EventDelivery_eventId_subscriber_key" ON "EventDelivery"("eventId", "subscriber");

-- CreateIndex
CREATE UNIQUE INDEX "DirectLineActivity_conversationId_clientActivityId_key" ON "DirectLineActivity"("conversationId", "clientActivityId");

