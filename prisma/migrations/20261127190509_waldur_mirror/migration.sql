-- AlterTable
ALTER TABLE "offerings" ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'Active';

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "is_removed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "resources" ADD COLUMN     "plan_uuid" UUID;

-- CreateTable
CREATE TABLE "offering_plans" (
    "uuid" UUID NOT NULL,
    "offering_uuid" UUID NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "offering_plans_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "waldur_sync_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "last_full_at" TIMESTAMPTZ(6),
    "last_incremental_at" TIMESTAMPTZ(6),
    "marks" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT NOT NULL DEFAULT '',
    "running_since" TIMESTAMPTZ(6),
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "waldur_sync_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "offering_plans_offering_uuid_idx" ON "offering_plans"("offering_uuid");

-- AddForeignKey
ALTER TABLE "offering_plans" ADD CONSTRAINT "offering_plans_offering_uuid_fkey" FOREIGN KEY ("offering_uuid") REFERENCES "offerings"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;

