import { useMemo, useState } from 'react';
import { failure, percent, request, thisMonth } from '../api';
import { ApplySuggestionsMutation, ImportLicenseMutation, LinkResourceMutation, MappingsScreenQuery, StartHistoricalSyncMutation, UnlinkResourceMutation } from '../documents';
import type { MappingsScreenQuery as Screen, WorkFieldsFragment } from '../gql/graphql';
import { useQuery } from '../useQuery';
import { WorkPanel } from '../components/WorkPanel';

type Mapping = Screen['customerMappings']['edges'][number]['node'];
type Offering = Screen['offerings']['edges'][number]['node'];
const PAGE_SIZES = [20, 50, 100];

/** Rows per page: from the URL (#/mappings?rows=100), else 20. */
function rowsFromHash(): number {
  const rows = Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('rows'));
  return PAGE_SIZES.includes(rows) ? rows : PAGE_SIZES[0]!;
}

/** Customer mappings, each row expanding to its Arrow customer, licences, resources, suggestions and figures: one query. */
export function MappingsScreen() {
  const [search, setSearch] = useState('');
  const [active, setActive] = useState<'all' | 'active' | 'inactive'>('all');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [rows, setRows] = useState(rowsFromHash);
  const [started, setStarted] = useState<WorkFieldsFragment[]>([]);
  const filter = { ...(search ? { arrowCompanyName: search } : {}), ...(active === 'all' ? {} : { isActive: active === 'active' }) };
  const variables = { first: rows, after: cursors.at(-1), filter, period: thisMonth() };
  const { data, error, loading, reload } = useQuery(MappingsScreenQuery, variables);
  const page = cursors.length;

  return (
    <section aria-labelledby="mappings-title">
      <h1 id="mappings-title">Customer mappings</h1>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search by Arrow company <input type="search" value={search} onChange={(e) => (setSearch(e.target.value), setCursors([null]))} />
        </label>
        <label>
          Show{' '}
          <select value={active} onChange={(e) => (setActive(e.target.value as typeof active), setCursors([null]))}>
            <option value="all">all mappings</option>
            <option value="active">active only</option>
            <option value="inactive">inactive only</option>
          </select>
        </label>
        <label>
          Rows per page{' '}
          <select value={rows} onChange={(e) => (setRows(Number(e.target.value)), setCursors([null]))}>
            {PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </form>
      <WorkPanel found={data?.recentWork ?? []} started={started} onEnded={() => void reload()} />
      {error && <p role="alert" className="error">{error}</p>}
      {data && (
        <>
          <p className="muted" aria-live="polite">
            {data.customerMappings.totalCount} mappings{loading ? ' (loading…)' : ''}
          </p>
          {data.customerMappings.totalCount === 0 && (search || active !== 'all') && (
            <p role="status" className="empty">No {active === 'all' ? '' : `${active} `}mapping{search ? `'s Arrow company matches “${search}”` : ' here'}.</p>
          )}
          <table className="mappings">
            <thead>
              <tr>
                <th scope="col">Arrow customer</th>
                <th scope="col">Waldur customer</th>
                <th scope="col">Licences</th>
                <th scope="col">Linked resources</th>
                <th scope="col">Best suggestion</th>
                <th scope="col">Billed (sell)</th>
              </tr>
            </thead>
            {data.customerMappings.edges.map(({ node }) => (
              <MappingRow key={node.uuid} mapping={node} offerings={data.offerings.edges.map((e) => e.node)} onChanged={reload} onStarted={(w) => setStarted((s) => [w, ...s])} />
            ))}
          </table>
          <nav className="pager" aria-label="Pages">
            <button type="button" disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>Previous page</button>
            <span>Page {page}</span>
            <button type="button" disabled={!data.customerMappings.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, data.customerMappings.pageInfo.endCursor ?? null])}>Next page</button>
          </nav>
        </>
      )}
    </section>
  );
}

function MappingRow({ mapping, offerings, onChanged, onStarted }: { mapping: Mapping; offerings: Offering[]; onChanged: () => void; onStarted: (w: WorkFieldsFragment) => void }) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const linked = mapping.waldurResources.filter((r) => r.backendId);
  const best = (mapping.suggestions ?? [])[0];
  const detailsId = `mapping-${mapping.uuid}`;

  /**
   * Runs one mutation; its typed error is shown next to the row. A write to the mapping's
   * resources answers with the mapping as it now is, which the cache puts on the screen (no
   * reload); other successes reload the screen.
   */
  const act = async (run: () => Promise<{ __typename: string; message?: string }>, success: string, reload = true) => {
    setMessage(null);
    try {
      const result = await run();
      const problem = failure(result);
      if (problem) return setMessage({ error: true, text: problem });
      setMessage({ error: false, text: success });
      if (reload) onChanged();
    } catch (err) {
      setMessage({ error: true, text: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <tbody className="mapping" data-mapping={mapping.arrowReference}>
      <tr>
        <th scope="row">
          <button type="button" className="expander" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
            {open ? '▾' : '▸'} {mapping.arrowCompanyName} <span className="muted">{mapping.arrowReference}</span>
          </button>
          {!mapping.isActive && <span className="badge">inactive</span>}
        </th>
        <td>{mapping.waldurCustomer.name}</td>
        <td className="num">{(mapping.arrowLicenses ?? []).length}</td>
        <td className="num">{linked.length} / {mapping.waldurResources.length}</td>
        <td>{best ? `${best.resourceName} ← ${best.licenseReference} (${percent(best.confidence)})` : '—'}</td>
        <td className="num">{mapping.billingSummary.totalBillingSell}</td>
      </tr>
      {message && (
        <tr>
          <td colSpan={6} role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>{message.text}</td>
        </tr>
      )}
      {open && (
        <tr id={detailsId}>
          <td colSpan={6}>
            <MappingDetails mapping={mapping} offerings={offerings} act={act} onStarted={onStarted} />
          </td>
        </tr>
      )}
    </tbody>
  );
}

type Act = (run: () => Promise<{ __typename: string; message?: string }>, success: string, reload?: boolean) => Promise<void>;

function MappingDetails({ mapping, offerings, act, onStarted }: { mapping: Mapping; offerings: Offering[]; act: Act; onStarted: (w: WorkFieldsFragment) => void }) {
  const [threshold, setThreshold] = useState(80);
  const [preview, setPreview] = useState(false);
  const ids = { mappingUuid: mapping.uuid };
  const holder = useMemo(() => new Map(mapping.waldurResources.filter((r) => r.licenseReference).map((r) => [r.licenseReference, r])), [mapping]);
  const chosen = (mapping.suggestions ?? []).filter((s) => s.confidence * 100 >= threshold);
  const c = mapping.arrowCustomer;
  const data = mapping.arrowData;
  return (
    <div className="details">
      <div className="cards">
        <section aria-label="Arrow customer">
          <h3>Arrow customer</h3>
          {c ? <p>{c.companyName} ({c.reference}), {c.city} {c.countryCode}<br /><span className="muted">{c.email}</span></p> : <p className="muted">Not found in Arrow.</p>}
        </section>
        <section aria-label="Billing summary">
          <h3>Billing summary</h3>
          <p>
            {mapping.billingSummary.totalBillingSyncs} billing syncs, {mapping.billingSummary.totalBillingSell} billed;<br />
            {mapping.billingSummary.totalConsumptionRecords} consumption records, {mapping.billingSummary.totalConsumedSell} consumed ({mapping.billingSummary.pendingRecords} pending)
          </p>
        </section>
        <section aria-label="This month's Arrow data">
          <h3>Arrow, {data.period}</h3>
          {data.error ? <p className="error">{data.error}</p> : <p>Billing {data.billingAvailable ? data.billingTotalSell : 'not available yet'}; consumption {data.consumptionTotalSell}; {data.matchedResources} resources matched</p>}
        </section>
      </div>

      <h3>Licences</h3>
      {mapping.licenseDiscoveryError && <p role="alert" className="error">Arrow: {mapping.licenseDiscoveryError}</p>}
      <table className="compact">
        <thead>
          <tr><th scope="col">Licence</th><th scope="col">Offer</th><th scope="col">Seats</th><th scope="col">Backs</th><th scope="col">Import as a new resource</th></tr>
        </thead>
        <tbody>
          {(mapping.arrowLicenses ?? []).map((l) => (
            <tr key={l.licenseReference}>
              <td>{l.friendlyName || l.licenseReference} <span className="muted">{l.licenseReference}</span></td>
              <td>{l.vendorName} {l.offerName}</td>
              <td className="num">{l.seats}</td>
              <td>{holder.get(l.licenseReference)?.name ?? '—'}</td>
              <td>{holder.has(l.licenseReference) ? '' : <ImportForm mapping={mapping} licenseReference={l.licenseReference} licenseName={l.friendlyName || l.offerName} offerings={offerings} act={act} />}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Waldur resources</h3>
      <table className="compact">
        <thead>
          <tr><th scope="col">Resource</th><th scope="col">Project</th><th scope="col">Offering</th><th scope="col">Licence</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {mapping.waldurResources.map((r) => (
            <tr key={r.uuid}>
              <td>{r.name} <span className="muted">{r.state}</span></td>
              <td>{r.project.name}</td>
              <td>{r.offering.name}</td>
              <td>{r.licenseReference || <LinkForm mapping={mapping} resourceUuid={r.uuid} resourceName={r.name} holder={holder} act={act} />}</td>
              <td>
                {r.licenseReference && (
                  <>
                    <button type="button" onClick={() => act(async () => (await request(UnlinkResourceMutation, { ...ids, resourceUuid: r.uuid, period: thisMonth() })).unlinkResource, `${r.name} unlinked`, false)}>Unlink {r.name}</button>{' '}
                    <button
                      type="button"
                      onClick={() =>
                        act(async () => {
                          const answer = (await request(StartHistoricalSyncMutation, { resourceUuid: r.uuid })).startHistoricalConsumptionSync;
                          if (answer.__typename === 'MutationStartHistoricalConsumptionSyncSuccess') onStarted(answer.work);
                          return answer;
                        }, `Historical consumption sync of ${r.name} started`)
                      }
                    >
                      Sync history of {r.name}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Suggestions</h3>
      {(mapping.suggestions ?? []).length === 0 ? (
        <p className="muted">No licence matches an unlinked resource.</p>
      ) : (
        <>
          <table className="compact">
            <thead>
              <tr><th scope="col">Resource</th><th scope="col">Licence</th><th scope="col">Confidence</th><th scope="col">Action</th></tr>
            </thead>
            <tbody>
              {(mapping.suggestions ?? []).map((s) => (
                <tr key={`${s.resourceUuid}|${s.licenseReference}`}>
                  <td>{s.resourceName}</td>
                  <td>{s.licenseName} <span className="muted">{s.licenseReference}</span></td>
                  <td className="num">{percent(s.confidence)}</td>
                  <td>
                    <button type="button" onClick={() => act(async () => (await request(LinkResourceMutation, { ...ids, resourceUuid: s.resourceUuid, licenseReference: s.licenseReference, period: thisMonth() })).linkResource, `${s.resourceName} linked to ${s.licenseReference}`, false)}>
                      Link {s.resourceName} to {s.licenseReference}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="toolbar"
            onSubmit={(e) => {
              e.preventDefault();
              if (!preview) return setPreview(true);
              setPreview(false);
              void act(async () => (await request(ApplySuggestionsMutation, { ...ids, minConfidence: threshold / 100, period: thisMonth() })).applyLicenseSuggestions, `${chosen.length} suggestions applied`, false);
            }}
          >
            <label>
              Apply suggestions at or above <input type="number" min={0} max={100} value={threshold} onChange={(e) => (setThreshold(Number(e.target.value)), setPreview(false))} aria-describedby={`${mapping.uuid}-pct`} />
              <span id={`${mapping.uuid}-pct`}>%</span>
            </label>
            <button type="submit">{preview ? `Apply ${chosen.length} suggestions` : 'Preview'}</button>
            {preview && (
              <div role="status" className="preview">
                {chosen.length ? (
                  <ul>
                    {chosen.map((s) => (
                      <li key={`${s.resourceUuid}|${s.licenseReference}`}>{s.resourceName} will be linked to {s.licenseReference} ({percent(s.confidence)})</li>
                    ))}
                  </ul>
                ) : (
                  <p>Nothing at or above {threshold}%.</p>
                )}
              </div>
            )}
          </form>
        </>
      )}
    </div>
  );
}

/** Link a resource to any of the customer's licences; a licence another resource holds is marked, and choosing it means moving it. */
function LinkForm({ mapping, resourceUuid, resourceName, holder, act }: { mapping: Mapping; resourceUuid: string; resourceName: string; holder: Map<string, { name: string }>; act: Act }) {
  const [licence, setLicence] = useState('');
  const [move, setMove] = useState(false);
  const heldBy = holder.get(licence)?.name;
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (licence) void act(async () => (await request(LinkResourceMutation, { mappingUuid: mapping.uuid, resourceUuid, licenseReference: licence, move, period: thisMonth() })).linkResource, `${resourceName} linked to ${licence}`, false);
      }}
    >
      <label className="sr-only" htmlFor={`link-${resourceUuid}`}>Licence for {resourceName}</label>
      <select id={`link-${resourceUuid}`} value={licence} onChange={(e) => setLicence(e.target.value)}>
        <option value="">choose a licence…</option>
        {(mapping.arrowLicenses ?? []).map((l) => (
          <option key={l.licenseReference} value={l.licenseReference}>
            {l.licenseReference} {l.friendlyName}{holder.has(l.licenseReference) ? ` (linked to ${holder.get(l.licenseReference)!.name})` : ''}
          </option>
        ))}
      </select>
      {heldBy ? (
        <label><input type="checkbox" checked={move} onChange={(e) => setMove(e.target.checked)} /> move it from {heldBy}</label>
      ) : null}
      <button type="submit" disabled={!!heldBy && !move}>{heldBy ? 'Move' : 'Link'}</button>
    </form>
  );
}

function ImportForm({ mapping, licenseReference, licenseName, offerings, act }: { mapping: Mapping; licenseReference: string; licenseName: string; offerings: Offering[]; act: Act }) {
  const projects = mapping.waldurCustomer.projects;
  const [name, setName] = useState(licenseName || licenseReference);
  const [project, setProject] = useState(projects[0]?.uuid ?? '');
  const [offering, setOffering] = useState(offerings[0]?.uuid ?? '');
  const id = `import-${mapping.uuid}-${licenseReference}`;
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => (await request(ImportLicenseMutation, { mappingUuid: mapping.uuid, licenseReference, projectUuid: project, offeringUuid: offering, licenseName: name.trim() || null, period: thisMonth() })).importLicense, `${licenseReference} imported as ${name.trim() || licenseReference}`, false);
      }}
    >
      <label className="sr-only" htmlFor={`${id}-name`}>Name of the new resource for {licenseReference}</label>
      <input id={`${id}-name`} value={name} maxLength={150} onChange={(e) => setName(e.target.value)} />
      <label className="sr-only" htmlFor={`${id}-project`}>Project for {licenseReference}</label>
      <select id={`${id}-project`} value={project} onChange={(e) => setProject(e.target.value)}>
        {projects.map((p) => <option key={p.uuid} value={p.uuid}>{p.name}</option>)}
      </select>
      <label className="sr-only" htmlFor={`${id}-offering`}>Offering for {licenseReference}</label>
      <select id={`${id}-offering`} value={offering} onChange={(e) => setOffering(e.target.value)}>
        {offerings.map((o) => <option key={o.uuid} value={o.uuid}>{o.name}</option>)}
      </select>
      <button type="submit" disabled={!project || !offering}>Import {licenseReference}</button>
    </form>
  );
}
