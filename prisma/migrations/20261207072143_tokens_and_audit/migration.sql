-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "expires_at" TIMESTAMPTZ(6);

-- CreateTable
CREATE TABLE "audit_entries" (
    "uuid" UUID NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_uuid" UUID,
    "actor_username" TEXT NOT NULL DEFAULT '',
    "actor_source" TEXT NOT NULL DEFAULT '',
    "operation" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "request_id" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("uuid")
);

-- CreateIndex
CREATE INDEX "audit_entries_at_idx" ON "audit_entries"("at");

-- CreateIndex
CREATE INDEX "audit_entries_actor_username_idx" ON "audit_entries"("actor_username");


-- Screens show what these hold: a change moves the data version (as the other tables' triggers do)
CREATE CONSTRAINT TRIGGER "waldur_compensations_data_version" AFTER INSERT OR UPDATE OR DELETE ON "waldur_compensations" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
CREATE CONSTRAINT TRIGGER "audit_entries_data_version" AFTER INSERT OR UPDATE OR DELETE ON "audit_entries" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
