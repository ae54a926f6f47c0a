-- DropIndex
DROP INDEX "Order_customerId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Order_customerId_createdAt_status_idx" ON "Order"("customerId", "createdAt", "status");

