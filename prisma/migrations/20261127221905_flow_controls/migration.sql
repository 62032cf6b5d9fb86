-- CreateTable
CREATE TABLE "flow_controls" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "consumption_sync_enabled" BOOLEAN NOT NULL DEFAULT true,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_controls_pkey" PRIMARY KEY ("id")
);

