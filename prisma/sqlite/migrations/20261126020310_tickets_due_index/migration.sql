-- CreateIndex
CREATE INDEX "Ticket_dueAt_id_idx" ON "Ticket"("dueAt", "id");

