-- CreateIndex
CREATE INDEX "Survey_trigger_sentAt_idx" ON "Survey"("trigger", "sentAt");

