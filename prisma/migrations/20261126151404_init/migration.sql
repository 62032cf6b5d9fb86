-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ResourceState" AS ENUM ('CREATING', 'OK', 'ERRED', 'UPDATING', 'TERMINATING', 'TERMINATED');

-- CreateEnum
CREATE TYPE "OrderType" AS ENUM ('CREATE', 'UPDATE', 'TERMINATE');

-- CreateEnum
CREATE TYPE "OrderState" AS ENUM ('PENDING', 'EXECUTING', 'DONE', 'ERRED');

-- CreateEnum
CREATE TYPE "InvoicePriceSource" AS ENUM ('sell', 'buy');

-- CreateEnum
CREATE TYPE "BillingSyncState" AS ENUM ('PENDING', 'SYNCED', 'VALIDATED', 'RECONCILED');

-- CreateEnum
CREATE TYPE "ArrowStatementState" AS ENUM ('pending', 'validated');

-- CreateTable
CREATE TABLE "users" (
    "uuid" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "is_staff" BOOLEAN NOT NULL DEFAULT false,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "uuid" UUID NOT NULL,
    "user_uuid" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "waldur_customers" (
    "uuid" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "abbreviation" TEXT NOT NULL DEFAULT '',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "waldur_customers_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "projects" (
    "uuid" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "customer_uuid" UUID NOT NULL,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "offerings" (
    "uuid" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'Arrow.License',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offerings_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "resources" (
    "uuid" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "project_uuid" UUID NOT NULL,
    "offering_uuid" UUID NOT NULL,
    "state" "ResourceState" NOT NULL DEFAULT 'OK',
    "backend_id" TEXT NOT NULL DEFAULT '',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "orders" (
    "uuid" UUID NOT NULL,
    "type" "OrderType" NOT NULL,
    "state" "OrderState" NOT NULL,
    "resource_uuid" UUID NOT NULL,
    "offering_uuid" UUID NOT NULL,
    "project_uuid" UUID NOT NULL,
    "created_by_uuid" UUID,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "arrow_settings" (
    "uuid" UUID NOT NULL,
    "api_url" TEXT NOT NULL,
    "api_key" TEXT NOT NULL,
    "export_type_reference" TEXT NOT NULL DEFAULT '',
    "classification_filter" TEXT NOT NULL DEFAULT 'IAAS',
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "sync_enabled" BOOLEAN NOT NULL DEFAULT false,
    "partner_reference" TEXT NOT NULL DEFAULT '',
    "partner_name" TEXT NOT NULL DEFAULT '',
    "invoice_price_source" "InvoicePriceSource" NOT NULL DEFAULT 'sell',
    "invoice_item_prefix" TEXT NOT NULL DEFAULT '',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "arrow_settings_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "customer_mappings" (
    "uuid" UUID NOT NULL,
    "settings_uuid" UUID NOT NULL,
    "arrow_reference" TEXT NOT NULL,
    "arrow_company_name" TEXT NOT NULL DEFAULT '',
    "waldur_customer_uuid" UUID NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_mappings_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "billing_syncs" (
    "uuid" UUID NOT NULL,
    "customer_mapping_uuid" UUID NOT NULL,
    "statement_reference" TEXT NOT NULL,
    "report_period" TEXT NOT NULL,
    "arrow_state" "ArrowStatementState" NOT NULL DEFAULT 'pending',
    "state" "BillingSyncState" NOT NULL DEFAULT 'PENDING',
    "synced_at" TIMESTAMPTZ(6),
    "validated_at" TIMESTAMPTZ(6),
    "reconciled_at" TIMESTAMPTZ(6),
    "buy_total" DECIMAL(22,10) NOT NULL DEFAULT 0,
    "sell_total" DECIMAL(22,10) NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "error_message" TEXT NOT NULL DEFAULT '',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_syncs_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "billing_sync_items" (
    "uuid" UUID NOT NULL,
    "billing_sync_uuid" UUID NOT NULL,
    "arrow_line_reference" TEXT NOT NULL,
    "original_price" DECIMAL(22,10) NOT NULL,
    "buy_price" DECIMAL(22,10) NOT NULL DEFAULT 0,
    "vendor_name" TEXT NOT NULL DEFAULT '',
    "subscription_reference" TEXT NOT NULL DEFAULT '',
    "license_reference" TEXT NOT NULL DEFAULT '',
    "classification" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "quantity" DECIMAL(22,10) NOT NULL DEFAULT 0,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_sync_items_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "consumption_records" (
    "uuid" UUID NOT NULL,
    "resource_uuid" UUID NOT NULL,
    "license_reference" TEXT NOT NULL,
    "billing_period" DATE NOT NULL,
    "consumed_sell" DECIMAL(22,10) NOT NULL DEFAULT 0,
    "consumed_buy" DECIMAL(22,10) NOT NULL DEFAULT 0,
    "final_sell" DECIMAL(22,10),
    "final_buy" DECIMAL(22,10),
    "last_sync_at" TIMESTAMPTZ(6),
    "finalized_at" TIMESTAMPTZ(6),
    "reconciled_at" TIMESTAMPTZ(6),
    "raw_data" JSONB NOT NULL DEFAULT '{}',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consumption_records_pkey" PRIMARY KEY ("uuid")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_uuid_idx" ON "api_tokens"("user_uuid");

-- CreateIndex
CREATE INDEX "waldur_customers_name_idx" ON "waldur_customers"("name");

-- CreateIndex
CREATE INDEX "projects_customer_uuid_idx" ON "projects"("customer_uuid");

-- CreateIndex
CREATE INDEX "resources_project_uuid_idx" ON "resources"("project_uuid");

-- CreateIndex
CREATE INDEX "resources_offering_uuid_backend_id_idx" ON "resources"("offering_uuid", "backend_id");

-- CreateIndex
CREATE INDEX "resources_backend_id_idx" ON "resources"("backend_id");

-- CreateIndex
CREATE INDEX "orders_resource_uuid_idx" ON "orders"("resource_uuid");

-- CreateIndex
CREATE INDEX "arrow_settings_is_active_idx" ON "arrow_settings"("is_active");

-- CreateIndex
CREATE INDEX "customer_mappings_waldur_customer_uuid_idx" ON "customer_mappings"("waldur_customer_uuid");

-- CreateIndex
CREATE INDEX "customer_mappings_is_active_idx" ON "customer_mappings"("is_active");

-- CreateIndex
CREATE INDEX "customer_mappings_created_idx" ON "customer_mappings"("created");

-- CreateIndex
CREATE UNIQUE INDEX "customer_mappings_settings_uuid_arrow_reference_key" ON "customer_mappings"("settings_uuid", "arrow_reference");

-- CreateIndex
CREATE INDEX "billing_syncs_report_period_idx" ON "billing_syncs"("report_period");

-- CreateIndex
CREATE INDEX "billing_syncs_state_idx" ON "billing_syncs"("state");

-- CreateIndex
CREATE UNIQUE INDEX "billing_syncs_customer_mapping_uuid_statement_reference_key" ON "billing_syncs"("customer_mapping_uuid", "statement_reference");

-- CreateIndex
CREATE INDEX "billing_sync_items_license_reference_idx" ON "billing_sync_items"("license_reference");

-- CreateIndex
CREATE UNIQUE INDEX "billing_sync_items_billing_sync_uuid_arrow_line_reference_key" ON "billing_sync_items"("billing_sync_uuid", "arrow_line_reference");

-- CreateIndex
CREATE INDEX "consumption_records_license_reference_idx" ON "consumption_records"("license_reference");

-- CreateIndex
CREATE INDEX "consumption_records_billing_period_idx" ON "consumption_records"("billing_period");

-- CreateIndex
CREATE UNIQUE INDEX "consumption_records_resource_uuid_billing_period_license_re_key" ON "consumption_records"("resource_uuid", "billing_period", "license_reference");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_uuid_fkey" FOREIGN KEY ("user_uuid") REFERENCES "users"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects" ADD CONSTRAINT "projects_customer_uuid_fkey" FOREIGN KEY ("customer_uuid") REFERENCES "waldur_customers"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resources" ADD CONSTRAINT "resources_project_uuid_fkey" FOREIGN KEY ("project_uuid") REFERENCES "projects"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resources" ADD CONSTRAINT "resources_offering_uuid_fkey" FOREIGN KEY ("offering_uuid") REFERENCES "offerings"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_resource_uuid_fkey" FOREIGN KEY ("resource_uuid") REFERENCES "resources"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_offering_uuid_fkey" FOREIGN KEY ("offering_uuid") REFERENCES "offerings"("uuid") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_project_uuid_fkey" FOREIGN KEY ("project_uuid") REFERENCES "projects"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_mappings" ADD CONSTRAINT "customer_mappings_settings_uuid_fkey" FOREIGN KEY ("settings_uuid") REFERENCES "arrow_settings"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_mappings" ADD CONSTRAINT "customer_mappings_waldur_customer_uuid_fkey" FOREIGN KEY ("waldur_customer_uuid") REFERENCES "waldur_customers"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_syncs" ADD CONSTRAINT "billing_syncs_customer_mapping_uuid_fkey" FOREIGN KEY ("customer_mapping_uuid") REFERENCES "customer_mappings"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_sync_items" ADD CONSTRAINT "billing_sync_items_billing_sync_uuid_fkey" FOREIGN KEY ("billing_sync_uuid") REFERENCES "billing_syncs"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consumption_records" ADD CONSTRAINT "consumption_records_resource_uuid_fkey" FOREIGN KEY ("resource_uuid") REFERENCES "resources"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

