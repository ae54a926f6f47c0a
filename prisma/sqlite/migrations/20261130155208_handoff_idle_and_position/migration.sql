-- AlterTable
ALTER TABLE "Handoff" ADD COLUMN "customerAt" DATETIME;
ALTER TABLE "Handoff" ADD COLUMN "idleWarnedAt" DATETIME;
ALTER TABLE "Handoff" ADD COLUMN "positionTold" INTEGER;

