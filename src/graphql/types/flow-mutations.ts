import { builder } from '../builder.js';
import { parsePeriod } from '../../domain/periods.js';
import { runBillingSync, runValidation } from '../../domain/flows/billing-sync.js';
import { runConsumptionSync } from '../../domain/flows/consumption-sync.js';
import { runReconciliation } from '../../domain/flows/reconciliation.js';
import { runInvoicePush } from '../../domain/flows/invoice-push.js';
import { checkFlowTargets, type FlowDeps, type FlowOptions } from '../../domain/flows/runs.js';
import type { FlowRun } from '../../generated/prisma/client.js';
import { DOMAIN_ERRORS } from './errors.js';
import { FlowRunRef } from './billing.js';

const FLOWS = {
  runBillingSync: [runBillingSync, "Reads the month's billing export into billing syncs (one per mapped customer and statement)."],
  runBillingValidation: [runValidation, 'Marks the SYNCED syncs of a month that is over as VALIDATED.'],
  runConsumptionSync: [runConsumptionSync, "Reads each linked licence's consumption of the month into its consumption record."],
  runReconciliation: [runReconciliation, 'Takes final prices from the billing export, stamps records reconciled and records differences as adjustments.'],
  runInvoicePush: [runInvoicePush, "Puts the month's billing lines on their Waldur customers' invoices (settings with waldurBilling INVOICE_ITEMS), each once."],
} satisfies Record<string, [(deps: FlowDeps, options: FlowOptions) => Promise<FlowRun>, string]>;

for (const [name, [flow, description]] of Object.entries(FLOWS)) {
  builder.mutationField(name, (t) =>
    t.field({
      type: FlowRunRef,
      description: `${description} Runs now and answers the recorded run.`,
      errors: { types: DOMAIN_ERRORS, dataField: { name: 'run' } },
      args: {
        period: t.arg.string({ required: true, description: 'YYYY-MM' }),
        settingsUuid: t.arg({ type: 'UUID', required: false, description: 'Default: the active settings.' }),
        ...(name === 'runReconciliation' ? { force: t.arg.boolean({ required: false, description: 'Redo reconciled records and syncs not yet validated.' }) } : {}),
        ...(name === 'runConsumptionSync'
          ? {
              resourceUuid: t.arg({ type: 'UUID', required: false, description: "Only this resource's licence." }),
              force: t.arg.boolean({ required: false, description: 'Read finalized months again too (final prices stay).' }),
            }
          : {}),
      },
      resolve: async (_root, args, ctx) => {
        const { force, resourceUuid } = args as { force?: boolean | null; resourceUuid?: string | null };
        await checkFlowTargets(ctx.prisma, { resourceUuid });
        return flow({ db: ctx.db, arrow: ctx.arrow, waldur: ctx.waldur, logger: ctx.logger }, { period: parsePeriod(args.period), settingsUuid: args.settingsUuid, force: force ?? false, resourceUuid });
      },
    }),
  );
}
