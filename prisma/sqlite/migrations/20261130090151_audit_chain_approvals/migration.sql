-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN "hash" TEXT;
ALTER TABLE "AuditLog" ADD COLUMN "maskedAt" DATETIME;
ALTER TABLE "AuditLog" ADD COLUMN "payloadHash" TEXT;
ALTER TABLE "AuditLog" ADD COLUMN "payloadSalt" TEXT;
ALTER TABLE "AuditLog" ADD COLUMN "prevHash" TEXT;
ALTER TABLE "AuditLog" ADD COLUMN "seq" INTEGER;

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AuditLogArchive" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER,
    "row" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "archivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AuditArchiveGate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "before" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChangeRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "details" JSONB,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'AWAITING_SUPERVISOR',
    "requestedByType" TEXT NOT NULL,
    "requestedById" TEXT,
    "locale" TEXT,
    "stepDueAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "supervisorId" TEXT,
    "supervisorAt" DATETIME,
    "crmHeadId" TEXT,
    "crmHeadAt" DATETIME,
    "executorId" TEXT,
    "executedAt" DATETIME,
    "refusedById" TEXT,
    "refusedAt" DATETIME,
    "refusedStep" TEXT,
    "refusalReason" TEXT,
    "downloadTokenHash" TEXT,
    "downloadExpiresAt" DATETIME,
    "downloadedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
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
-- The chain starts at a head of 64 zeros; every audit row moves the head in its own transaction.
INSERT INTO "AuditChainHead" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- UPDATE is refused, except the one masking of a row's payload (a customer's deletion): before,
-- after and the payload's salt erased, maskedAt set, every other column unchanged.
CREATE TRIGGER "AuditLog_append_only_update" BEFORE UPDATE ON "AuditLog"
WHEN NOT (
  OLD."maskedAt" IS NULL AND NEW."maskedAt" IS NOT NULL
  AND NEW."before" IS NULL AND NEW."after" IS NULL AND NEW."payloadSalt" IS NULL
  AND NEW."id" IS OLD."id" AND NEW."actorType" IS OLD."actorType" AND NEW."actorId" IS OLD."actorId"
  AND NEW."action" IS OLD."action" AND NEW."entity" IS OLD."entity" AND NEW."entityId" IS OLD."entityId"
  AND NEW."reason" IS OLD."reason" AND NEW."createdAt" IS OLD."createdAt" AND NEW."seq" IS OLD."seq"
  AND NEW."payloadHash" IS OLD."payloadHash" AND NEW."prevHash" IS OLD."prevHash" AND NEW."hash" IS OLD."hash"
)
BEGIN
  SELECT RAISE(ABORT, 'AuditLog is append-only: UPDATE refused');
END;

-- DELETE is refused, except by the retention archive: a row older than 365 days (the floor no
-- configuration lowers) and older than the gate the archiving transaction opened.
CREATE TRIGGER "AuditLog_append_only_delete" BEFORE DELETE ON "AuditLog"
WHEN OLD."createdAt" >= strftime('%Y-%m-%dT%H:%M:%f', 'now', '-365 days')
  OR NOT EXISTS (SELECT 1 FROM "AuditArchiveGate" g WHERE OLD."createdAt" < g."before")
BEGIN
  SELECT RAISE(ABORT, 'AuditLog is append-only: DELETE refused');
END;

-- The archive keeps what it received: no UPDATE, no DELETE at all.
CREATE TRIGGER "AuditLogArchive_no_update" BEFORE UPDATE ON "AuditLogArchive"
BEGIN
  SELECT RAISE(ABORT, 'AuditLogArchive is append-only: UPDATE refused');
END;
CREATE TRIGGER "AuditLogArchive_no_delete" BEFORE DELETE ON "AuditLogArchive"
BEGIN
  SELECT RAISE(ABORT, 'AuditLogArchive is append-only: DELETE refused');
END;
