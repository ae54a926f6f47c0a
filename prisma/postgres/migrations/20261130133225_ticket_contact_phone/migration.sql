-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "contactPhone" TEXT;

