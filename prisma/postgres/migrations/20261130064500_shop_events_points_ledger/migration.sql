-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "consentUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "marketingConsent" BOOLEAN,
ADD COLUMN     "shopUpdatedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "refundedTotal" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "shopUpdatedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "OrderItem" ADD COLUMN     "refundedAmount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "returnedQuantity" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ShopEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopRequestSeen" (
    "signature" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopRequestSeen_pkey" PRIMARY KEY ("signature")
);

-- CreateTable
CREATE TABLE "PointsEntry" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT,
    "reason" TEXT,
    "sourceKey" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PointsEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromTier" "MembershipTier" NOT NULL,
    "toTier" "MembershipTier" NOT NULL,
    "points" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

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
