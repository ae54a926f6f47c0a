-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AgentRole" ADD VALUE 'crm_head';
ALTER TYPE "AgentRole" ADD VALUE 'auditor';

-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "maskedAt" TIMESTAMP(3),
ADD COLUMN     "payloadHash" TEXT,
ADD COLUMN     "payloadSalt" TEXT,
ADD COLUMN     "prevHash" TEXT,
ADD COLUMN     "seq" INTEGER;

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLogArchive" (
    "id" TEXT NOT NULL,
    "seq" INTEGER,
    "row" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "archivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLogArchive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditArchiveGate" (
    "id" INTEGER NOT NULL,
    "before" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditArchiveGate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeRequest" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "details" JSONB,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'AWAITING_SUPERVISOR',
    "requestedByType" TEXT NOT NULL,
    "requestedById" TEXT,
    "locale" TEXT,
    "stepDueAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "supervisorId" TEXT,
    "supervisorAt" TIMESTAMP(3),
    "crmHeadId" TEXT,
    "crmHeadAt" TIMESTAMP(3),
    "executorId" TEXT,
    "executedAt" TIMESTAMP(3),
    "refusedById" TEXT,
    "refusedAt" TIMESTAMP(3),
    "refusedStep" TEXT,
    "refusalReason" TEXT,
    "downloadTokenHash" TEXT,
    "downloadExpiresAt" TIMESTAMP(3),
    "downloadedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditLogArchive_seq_idx" ON "AuditLogArchive"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeRequest_downloadTokenHash_key" ON "ChangeRequest"("downloadTokenHash");

-- CreateIndex
CREATE INDEX "ChangeRequest_status_stepDueAt_idx" ON "ChangeRequest"("status", "stepDueAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_customerId_idx" ON "ChangeRequest"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditLog_seq_key" ON "AuditLog"("seq");

-- CreateIndex
CREATE INDEX "AuditLog_actorType_actorId_idx" ON "AuditLog"("actorType", "actorId");


-- Hand-written (issue 17): the audit log is append-only and hash-chained (src/crm/auditChain.ts).
-- The chain starts at a head of 64 zeros; every audit row moves the head in its own transaction
-- (the head row's lock serializes concurrent writers, so the chain never forks).
INSERT INTO "AuditChainHead" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- UPDATE is refused, except the one masking of a row's payload (a customer's deletion): before,
-- after and the payload's salt erased, maskedAt set, every other column unchanged.
-- DELETE is refused, except by the retention archive: a row older than 365 days (the floor no
-- configuration lowers) and older than the gate the archiving transaction opened.
CREATE FUNCTION "kefu_audit_log_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD."maskedAt" IS NULL AND NEW."maskedAt" IS NOT NULL
       AND NEW."before" IS NULL AND NEW."after" IS NULL AND NEW."payloadSalt" IS NULL
       AND (NEW."id", NEW."actorType", NEW."actorId", NEW."action", NEW."entity", NEW."entityId", NEW."reason", NEW."createdAt", NEW."seq", NEW."payloadHash", NEW."prevHash", NEW."hash")
           IS NOT DISTINCT FROM
           (OLD."id", OLD."actorType", OLD."actorId", OLD."action", OLD."entity", OLD."entityId", OLD."reason", OLD."createdAt", OLD."seq", OLD."payloadHash", OLD."prevHash", OLD."hash") THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'AuditLog is append-only: UPDATE refused';
  END IF;
  IF OLD."createdAt" < (now() AT TIME ZONE 'UTC') - interval '365 days'
     AND EXISTS (SELECT 1 FROM "AuditArchiveGate" g WHERE OLD."createdAt" < g."before") THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AuditLog is append-only: DELETE refused';
END
$$;
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION "kefu_audit_log_guard"();

CREATE FUNCTION "kefu_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$;
CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog" FOR EACH STATEMENT EXECUTE FUNCTION "kefu_refuse_change"();
CREATE TRIGGER "AuditLogArchive_append_only" BEFORE UPDATE OR DELETE ON "AuditLogArchive" FOR EACH ROW EXECUTE FUNCTION "kefu_refuse_change"();
CREATE TRIGGER "AuditLogArchive_no_truncate" BEFORE TRUNCATE ON "AuditLogArchive" FOR EACH STATEMENT EXECUTE FUNCTION "kefu_refuse_change"();
