-- AlterTable
ALTER TABLE "Handoff" ADD COLUMN     "customerAt" TIMESTAMP(3),
ADD COLUMN     "idleWarnedAt" TIMESTAMP(3),
ADD COLUMN     "positionTold" INTEGER;

