import { useMemo, useState } from 'react';
import { failure, request, thisMonth } from '../api';
import { BillingScreenQuery, StartFlowMutation, StartWaldurSyncMutation, UnbilledChargesQuery } from '../documents';
import type { StartableFlow, UnbilledChargesQuery as Unbilled, WorkFieldsFragment } from '../gql/graphql';
import { useQuery } from '../useQuery';
import { WorkPanel } from '../components/WorkPanel';
import { MonthlyChart } from '../components/MonthlyChart';
import { formatCents, toCents } from '../money';

const FLOWS: [StartableFlow, string][] = [
  ['CONSUMPTION_SYNC', 'Consumption sync'],
  ['BILLING_SYNC', 'Billing sync'],
  ['VALIDATION', 'Billing validation'],
  ['RECONCILIATION', 'Reconciliation'],
  ['INVOICE_PUSH', "Push to Waldur's invoices"],
];

/** Consumption against billing per month (overall or one mapping), adjustments, flow runs and flows to start: one query. */
export function BillingScreen() {
  const [mappingUuid, setMappingUuid] = useState('');
  const [started, setStarted] = useState<WorkFieldsFragment[]>([]);
  const [flow, setFlow] = useState<StartableFlow>('CONSUMPTION_SYNC');
  const [period, setPeriod] = useState(thisMonth());
  const [message, setMessage] = useState<string | null>(null);
  const { data, error, reload } = useQuery(BillingScreenQuery, { mappingUuid: mappingUuid || null });

  const months = useMemo(() => {
    const byMonth = new Map<string, { consumption: number; billing: number }>();
    const month = (p: string) => byMonth.get(p) ?? (byMonth.set(p, { consumption: 0, billing: 0 }), byMonth.get(p)!);
    for (const { node } of data?.consumptionRecords.edges ?? []) month(node.billingPeriod.slice(0, 7)).consumption += toCents(node.finalSell ?? node.consumedSell);
    for (const { node } of data?.billingSyncs.edges ?? []) month(node.reportPeriod).billing += toCents(node.sellTotal);
    return [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, m]) => ({ period: p, consumption: m.consumption / 100, billing: m.billing / 100 }));
  }, [data]);

  const start = async (run: () => Promise<{ __typename: string; message?: string; work?: WorkFieldsFragment }>) => {
    setMessage(null);
    try {
      const answer = await run();
      const problem = failure(answer);
      if (problem) return setMessage(problem);
      if (answer.work) setStarted((s) => [answer.work!, ...s]);
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };

  // per month and customer: what Arrow billed against what is on Waldur's invoices, pending and failed
  const invoicing = useMemo(() => {
    const rows = new Map<string, { period: string; customer: string; billed: number; invoiced: number; pending: number; failed: number; problems: { line: string; state: string; why: string }[] }>();
    for (const { node } of data?.billingSyncs.edges ?? []) {
      const key = `${node.reportPeriod}|${node.customerMapping.uuid}`;
      const row = rows.get(key) ?? { period: node.reportPeriod, customer: node.customerMapping.arrowCompanyName, billed: 0, invoiced: 0, pending: 0, failed: 0, problems: [] };
      row.billed += toCents(node.sellTotal);
      for (const item of node.items) {
        const cents = toCents(item.originalPrice);
        if (item.waldurState === 'INVOICED') row.invoiced += cents;
        else if (item.waldurState === 'PENDING') row.pending += cents;
        else if (item.waldurState === 'FAILED') row.failed += cents;
        if (item.waldurState === 'PENDING' || item.waldurState === 'FAILED' || (item.waldurState === 'SKIPPED' && item.waldurError)) {
          row.problems.push({ line: item.description || item.arrowLineReference, state: item.waldurState.toLowerCase(), why: item.waldurError });
        }
      }
      rows.set(key, row);
    }
    return [...rows.values()].sort((a, b) => b.period.localeCompare(a.period) || a.customer.localeCompare(b.customer));
  }, [data]);

  const mappingName = data?.customerMappings.edges.find((e) => e.node.uuid === mappingUuid)?.node.arrowCompanyName;
  const adjustments = (data?.adjustedItems.edges ?? []).filter((e) => !mappingUuid || e.node.billingSync.customerMapping.uuid === mappingUuid);
  return (
    <section aria-labelledby="billing-title">
      <h1 id="billing-title">Billing and consumption</h1>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label>
          Customer{' '}
          <select value={mappingUuid} onChange={(e) => setMappingUuid(e.target.value)}>
            <option value="">all mapped customers</option>
            {data?.customerMappings.edges.map(({ node }) => <option key={node.uuid} value={node.uuid}>{node.arrowCompanyName} ({node.waldurCustomer.name})</option>)}
          </select>
        </label>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {data && <MonthlyChart months={months} title={`Monthly consumption against billing (sell), ${mappingName ?? 'all customers'}`} />}

      <h2>Run a flow</h2>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void start(async () => (await request(StartFlowMutation, { flow, period })).startFlow);
        }}
      >
        <label>
          Flow{' '}
          <select value={flow} onChange={(e) => setFlow(e.target.value as StartableFlow)}>
            {FLOWS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <label>
          Month <input type="month" value={period} onChange={(e) => setPeriod(e.target.value)} required />
        </label>
        <button type="submit">Run flow</button>
        <button type="button" onClick={() => void start(async () => (await request(StartWaldurSyncMutation, {})).startWaldurSync)}>Sync from Waldur</button>
      </form>
      {message && <p role="alert" className="error">{message}</p>}
      <WorkPanel found={data?.recentWork ?? []} started={started} onEnded={() => void reload()} />
      {started.length > 0 && <button type="button" onClick={() => void reload()}>Refresh figures</button>}

      <h2>In Waldur's invoices</h2>
      {invoicing.length === 0 ? (
        <p className="muted">No billing syncs yet.</p>
      ) : (
        <table className="compact waldur-invoicing">
          <thead>
            <tr><th scope="col">Month</th><th scope="col">Customer</th><th scope="col" className="num">Arrow billed</th><th scope="col" className="num">On Waldur's invoices</th><th scope="col" className="num">Pending</th><th scope="col" className="num">Failed</th><th scope="col">Why not on an invoice</th><th scope="col"><span className="sr-only">Action</span></th></tr>
          </thead>
          <tbody>
            {invoicing.map((row) => (
              <tr key={`${row.period}|${row.customer}`}>
                <td>{row.period}</td>
                <td>{row.customer}</td>
                <td className="num">{formatCents(row.billed)}</td>
                <td className="num">{formatCents(row.invoiced)}</td>
                <td className="num">{formatCents(row.pending)}</td>
                <td className="num">{formatCents(row.failed)}</td>
                <td>{row.problems.map((p) => `${p.line} (${p.state}): ${p.why}`).join('; ')}</td>
                <td>
                  {(row.pending > 0 || row.failed > 0) && (
                    <button type="button" onClick={() => void start(async () => (await request(StartFlowMutation, { flow: 'INVOICE_PUSH', period: row.period })).startFlow)}>
                      Push {row.period} again
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <UnbilledPanel settings={[...new Map((data?.customerMappings.edges ?? []).map((e) => [e.node.settings.uuid, e.node.settings.partnerName])).entries()]} />

      <h2>Adjustments</h2>
      {adjustments.length === 0 ? (
        <p className="muted">No adjustments.</p>
      ) : (
        <table className="compact">
          <thead><tr><th scope="col">Month</th><th scope="col">Customer</th><th scope="col">Line</th><th scope="col">Amount</th><th scope="col">Why</th></tr></thead>
          <tbody>
            {adjustments.map(({ node }) => (
              <tr key={`${node.billingSync.reportPeriod}|${node.arrowLineReference}`}>
                <td>{node.billingSync.reportPeriod}</td>
                <td>{node.billingSync.customerMapping.arrowCompanyName}</td>
                <td>{node.description || node.arrowLineReference}</td>
                <td className="num">{formatCents(toCents(node.adjustment?.amount))}</td>
                <td>{node.adjustment?.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Flow runs</h2>
      <table className="compact flow-runs">
        <thead><tr><th scope="col">Started</th><th scope="col">Flow</th><th scope="col">Month</th><th scope="col">State</th><th scope="col">Created / updated / unchanged / skipped / failed</th><th scope="col">Errors</th></tr></thead>
        <tbody>
          {data?.flowRuns.edges.map(({ node }) => (
            <tr key={node.uuid}>
              <td>{new Date(node.startedAt).toLocaleString()}</td>
              <td>{node.kind}</td>
              <td>{node.period}</td>
              <td>{node.status}{node.message ? `: ${node.message}` : ''}</td>
              <td className="num">{node.created} / {node.updated} / {node.unchanged} / {node.skipped} / {node.failed}</td>
              <td>{node.errors.map((e) => `${e.reference}: ${e.message}`).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Charges = Extract<Unbilled['unbilledArrowCharges'], { __typename: 'QueryUnbilledArrowChargesSuccess' }>['charges'];

const CAUSES: Record<string, string> = {
  CUSTOMER_NOT_MAPPED: 'Arrow customer not mapped',
  WALDUR_BILLING_OFF: 'Waldur billing off for these settings',
  NOT_PUSHED_YET: 'Not pushed yet',
  NO_STABLE_IDENTITY: 'No Sequence or Order Id in the export',
  NO_RESOURCE: 'Licence backs no resource',
  REFUSED_BY_WALDUR: 'Refused by Waldur',
};

/** A month's Arrow money that reaches no Waldur invoice, by cause: asked for on demand (it reads Arrow's export). */
function UnbilledPanel({ settings }: { settings: [string, string][] }) {
  const [period, setPeriod] = useState(thisMonth());
  const [result, setResult] = useState<{ partner: string; charges: Charges }[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const show = async () => {
    setProblem(null);
    try {
      const answers = await Promise.all(settings.map(async ([uuid, partner]) => ({ partner, answer: (await request(UnbilledChargesQuery, { period, settingsUuid: uuid })).unbilledArrowCharges })));
      const failed = answers.map((a) => failure(a.answer)).find(Boolean);
      if (failed) return setProblem(failed);
      setResult(answers.map((a) => ({ partner: a.partner, charges: (a.answer as { charges: Charges }).charges })));
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <h2>Arrow money on no Waldur invoice</h2>
      <form className="toolbar" onSubmit={(e) => (e.preventDefault(), void show())}>
        <label>
          Month <input type="month" value={period} onChange={(e) => setPeriod(e.target.value)} required />
        </label>
        <button type="submit">Show</button>
      </form>
      {problem && <p role="alert" className="error">{problem}</p>}
      {result?.map(({ partner, charges }) => (
        <div key={partner} className="unbilled">
          <p>
            {partner}, {charges.period}: Arrow billed {charges.exportTotal} in {charges.exportLines} lines; {charges.invoicedTotal} is on Waldur&apos;s invoices; <strong>{charges.unbilledTotal}</strong> is on none.
          </p>
          {charges.causes.length > 0 && (
            <table className="compact">
              <thead><tr><th scope="col">Why</th><th scope="col" className="num">Lines</th><th scope="col" className="num">Amount</th><th scope="col">For example</th></tr></thead>
              <tbody>
                {charges.causes.map((c) => (
                  <tr key={c.cause}>
                    <td>{CAUSES[c.cause] ?? c.cause}</td>
                    <td className="num">{c.lines}</td>
                    <td className="num">{c.amount}</td>
                    <td>{c.examples.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </>
  );
}
