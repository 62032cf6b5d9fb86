-- The Waldur sync's own bookkeeping (waldur_sync_state, written at the start and end of every sync,
-- even one that found nothing) and long work's progress rows (work, written at each step) no longer
-- move the data version: they dropped every kept answer while changing none a kept answer shows.
-- The answers that do read them (waldurSync, work, recentWork, a Work through node) are not kept.
DROP TRIGGER IF EXISTS "waldur_sync_state_data_version" ON "waldur_sync_state";
DROP TRIGGER IF EXISTS "work_data_version" ON "work";
