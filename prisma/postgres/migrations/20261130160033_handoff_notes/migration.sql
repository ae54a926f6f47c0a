-- CreateTable
CREATE TABLE "HandoffNote" (
    "id" TEXT NOT NULL,
    "handoffId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoffNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HandoffNote_handoffId_createdAt_idx" ON "HandoffNote"("handoffId", "createdAt");

