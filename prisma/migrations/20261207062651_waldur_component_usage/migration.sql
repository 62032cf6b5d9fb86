-- AlterTable
ALTER TABLE "consumption_records" ADD COLUMN     "waldur_error" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "waldur_invoice_item_uuid" UUID,
ADD COLUMN     "waldur_invoice_uuid" UUID,
ADD COLUMN     "waldur_pushed_at" TIMESTAMPTZ(6),
ADD COLUMN     "waldur_state" "WaldurItemState" NOT NULL DEFAULT 'NOT_PUSHED',
ADD COLUMN     "waldur_usage" DECIMAL(22,10);

-- AlterTable
ALTER TABLE "waldur_compensations" ADD COLUMN     "consumption_record_uuid" UUID,
ALTER COLUMN "billing_sync_item_uuid" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "waldur_compensations_consumption_record_uuid_sequence_key" ON "waldur_compensations"("consumption_record_uuid", "sequence");

-- AddForeignKey
ALTER TABLE "waldur_compensations" ADD CONSTRAINT "waldur_compensations_consumption_record_uuid_fkey" FOREIGN KEY ("consumption_record_uuid") REFERENCES "consumption_records"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;


-- A compensation corrects exactly one thing: a billing line or a month's reported usage.
ALTER TABLE "waldur_compensations" ADD CONSTRAINT "waldur_compensations_corrects_one" CHECK (("billing_sync_item_uuid" IS NULL) <> ("consumption_record_uuid" IS NULL));
