import type { Prisma } from '../db/database.js';
import { NotFoundError } from './errors.js';
import { activeSettings } from './settings.js';
import { isUuid } from './mappings.js';

/**
 * Pausing and resuming the scheduled flows (Waldur's pause_sync / resume_sync): per settings
 * (their syncEnabled) or, for consumption syncs, for all settings at once (one switch).
 */

export async function consumptionSyncEnabled(prisma: Prisma): Promise<boolean> {
  return (await prisma.flowControl.findUnique({ where: { id: 1 } }))?.consumptionSyncEnabled ?? true;
}

export class SettingsNotFoundError extends NotFoundError {
  constructor(uuid: string) {
    super(`Settings not found: ${uuid}`);
  }
}

/**
 * Sets the switches: `global` the consumption syncs of all settings, `settingsUuid` that
 * settings' syncEnabled; neither, the active settings' (if any). One transaction. Answers what
 * it switched: "global" and settings uuids.
 */
export async function setSyncEnabled(prisma: Prisma, enabled: boolean, target: { settingsUuid?: string | null; global?: boolean }): Promise<string[]> {
  if (target.settingsUuid && !(isUuid(target.settingsUuid) && (await prisma.arrowSettings.findUnique({ where: { uuid: target.settingsUuid }, select: { uuid: true } })))) {
    throw new SettingsNotFoundError(target.settingsUuid);
  }
  const settingsUuid = target.settingsUuid ?? (target.global ? null : (await activeSettings(prisma))?.uuid ?? null);
  return prisma.$transaction(async (tx) => {
    const switched: string[] = [];
    if (target.global) {
      await tx.flowControl.upsert({ where: { id: 1 }, create: { id: 1, consumptionSyncEnabled: enabled }, update: { consumptionSyncEnabled: enabled } });
      switched.push('global');
    }
    if (settingsUuid) {
      await tx.arrowSettings.update({ where: { uuid: settingsUuid }, data: { syncEnabled: enabled } });
      switched.push(settingsUuid);
    }
    return switched;
  });
}

/** Whether consumption syncs run: for all settings, for the active ones, and when they last wrote a record. */
export async function consumptionStatus(prisma: Prisma) {
  const [global, settings, last] = await Promise.all([
    consumptionSyncEnabled(prisma),
    activeSettings(prisma),
    prisma.consumptionRecord.aggregate({ _max: { lastSyncAt: true } }),
  ]);
  return { globalSyncEnabled: global, settingsSyncEnabled: settings?.syncEnabled ?? false, settingsUuid: settings?.uuid ?? null, lastSyncRun: last._max.lastSyncAt };
}
