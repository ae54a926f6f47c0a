-- AlterTable
ALTER TABLE "Survey" ADD COLUMN "orderId" TEXT;
ALTER TABLE "Survey" ADD COLUMN "priceScore" INTEGER;
ALTER TABLE "Survey" ADD COLUMN "productScore" INTEGER;
ALTER TABLE "Survey" ADD COLUMN "serviceScore" INTEGER;

