-- CreateEnum
CREATE TYPE "WorkState" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "work" (
    "uuid" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "state" "WorkState" NOT NULL DEFAULT 'RUNNING',
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT NOT NULL DEFAULT '',
    "flow_run_uuid" UUID,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "work_pkey" PRIMARY KEY ("uuid")
);

-- CreateIndex
CREATE INDEX "work_started_at_idx" ON "work"("started_at");


-- Work moves the data version like every table a query reads (see the data_version migration).
CREATE CONSTRAINT TRIGGER "work_data_version" AFTER INSERT OR UPDATE OR DELETE ON "work" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
