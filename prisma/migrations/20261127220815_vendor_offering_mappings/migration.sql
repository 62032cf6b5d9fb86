-- CreateTable
CREATE TABLE "vendor_offering_mappings" (
    "uuid" UUID NOT NULL,
    "settings_uuid" UUID NOT NULL,
    "arrow_vendor_name" TEXT NOT NULL,
    "offering_uuid" UUID NOT NULL,
    "plan_uuid" UUID NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vendor_offering_mappings_pkey" PRIMARY KEY ("uuid")
);

-- CreateIndex
CREATE INDEX "vendor_offering_mappings_offering_uuid_idx" ON "vendor_offering_mappings"("offering_uuid");

-- CreateIndex
CREATE INDEX "vendor_offering_mappings_plan_uuid_idx" ON "vendor_offering_mappings"("plan_uuid");

-- CreateIndex
CREATE UNIQUE INDEX "vendor_offering_mappings_settings_uuid_arrow_vendor_name_key" ON "vendor_offering_mappings"("settings_uuid", "arrow_vendor_name");

-- AddForeignKey
ALTER TABLE "vendor_offering_mappings" ADD CONSTRAINT "vendor_offering_mappings_settings_uuid_fkey" FOREIGN KEY ("settings_uuid") REFERENCES "arrow_settings"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_offering_mappings" ADD CONSTRAINT "vendor_offering_mappings_offering_uuid_fkey" FOREIGN KEY ("offering_uuid") REFERENCES "offerings"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_offering_mappings" ADD CONSTRAINT "vendor_offering_mappings_plan_uuid_fkey" FOREIGN KEY ("plan_uuid") REFERENCES "offering_plans"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

