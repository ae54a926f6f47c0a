-- AlterTable
ALTER TABLE "Survey" ADD COLUMN     "orderId" TEXT,
ADD COLUMN     "priceScore" INTEGER,
ADD COLUMN     "productScore" INTEGER,
ADD COLUMN     "serviceScore" INTEGER;

