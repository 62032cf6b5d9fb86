-- CreateTable
CREATE TABLE "data_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "data_version_pkey" PRIMARY KEY ("id")
);


-- One row, and a trigger on every table the screens read: the first write of a transaction moves
-- the version once, deferred to the commit, so the new version is visible only with the new data.
INSERT INTO "data_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('gateway.data_version_bumped', true) = 'on' THEN RETURN NULL; END IF;
  PERFORM set_config('gateway.data_version_bumped', 'on', true);
  UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['arrow_settings', 'customer_mappings', 'waldur_customers', 'projects', 'offerings', 'offering_plans', 'resources', 'orders',
    'billing_syncs', 'billing_sync_items', 'consumption_records', 'adjustments', 'flow_runs', 'vendor_offering_mappings', 'flow_controls', 'waldur_sync_state']
  LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"()', t || '_data_version', t);
  END LOOP;
END $$;
