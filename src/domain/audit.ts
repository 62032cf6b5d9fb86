import type { Prisma } from '../db/database.js';
import type { Viewer } from './users.js';
import { containsText } from './text-filter.js';

/**
 * Who did what (README "Who did what"): every mutation and REST write is recorded with its actor
 * (the Waldur user or the gateway's own), what it did, what it acted on and how it ended, after
 * it ended. A failure to record is logged, never turned into a failure of the write itself.
 */
export interface AuditRecord {
  viewer: Viewer | null;
  operation: string;
  target: string;
  outcome: string;
  requestId?: string;
}

export async function recordAudit(prisma: Prisma, entries: AuditRecord[]): Promise<void> {
  if (!entries.length) return;
  await prisma.auditEntry.createMany({
    data: entries.map((e) => ({
      actorUuid: e.viewer?.uuid ?? null,
      actorUsername: e.viewer?.username ?? '',
      actorSource: e.viewer ? (e.viewer.source ?? 'local') : '',
      operation: e.operation.slice(0, 200),
      target: e.target.slice(0, 1000),
      outcome: e.outcome.slice(0, 200),
      requestId: e.requestId ?? '',
    })),
  });
}

/** What an operation acted on, from its arguments: the identifiers a person searches by. */
export function auditTarget(args: Record<string, unknown>): string {
  const parts: string[] = [];
  const visit = (value: unknown, key: string) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value)) return Object.entries(value as Record<string, unknown>).forEach(([k, v]) => visit(v, k));
    if (Array.isArray(value)) return value.slice(0, 20).forEach((v) => visit(v, key));
    // the names of things, never a secret (an API key is not an identifier)
    if (/key|token|secret|password/i.test(key)) return;
    if (/uuid|reference|period|username|name|^id$|ids$/i.test(key)) parts.push(`${key}=${String(value)}`);
  };
  visit(args, '');
  return parts.join(' ');
}

/** The audit log, newest first, filtered by actor and by what was acted on. */
export function auditWhere(filter: { username?: string | null; target?: string | null; operation?: string | null }) {
  return {
    ...(filter.username ? { actorUsername: filter.username } : {}),
    ...(filter.target ? { target: containsText(filter.target) } : {}),
    ...(filter.operation ? { operation: filter.operation } : {}),
  };
}

/** Who a request came from, for its log line (GraphQL and REST set it; the HTTP server reads it). */
export const requestActors = new WeakMap<object, string>();

export function actorLabel(viewer: Viewer): string {
  return `${viewer.username} (${viewer.source ?? 'local'} ${viewer.uuid})`;
}
