-- AlterTable
ALTER TABLE "offerings" ADD COLUMN     "backend_id_rules" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "resources" ADD COLUMN     "license_in_attributes" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "license_reference" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "resources_license_reference_idx" ON "resources"("license_reference");



-- A resource's licence is its backend_id unless Waldur's attributes name it: kept so by the
-- database, whoever writes the row (the mirror, a write-through, a test's fixture).
CREATE FUNCTION "resource_license_reference"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT NEW."license_in_attributes" THEN
    NEW."license_reference" := NEW."backend_id";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "resources_license_reference" BEFORE INSERT OR UPDATE ON "resources"
  FOR EACH ROW EXECUTE FUNCTION "resource_license_reference"();

-- every resource mirrored so far was read without its attributes: its licence is its backend_id
-- until the next full sync reads them
UPDATE "resources" SET "license_reference" = "backend_id";
