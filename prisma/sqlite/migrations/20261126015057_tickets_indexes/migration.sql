-- CreateIndex
CREATE INDEX "Ticket_status_dueAt_idx" ON "Ticket"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Ticket_assigneeId_status_dueAt_idx" ON "Ticket"("assigneeId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Ticket_ownerId_status_dueAt_idx" ON "Ticket"("ownerId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Ticket_category_status_dueAt_idx" ON "Ticket"("category", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");

-- CreateIndex
CREATE INDEX "Ticket_slaWarnAt_idx" ON "Ticket"("slaWarnAt");

-- CreateIndex
CREATE INDEX "Ticket_slaBreachAt_idx" ON "Ticket"("slaBreachAt");

