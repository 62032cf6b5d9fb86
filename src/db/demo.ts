import type { Prisma } from './database.js';
import { DEMO_API_KEY, DEMO_ARROW_API_URL, type DemoDataset } from '../demo/dataset.js';
import { periodOf } from '../domain/periods.js';
import type { FlowDeps } from '../domain/flows/runs.js';
import { runBillingSync, runValidation } from '../domain/flows/billing-sync.js';
import { runConsumptionSync } from '../domain/flows/consumption-sync.js';
import { runReconciliation } from '../domain/flows/reconciliation.js';
import { runInvoicePush } from '../domain/flows/invoice-push.js';
import { createToken, createUser } from '../domain/users.js';

/**
 * Loads the gateway's own part of the demo (Arrow settings, mappings) into a database that has
 * none, over the Waldur customers the mirror holds, and returns the token of its staff user,
 * which is shown once; returns null when the database already had settings.
 */
export async function loadDemoData(prisma: Prisma, dataset: DemoDataset, arrow: { apiUrl: string; apiKey: string }): Promise<string | null> {
  if ((await prisma.arrowSettings.count()) > 0) return null;
  const customers = await prisma.waldurCustomer.findMany({ where: { name: { in: dataset.mappings.map((m) => m.waldurCustomerName) } }, select: { uuid: true, name: true } });
  const customerUuids = new Map(customers.map((c) => [c.name, c.uuid]));
  await prisma.$transaction(async (tx) => {
    const settings = await tx.arrowSettings.create({
      data: {
        apiUrl: arrow.apiUrl,
        apiKey: arrow.apiKey,
        exportTypeReference: dataset.fixture.exportTypes?.[0]?.reference ?? '',
        partnerReference: dataset.fixture.partner.reference,
        partnerName: dataset.fixture.partner.companyName,
        syncEnabled: true,
        // the demo shows Arrow's charges on the simulated Waldur's invoices
        waldurBilling: 'INVOICE_ITEMS',
      },
    });
    // only customers the Waldur attached has: a real Waldur need not hold the demo's
    await tx.customerMapping.createMany({
      data: dataset.mappings
        .filter((m) => customerUuids.has(m.waldurCustomerName))
        .map((m) => ({ settingsUuid: settings.uuid, arrowReference: m.arrowReference, arrowCompanyName: m.arrowCompanyName, waldurCustomerUuid: customerUuids.get(m.waldurCustomerName)! })),
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
 * validated and reconciled, the previous one validated), and puts their lines on the simulated
 * Waldur's invoices, so a fresh start shows figures.
 */
export async function runDemoFlows(deps: FlowDeps, now = new Date()): Promise<void> {
  for (const monthsBack of [2, 1, 0]) {
    const period = periodOf(now, monthsBack);
    await runBillingSync(deps, { period });
    await runConsumptionSync(deps, { period });
    if (monthsBack > 0) await runValidation(deps, { period });
    if (monthsBack === 2) await runReconciliation(deps, { period });
    await runInvoicePush(deps, { period });
  }
}
