-- CreateEnum
CREATE TYPE "AdjustmentKind" AS ENUM ('CREDIT', 'EXTRA_CHARGE');

-- CreateEnum
CREATE TYPE "FlowKind" AS ENUM ('BILLING_SYNC', 'VALIDATION', 'CONSUMPTION_SYNC', 'RECONCILIATION');

-- CreateEnum
CREATE TYPE "FlowRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "adjustments" (
    "uuid" UUID NOT NULL,
    "kind" "AdjustmentKind" NOT NULL,
    "amount" DECIMAL(22,10) NOT NULL,
    "price_source" "InvoicePriceSource" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "billing_sync_item_uuid" UUID,
    "consumption_record_uuid" UUID,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "adjustments_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "flow_runs" (
    "uuid" UUID NOT NULL,
    "kind" "FlowKind" NOT NULL,
    "period" TEXT NOT NULL,
    "settings_uuid" UUID,
    "status" "FlowRunStatus" NOT NULL DEFAULT 'RUNNING',
    "message" TEXT NOT NULL DEFAULT '',
    "forced" BOOLEAN NOT NULL DEFAULT false,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "flow_runs_pkey" PRIMARY KEY ("uuid")
);

-- CreateIndex
CREATE UNIQUE INDEX "adjustments_billing_sync_item_uuid_key" ON "adjustments"("billing_sync_item_uuid");

-- CreateIndex
CREATE UNIQUE INDEX "adjustments_consumption_record_uuid_key" ON "adjustments"("consumption_record_uuid");

-- CreateIndex
CREATE INDEX "flow_runs_kind_period_idx" ON "flow_runs"("kind", "period");

-- CreateIndex
CREATE INDEX "flow_runs_settings_uuid_idx" ON "flow_runs"("settings_uuid");

-- CreateIndex
CREATE INDEX "flow_runs_started_at_idx" ON "flow_runs"("started_at");

-- AddForeignKey
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_billing_sync_item_uuid_fkey" FOREIGN KEY ("billing_sync_item_uuid") REFERENCES "billing_sync_items"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_consumption_record_uuid_fkey" FOREIGN KEY ("consumption_record_uuid") REFERENCES "consumption_records"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_settings_uuid_fkey" FOREIGN KEY ("settings_uuid") REFERENCES "arrow_settings"("uuid") ON DELETE SET NULL ON UPDATE CASCADE;

