-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "consentUpdatedAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "marketingConsent" BOOLEAN;
ALTER TABLE "Customer" ADD COLUMN "shopUpdatedAt" DATETIME;

-- CreateTable
CREATE TABLE "ShopEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShopRequestSeen" (
    "signature" TEXT NOT NULL PRIMARY KEY,
    "receivedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PointsEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT,
    "reason" TEXT,
    "sourceKey" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "fromTier" TEXT NOT NULL,
    "toTier" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'CNY',
    "itemsTotal" INTEGER NOT NULL,
    "shippingFee" INTEGER NOT NULL DEFAULT 0,
    "discount" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL,
    "paymentMethod" TEXT,
    "shippingName" TEXT NOT NULL,
    "shippingPhone" TEXT NOT NULL,
    "shippingAddress" TEXT NOT NULL,
    "carrier" TEXT,
    "trackingNumber" TEXT,
    "createdAt" DATETIME NOT NULL,
    "paidAt" DATETIME,
    "shippedAt" DATETIME,
    "deliveredAt" DATETIME,
    "cancelledAt" DATETIME,
    "returnedAt" DATETIME,
    "refundedTotal" INTEGER NOT NULL DEFAULT 0,
    "cancelRequestedAt" DATETIME,
    "shopUpdatedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("cancelledAt", "carrier", "createdAt", "currency", "customerId", "deliveredAt", "discount", "id", "itemsTotal", "number", "paidAt", "paymentMethod", "returnedAt", "shippedAt", "shippingAddress", "shippingFee", "shippingName", "shippingPhone", "status", "total", "trackingNumber", "updatedAt") SELECT "cancelledAt", "carrier", "createdAt", "currency", "customerId", "deliveredAt", "discount", "id", "itemsTotal", "number", "paidAt", "paymentMethod", "returnedAt", "shippedAt", "shippingAddress", "shippingFee", "shippingName", "shippingPhone", "status", "total", "trackingNumber", "updatedAt" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_number_key" ON "Order"("number");
CREATE INDEX "Order_customerId_createdAt_idx" ON "Order"("customerId", "createdAt");
CREATE INDEX "Order_status_idx" ON "Order"("status");
CREATE TABLE "new_OrderItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPrice" INTEGER NOT NULL,
    "returnedQuantity" INTEGER NOT NULL DEFAULT 0,
    "refundedAmount" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "OrderItem_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_OrderItem" ("id", "name", "nameEn", "orderId", "quantity", "sku", "unitPrice") SELECT "id", "name", "nameEn", "orderId", "quantity", "sku", "unitPrice" FROM "OrderItem";
DROP TABLE "OrderItem";
ALTER TABLE "new_OrderItem" RENAME TO "OrderItem";
CREATE INDEX "OrderItem_orderId_idx" ON "OrderItem"("orderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ShopEvent_receivedAt_idx" ON "ShopEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "ShopRequestSeen_receivedAt_idx" ON "ShopRequestSeen"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PointsEntry_sourceKey_key" ON "PointsEntry"("sourceKey");

-- CreateIndex
CREATE INDEX "PointsEntry_customerId_createdAt_idx" ON "PointsEntry"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "TierChange_customerId_createdAt_idx" ON "TierChange"("customerId", "createdAt");


-- Opening balances: the points customers had before the ledger, as one entry each.
INSERT INTO "PointsEntry" ("id", "customerId", "delta", "kind", "sourceKey", "actorType", "createdAt") SELECT 'opening-' || "id", "id", "points", 'opening', 'opening:' || "id", 'system', "updatedAt" FROM "Customer" WHERE "points" <> 0;
