import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../support/process.js';
import { openDatabase } from '../../src/db/database.js';
import { createPostgresDatabase, databaseKinds } from '../support/db.js';

const ADMIN_TOKEN = 'kill-test-admin-token-0123456789';
const WALDUR_TOKEN = 'kill-test-waldur-token-0123456789';

describe.each(databaseKinds)('a gateway killed with SIGKILL amid a stream of imports (%s)', (kind) => {
  it('restarts with every import either complete (resource and order) or absent, and a retry completes it once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-kill-'));
    const pg = kind === 'postgresql' ? await createPostgresDatabase() : null;
    // Waldur outlives the gateway: a simulator process of its own, holding the demo's Waldur
    const waldur = startProcess('src/waldur-sim/cli.ts', ['--port', '0', '--token', WALDUR_TOKEN, '--demo'], {});
    const [, waldurUrl] = await waldur.waitFor(/Waldur simulator: (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    const env = { DATA_DIR: dataDir, PORT: '0', ADMIN_TOKEN, DATABASE_URL: pg?.url ?? '', DEMO_DATA: 'true', ARROW_API_URL: '', WALDUR_API_URL: waldurUrl, WALDUR_API_TOKEN: WALDUR_TOKEN, FLOW_INTERVAL_MINUTES: '0', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
    try {
      let gw = startProcess('src/main.ts', [], env);
      let [, base] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000);
      const headers = { 'content-type': 'application/json', authorization: `Token ${ADMIN_TOKEN}` };
      const screen = await (await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: '{ customerMappings(first: 1) { edges { node { uuid arrowLicenses { licenseReference } waldurResources { backendId } waldurCustomer { projects { uuid } } } } } offerings(first: 1) { edges { node { uuid } } } }' }) })).json();
      const mapping = screen.data.customerMappings.edges[0].node;
      // licences are checked against Arrow, so each stream imports one real, free licence of the
      // customer again and again, unlinking the new resource after each import
      const held = new Set(mapping.waldurResources.map((r: { backendId: string }) => r.backendId));
      const free: string[] = mapping.arrowLicenses.map((l: { licenseReference: string }) => l.licenseReference).filter((ref: string) => !held.has(ref));
      expect(free.length).toBeGreaterThan(0);
      const M = `${base}/api/admin/arrow/customer-mappings/${mapping.uuid}`;
      const body = (i: number, licence: string) => JSON.stringify({ license_reference: licence, license_name: `KILL-${i}`, offering_uuid: screen.data.offerings.edges[0].node.uuid, project_uuid: mapping.waldurCustomer.projects[0].uuid });

      let answered = 0;
      let next = 0;
      const stream = free.slice(0, 4).map(async (licence) => {
        while (next < 10_000) {
          const i = next++;
          try {
            const res = await fetch(`${M}/import_license/`, { method: 'POST', headers, body: body(i, licence) });
            if (res.status !== 200) continue;
            answered++;
            const { resource_uuid } = (await res.json()) as { resource_uuid: string };
            await fetch(`${M}/link_resource/`, { method: 'POST', headers, body: JSON.stringify({ resource_uuid, license_reference: '' }) });
          } catch {
            return; // the process is gone
          }
        }
      });
      while (answered < 40) await new Promise((r) => setTimeout(r, 10));
      gw.child.kill('SIGKILL');
      await Promise.all(stream);
      await gw.stop();

      gw = startProcess('src/main.ts', [], env);
      [, base] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      // each stream's licence imported once more, as a script retrying its interrupted import
      // would: done now (200), or done before the kill and refused as a repeat (400, as Waldur
      // answers a conflicting write, naming the resource that holds it); either way
      // the licence then backs exactly one live resource, in Waldur and in the mirror alike
      const M2 = `${base}/api/admin/arrow/customer-mappings/${mapping.uuid}`;
      for (const [k, licence] of free.slice(0, 4).entries()) {
        const res = await fetch(`${M2}/import_license/`, { method: 'POST', headers, body: body(10_000 + k, licence) });
        if (res.status !== 200) expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: { error: expect.stringMatching(/has already been imported: it backs resource/) } });
      }
      await gw.stop();

      // Waldur's side, as Waldur has it after the kill
      const inWaldur = (await (await fetch(`${waldurUrl}/api/marketplace-resources/?page_size=300`, { headers: { authorization: `Token ${WALDUR_TOKEN}` } })).json()) as { uuid: string; name: string; backend_id: string; state: string }[];
      const killedInWaldur = inWaldur.filter((r) => r.name.startsWith('KILL-'));
      const db = await openDatabase({ dataDir, databaseUrl: pg?.url });
      try {
        const imported = await db.prisma.resource.findMany({ where: { name: { startsWith: 'KILL-' } }, include: { orders: true } });
        expect(imported.length).toBeGreaterThanOrEqual(kind === 'postgresql' ? answered : 1);
        for (const r of imported) expect(r.orders.map((o) => [o.type, o.state])).toEqual([['CREATE', 'DONE']]);
        const orphanOrders = await db.prisma.order.count({ where: { resource: { name: { startsWith: 'KILL-' } }, NOT: { resourceUuid: { in: imported.map((r) => r.uuid) } } } });
        expect(orphanOrders).toBe(0);
        // a licence backs at most one live resource, whatever moment the kill came
        const duplicates = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT backend_id FROM resources WHERE backend_id <> '' AND state <> 'TERMINATED' GROUP BY 1 HAVING count(*) > 1) d`);
        expect(duplicates[0]!.n).toBe(0);
        for (const licence of free.slice(0, 4)) {
          expect(inWaldur.filter((r) => r.backend_id === licence && r.state !== 'Terminated')).toHaveLength(1);
          expect(await db.prisma.resource.count({ where: { backendId: licence, state: { not: 'TERMINATED' } } })).toBe(1);
        }
        // both sides agree: the restart's full sync mirrored every resource Waldur made, and nothing else
        expect(imported.map((r) => r.uuid.replace(/-/g, '')).sort()).toEqual(killedInWaldur.map((r) => r.uuid).sort());
      } finally {
        await db.close();
      }
    } finally {
      await waldur.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await pg?.drop();
    }
  }, 180_000);
});
