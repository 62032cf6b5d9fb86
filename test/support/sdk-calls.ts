import { expect } from 'vitest';
import type { TestGateway } from './gateway.js';
import { record } from './secret-scan.js';
import { loadSdk, sdkViolations, type SdkModels } from './sdk-models.js';

/** An operation of Waldur's SDK as transcribed: its path, the status it parses, its model. */
export interface SdkOperation {
  method: string;
  path: string;
  status: number;
  model: string | null;
  many?: boolean;
}

/**
 * Calls a gateway's REST as Waldur's SDK would (`call`: one operation, its status and its answer's
 * model checked, a 202's background flow awaited) or plainly (`send`), as the staff user.
 * `seen` lists the operations called, so a test can show it called them all.
 */
export function sdkCalls(file: string, target: () => { gw: TestGateway; base: string }) {
  const sdk = loadSdk<{ basePath?: string; operations: Record<string, SdkOperation>; models: SdkModels }>(file);
  const seen = new Set<string>();
  async function send(method: string, path: string, body?: unknown) {
    const { gw, base } = target();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Token ${gw.staffToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    record('body', text);
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  async function call(operation: string, options: { uuid?: string; body?: unknown; query?: string } = {}) {
    const op = sdk.operations[operation]!;
    const res = await send(op.method, `${sdk.basePath ?? ''}${op.path.replace('{uuid}', options.uuid ?? '')}${options.query ?? ''}`, options.body);
    expect(res.status, `${operation}: ${JSON.stringify(res.body)}`).toBe(op.status);
    if (op.model) {
      const items = op.many ? (res.body as unknown[]) : [res.body];
      expect(items.length, `${operation} answered nothing to check`).toBeGreaterThan(0);
      expect(items.flatMap((item, i) => sdkViolations(sdk.models, op.model!, item, `${operation}${op.many ? `[${i}]` : ''}`))).toEqual([]);
    }
    if (op.status === 202) await target().gw.background.settled();
    seen.add(operation);
    return res.body;
  }
  return { sdk, seen, send, call };
}
