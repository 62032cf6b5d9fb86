-- CreateEnum
CREATE TYPE "WaldurBillingMode" AS ENUM ('OFF', 'INVOICE_ITEMS', 'COMPONENT_USAGE');

-- CreateEnum
CREATE TYPE "WaldurItemState" AS ENUM ('NOT_PUSHED', 'PENDING', 'INVOICED', 'FAILED', 'SKIPPED');

-- AlterEnum
ALTER TYPE "FlowKind" ADD VALUE 'INVOICE_PUSH';

-- AlterTable
ALTER TABLE "arrow_settings" ADD COLUMN     "waldur_billing" "WaldurBillingMode" NOT NULL DEFAULT 'OFF';

-- AlterTable
ALTER TABLE "billing_sync_items" ADD COLUMN     "stable_identity" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "waldur_amount" DECIMAL(22,10),
ADD COLUMN     "waldur_article_code" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "waldur_error" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "waldur_invoice_item_uuid" UUID,
ADD COLUMN     "waldur_invoice_period" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "waldur_invoice_uuid" UUID,
ADD COLUMN     "waldur_item_name" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "waldur_pushed_at" TIMESTAMPTZ(6),
ADD COLUMN     "waldur_state" "WaldurItemState" NOT NULL DEFAULT 'NOT_PUSHED';

-- CreateIndex
CREATE INDEX "billing_sync_items_waldur_state_idx" ON "billing_sync_items"("waldur_state");

