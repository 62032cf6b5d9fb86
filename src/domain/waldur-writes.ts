import { assertNamedLocksHeld, type Prisma, type Transaction } from '../db/database.js';
import { transactionRetryingConflicts } from '../db/transactions.js';
import { WaldurApiError, type WaldurClient } from '../waldur/client.js';
import { mirrorOneResource, mirrorResourceOrders } from '../waldur/mirror.js';
import type { WaldurOrder, WaldurResource } from '../waldur/wire.js';
import { BackendIdRuleError, markFromWaldur, NotFoundError, ValidationError, WaldurUnavailableError } from './errors.js';

/**
 * The gateway's writes to Waldur (WALDUR.md §4): Waldur first, then the mirror from Waldur's own
 * answer, so the next read sees the change with Waldur's `modified`. No database transaction is
 * open while Waldur is asked: writers of one licence take turns through named locks
 * (withNamedLocks), and each write ends with one short transaction that mirrors what Waldur did.
 * A Waldur failure becomes a domain error: 404 → NotFound, 400 → Validation, the rest
 * (no answer, 429, 5xx, the circuit open) → WaldurUnavailable.
 */

/** The domain's words for a failed Waldur call. */
export function waldurFailure(err: unknown, doing: string): Error {
  if (!(err instanceof WaldurApiError)) return err instanceof Error ? err : new Error(String(err));
  if (err.status === 404) return markFromWaldur(new NotFoundError(`Cannot ${doing}: Waldur answered 404 (${err.waldurMessage})`));
  if (err.status === 400) return markFromWaldur(new ValidationError(`Waldur refused to ${doing}: ${err.waldurMessage}`));
  return markFromWaldur(new WaldurUnavailableError(`Cannot ${doing}: ${err.message}`));
}

async function call<T>(doing: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw waldurFailure(err, doing);
  }
}

/**
 * The live (not Terminated) resources Waldur has with this backend_id, in any offering. The answer
 * is Waldur's, not the mirror's: a link made in Waldur since the last sync is seen.
 */
export async function liveHoldersInWaldur(waldur: WaldurClient, licenseReference: string): Promise<WaldurResource[]> {
  const found = await call(`look up licence ${licenseReference}`, () => waldur.resources({ backend_id: licenseReference }));
  return found.filter((r) => r.backend_id === licenseReference && r.state !== 'Terminated');
}

/**
 * Sets backend_ids in Waldur, in order, then mirrors each resource as Waldur then has it and runs
 * `finish` in one short transaction. When a step fails, the steps already made are undone (their
 * old backend_id set again) before the failure is told; when the transaction fails (a restart, a
 * lost connection), the same: all or nothing, on both sides. The caller holds the licences' locks.
 */
export async function writeThrough<T>(prisma: Prisma, waldur: WaldurClient, changes: BackendIdChange[], finish: (tx: Transaction) => Promise<T>): Promise<T> {
  const done: BackendIdChange[] = [];
  try {
    for (const change of changes) {
      if (change.offering) await checkBackendIdRules(waldur, change.offering, change.to);
      await call(`set the backend_id of resource ${change.resourceUuid}`, () => waldur.setBackendId(change.resourceUuid, change.to));
      done.push(change);
    }
  } catch (err) {
    await undoBackendIds(waldur, done, err);
    throw err;
  }
  // the writes are made; a failed read-back mirrors the change as made, Waldur's `modified` comes with the next sync
  const readBack = await Promise.all(changes.map((c) => waldur.resource(c.resourceUuid).catch(() => null)));
  try {
    assertNamedLocksHeld();
    // rows in one order, by uuid: two writes over the same resources (a move each way) then wait
    // for each other instead of deadlocking
    const inOrder = changes.map((change, i) => ({ change, resource: readBack[i] })).sort((a, b) => (a.change.resourceUuid < b.change.resourceUuid ? -1 : a.change.resourceUuid > b.change.resourceUuid ? 1 : 0));
    return await transactionRetryingConflicts(prisma, async (tx) => {
      for (const { change, resource } of inOrder) {
        if (resource) await mirrorOneResource(tx, resource);
        else await tx.resource.updateMany({ where: { uuid: change.resourceUuid }, data: { backendId: change.to } });
      }
      const result = await finish(tx);
      assertNamedLocksHeld(); // the locks lost meanwhile: roll back, and Waldur is set back below
      return result;
    });
  } catch (err) {
    await undoBackendIds(waldur, done, err);
    throw err;
  }
}

export interface BackendIdChange {
  resourceUuid: string;
  from: string;
  to: string;
  /** The resource's offering as mirrored: its backend_id_rules are checked before `to` is set. */
  offering?: RuledOffering;
}

/** An offering as the mirror keeps it, with Waldur's backend_id_rules. */
export interface RuledOffering {
  uuid: string;
  name: string;
  backendIdRules: unknown;
}

interface BackendIdRules {
  format?: { regex?: string | null; description?: string | null } | null;
  uniqueness?: { scope?: string | null; include_terminated?: boolean | null } | null;
}

/**
 * Asks Waldur whether a backend_id passes the offering's backend_id_rules before it is written
 * (check_unique_backend_id, with the offering's rules): a format or a uniqueness Waldur would
 * refuse with a 400 is refused here, naming the rule. Offerings without rules cost no request; a
 * Waldur without the check (before 8.0.3) has no rules to enforce.
 */
export async function checkBackendIdRules(waldur: WaldurClient, offering: RuledOffering, value: string): Promise<void> {
  const rules = (offering.backendIdRules ?? {}) as BackendIdRules;
  if (!value || !(rules.format?.regex || rules.uniqueness?.scope)) return;
  const doing = `check licence ${value} against the backend_id rules of offering ${offering.name}`;
  const verdict = await waldur.checkBackendId(offering.uuid, value).catch((err: unknown) => {
    if (err instanceof WaldurApiError && err.status === 404) return null;
    throw waldurFailure(err, doing);
  });
  if (!verdict) return;
  const said = verdict.errors.length ? `: ${verdict.errors.join(' ')}` : '';
  if (verdict.is_valid_format === false) {
    const format = rules.format?.description || `the pattern ${rules.format?.regex}`;
    throw new BackendIdRuleError(`Offering ${offering.name}'s backend_id rules in Waldur refuse licence ${value}: format (${format})${said}`, 'FORMAT', verdict.errors);
  }
  if (!verdict.is_unique) {
    const terminated = rules.uniqueness?.include_terminated === false ? 'live resources' : 'terminated resources counted';
    throw new BackendIdRuleError(`Offering ${offering.name}'s backend_id rules in Waldur refuse licence ${value}: uniqueness within ${rules.uniqueness?.scope ?? 'the offering'} (${terminated})${said}`, 'UNIQUENESS', verdict.errors);
  }
}

/** Sets the old backend_ids again, last change first; what could not be undone is added to err's message. */
async function undoBackendIds(waldur: WaldurClient, done: BackendIdChange[], err: unknown) {
  const steps = [...done].reverse();
  const undone = await Promise.allSettled(steps.map((c) => waldur.setBackendId(c.resourceUuid, c.from)));
  const failedUndo = steps.filter((_, i) => undone[i]!.status === 'rejected');
  if (failedUndo.length && err instanceof Error) {
    err.message += `; undoing the steps already made failed too: Waldur still has ${failedUndo.map((c) => `backend_id "${c.to}" on resource ${c.resourceUuid}`).join(', ')} until the next sync`;
  }
}

export interface WaldurImport {
  name: string;
  projectUuid: string;
  offeringUuid: string;
  licenseReference: string;
  planUuid?: string | null;
  /** The offering as mirrored: its backend_id_rules are checked before anything is created. */
  offering?: RuledOffering;
}

/**
 * Creates the licence's resource in Waldur through the backend-resources import (§4.2 B): a
 * backend resource, then the staff import that makes it a resource with a done Create order.
 * A failed import step deletes the backend resource again. The new resource and its order are
 * mirrored from Waldur's answers.
 */
export async function importIntoWaldur(waldur: WaldurClient, input: WaldurImport): Promise<WaldurResource> {
  const doing = `import licence ${input.licenseReference} into Waldur`;
  if (input.offering) await checkBackendIdRules(waldur, input.offering, input.licenseReference);
  const backend = await backendResourceFor(waldur, input, doing);
  let resource: WaldurResource;
  try {
    resource = await waldur.importBackendResource(backend.uuid, input.planUuid);
  } catch (err) {
    const failure = waldurFailure(err, doing);
    await waldur.deleteBackendResource(backend.uuid).catch((undoErr: unknown) => {
      failure.message += `; deleting its backend resource ${backend.uuid} failed too (${undoErr instanceof Error ? undoErr.message : String(undoErr)})`;
    });
    throw failure;
  }
  return resource;
}

/**
 * Step 1 of an import: the backend resource Waldur already has for this licence in this offering
 * and project (an earlier attempt's create whose answer was lost stays in the importable list),
 * else a new one. A create that gets no answer is looked for once more before it fails, so a
 * retry adopts it instead of leaving a second one behind.
 */
async function backendResourceFor(waldur: WaldurClient, input: WaldurImport, doing: string) {
  const find = async () => (await waldur.backendResources({ backend_id: input.licenseReference, offering_uuid: input.offeringUuid, project_uuid: input.projectUuid }))[0] ?? null;
  const earlier = await call(doing, find);
  if (earlier) return earlier;
  try {
    return await waldur.createBackendResource({ name: input.name, project: input.projectUuid, offering: input.offeringUuid, backendId: input.licenseReference });
  } catch (err) {
    const lost = err instanceof WaldurApiError && (err.status === 0 || err.status >= 500);
    const made = lost ? await find().catch(() => null) : null;
    if (made) return made;
    throw waldurFailure(err, doing);
  }
}

/** The Create orders of a resource Waldur created (none when Waldur cannot say now: the next sync brings them). */
export function createOrdersOf(waldur: WaldurClient, resource: WaldurResource): Promise<WaldurOrder[]> {
  return waldur.orders({ resource_uuid: resource.uuid.replace(/-/g, ''), type: 'Create' }).catch(() => []);
}

/** A resource Waldur created, and its Create orders, into the mirror. */
export async function mirrorCreated(tx: Transaction, resource: WaldurResource, orders: WaldurOrder[]) {
  await mirrorOneResource(tx, resource);
  await mirrorResourceOrders(tx, orders, resource);
}
