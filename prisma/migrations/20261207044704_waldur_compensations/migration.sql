-- CreateTable
CREATE TABLE "waldur_compensations" (
    "uuid" UUID NOT NULL,
    "billing_sync_item_uuid" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "amount" DECIMAL(22,10) NOT NULL,
    "final_amount" DECIMAL(22,10) NOT NULL,
    "corrected_period" TEXT NOT NULL,
    "waldur_state" "WaldurItemState" NOT NULL DEFAULT 'PENDING',
    "waldur_item_name" TEXT NOT NULL,
    "waldur_article_code" TEXT NOT NULL,
    "waldur_invoice_period" TEXT NOT NULL,
    "waldur_invoice_uuid" UUID,
    "waldur_invoice_item_uuid" UUID,
    "waldur_error" TEXT NOT NULL DEFAULT '',
    "waldur_pushed_at" TIMESTAMPTZ(6),
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "waldur_compensations_pkey" PRIMARY KEY ("uuid")
);

-- CreateIndex
CREATE INDEX "waldur_compensations_waldur_state_idx" ON "waldur_compensations"("waldur_state");

-- CreateIndex
CREATE UNIQUE INDEX "waldur_compensations_billing_sync_item_uuid_sequence_key" ON "waldur_compensations"("billing_sync_item_uuid", "sequence");

-- AddForeignKey
ALTER TABLE "waldur_compensations" ADD CONSTRAINT "waldur_compensations_billing_sync_item_uuid_fkey" FOREIGN KEY ("billing_sync_item_uuid") REFERENCES "billing_sync_items"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

