-- DropIndex
DROP INDEX "Ticket_dashboard_idx";

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "channelId" TEXT;

-- Backfill: each ticket's channel is its conversation's (tickets whose conversation is gone keep none)
UPDATE "Ticket" SET "channelId" = c."channelId" FROM "Conversation" c WHERE c."id" = "Ticket"."conversationId";

-- CreateIndex
CREATE INDEX "Ticket_dashboard_idx" ON "Ticket"("createdAt", "category", "ownerId", "resolvedAt", "firstResponseDueAt", "firstRespondedAt", "resolutionDueAt", "channelId");

-- CreateIndex
CREATE INDEX "Ticket_dashboard_group_idx" ON "Ticket"("category", "ownerId", "createdAt", "resolvedAt", "firstResponseDueAt", "firstRespondedAt", "resolutionDueAt", "channelId");

-- CreateIndex
CREATE INDEX "Survey_dashboard_agent_idx" ON "Survey"("agentId", "sentAt", "status", "score", "nps", "channelId", "trigger", "ticketCategory");

