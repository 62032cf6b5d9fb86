import type { Prisma } from './database.js';
import { DEMO_API_KEY, DEMO_ARROW_API_URL, DEMO_OFFERING_NAME, type DemoDataset } from '../demo/dataset.js';
import { periodOf } from '../domain/periods.js';
import type { FlowDeps } from '../domain/flows/runs.js';
import { runBillingSync, runValidation } from '../domain/flows/billing-sync.js';
import { runConsumptionSync } from '../domain/flows/consumption-sync.js';
import { runReconciliation } from '../domain/flows/reconciliation.js';
import { createToken, createUser } from '../domain/users.js';

/**
 * Loads the demo into a database without Waldur customers and returns the token of its staff
 * user, which is shown once; returns null when the database already had data.
 */
export async function loadDemoData(prisma: Prisma, dataset: DemoDataset, arrow: { apiUrl: string; apiKey: string }): Promise<string | null> {
  if ((await prisma.waldurCustomer.count()) > 0) return null;

  await prisma.$transaction(async (tx) => {
    const offering = await tx.offering.create({ data: { name: DEMO_OFFERING_NAME } });
    await tx.offering.create({ data: { name: 'Microsoft CSP', type: 'Arrow.License' } });
    const settings = await tx.arrowSettings.create({
      data: {
        apiUrl: arrow.apiUrl,
        apiKey: arrow.apiKey,
        exportTypeReference: dataset.fixture.exportTypes?.[0]?.reference ?? '',
        partnerReference: dataset.fixture.partner.reference,
        partnerName: dataset.fixture.partner.companyName,
        syncEnabled: true,
      },
    });
    const customerUuids = new Map<string, string>();
    for (const c of dataset.waldurCustomers) {
      const customer = await tx.waldurCustomer.create({ data: { name: c.name, abbreviation: c.abbreviation } });
      customerUuids.set(c.name, customer.uuid);
      for (const p of c.projects) {
        const project = await tx.project.create({ data: { name: p.name, customerUuid: customer.uuid } });
        for (const r of p.resources) {
          const resource = await tx.resource.create({
            data: { name: r.name, backendId: r.backendId, projectUuid: project.uuid, offeringUuid: offering.uuid },
          });
          await tx.order.create({
            data: { type: 'CREATE', state: 'DONE', resourceUuid: resource.uuid, offeringUuid: offering.uuid, projectUuid: project.uuid },
          });
        }
      }
    }
    await tx.customerMapping.createMany({
      data: dataset.mappings.map((m) => ({
        settingsUuid: settings.uuid,
        arrowReference: m.arrowReference,
        arrowCompanyName: m.arrowCompanyName,
        waldurCustomerUuid: customerUuids.get(m.waldurCustomerName)!,
      })),
    });
  });
  if (!(await prisma.user.findUnique({ where: { username: 'staff' } }))) await createUser(prisma, 'staff', true);
  return createToken(prisma, 'staff');
}

/**
 * Demo settings saved by earlier releases name their simulator's loopback port, which changes
 * at every start; they take the fixed demo URL once. The same value from every replica.
 */
export async function adoptDemoUrl(prisma: Prisma): Promise<void> {
  await prisma.arrowSettings.updateMany({
    where: { apiKey: DEMO_API_KEY, apiUrl: { startsWith: 'http://127.0.0.1:', endsWith: '/index.php/api/' } },
    data: { apiUrl: DEMO_ARROW_API_URL },
  });
}

/**
 * Fills billing syncs and consumption records for the demo's three months (the oldest also
 * validated and reconciled, the previous one validated), so a fresh start shows figures.
 */
export async function runDemoFlows(deps: FlowDeps, now = new Date()): Promise<void> {
  for (const monthsBack of [2, 1, 0]) {
    const period = periodOf(now, monthsBack);
    await runBillingSync(deps, { period });
    await runConsumptionSync(deps, { period });
    if (monthsBack > 0) await runValidation(deps, { period });
    if (monthsBack === 2) await runReconciliation(deps, { period });
  }
}
