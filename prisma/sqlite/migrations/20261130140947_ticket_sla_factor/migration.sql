-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "conversationId" TEXT,
    "orderId" TEXT,
    "orderItemId" TEXT,
    "category" TEXT NOT NULL,
    "complaintType" TEXT,
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "status" TEXT NOT NULL DEFAULT 'NEW',
    "summary" TEXT NOT NULL,
    "contactPhone" TEXT,
    "locale" TEXT,
    "ownerId" TEXT,
    "assigneeId" TEXT,
    "slaFactor" REAL NOT NULL DEFAULT 1,
    "firstResponseDueAt" DATETIME,
    "resolutionDueAt" DATETIME,
    "dueAt" DATETIME,
    "slaTarget" TEXT,
    "slaWarnAt" DATETIME,
    "slaBreachAt" DATETIME,
    "firstRespondedAt" DATETIME,
    "pausedAt" DATETIME,
    "pausedWorkingSeconds" INTEGER NOT NULL DEFAULT 0,
    "pausedCalendarSeconds" INTEGER NOT NULL DEFAULT 0,
    "resolutionSummary" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Ticket_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_orderItemId_fkey" FOREIGN KEY ("orderItemId") REFERENCES "OrderItem" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Agent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Agent" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("assigneeId", "category", "closedAt", "complaintType", "contactPhone", "conversationId", "createdAt", "customerId", "dueAt", "firstRespondedAt", "firstResponseDueAt", "id", "locale", "number", "orderId", "orderItemId", "ownerId", "pausedAt", "pausedCalendarSeconds", "pausedWorkingSeconds", "priority", "resolutionDueAt", "resolutionSummary", "resolvedAt", "slaBreachAt", "slaTarget", "slaWarnAt", "status", "summary", "updatedAt", "version") SELECT "assigneeId", "category", "closedAt", "complaintType", "contactPhone", "conversationId", "createdAt", "customerId", "dueAt", "firstRespondedAt", "firstResponseDueAt", "id", "locale", "number", "orderId", "orderItemId", "ownerId", "pausedAt", "pausedCalendarSeconds", "pausedWorkingSeconds", "priority", "resolutionDueAt", "resolutionSummary", "resolvedAt", "slaBreachAt", "slaTarget", "slaWarnAt", "status", "summary", "updatedAt", "version" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");
CREATE INDEX "Ticket_customerId_updatedAt_idx" ON "Ticket"("customerId", "updatedAt");
CREATE INDEX "Ticket_orderItemId_idx" ON "Ticket"("orderItemId");
CREATE INDEX "Ticket_dueAt_id_idx" ON "Ticket"("dueAt", "id");
CREATE INDEX "Ticket_status_dueAt_idx" ON "Ticket"("status", "dueAt");
CREATE INDEX "Ticket_assigneeId_status_dueAt_idx" ON "Ticket"("assigneeId", "status", "dueAt");
CREATE INDEX "Ticket_ownerId_status_dueAt_idx" ON "Ticket"("ownerId", "status", "dueAt");
CREATE INDEX "Ticket_category_status_dueAt_idx" ON "Ticket"("category", "status", "dueAt");
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");
CREATE INDEX "Ticket_slaWarnAt_idx" ON "Ticket"("slaWarnAt");
CREATE INDEX "Ticket_slaBreachAt_idx" ON "Ticket"("slaBreachAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

