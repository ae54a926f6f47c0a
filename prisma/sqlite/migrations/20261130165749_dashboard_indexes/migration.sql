-- CreateIndex
CREATE INDEX "Order_createdAt_idx" ON "Order"("createdAt");

-- CreateIndex
CREATE INDEX "Ticket_dashboard_idx" ON "Ticket"("createdAt", "category", "ownerId", "resolvedAt", "firstResponseDueAt", "firstRespondedAt", "resolutionDueAt", "conversationId");

-- CreateIndex
CREATE INDEX "Survey_dashboard_idx" ON "Survey"("sentAt", "status", "score", "nps", "agentId", "channelId", "trigger", "ticketCategory");

