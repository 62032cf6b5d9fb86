import { useState } from 'react';
import { AuditScreenQuery } from '../documents';
import { useQuery } from '../useQuery';

/** Who did what: the audit log, newest first, searchable by what was acted on (a licence, a uuid). */
export function AuditScreen() {
  const [target, setTarget] = useState('');
  const [search, setSearch] = useState<string | null>(null);
  const { data, error } = useQuery(AuditScreenQuery, { first: 50, target: search });
  const log = data?.auditLog;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Who did what</h1>
      <form className="inline" onSubmit={(e) => (e.preventDefault(), setSearch(target.trim() || null))}>
        <label>
          Acted on (licence reference, resource or mapping uuid) <input value={target} onChange={(e) => setTarget(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {log && (
        <>
          <p>{log.totalCount === 0 ? 'Nothing recorded' : `${log.totalCount} recorded; the newest ${log.edges.length} shown`}{search ? ` for “${search}”` : ''}.</p>
          <table className="audit">
            <thead>
              <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">On what</th><th scope="col">Outcome</th></tr>
            </thead>
            <tbody>
              {log.edges.map(({ node: e }) => (
                <tr key={e.uuid}>
                  <td>{new Date(String(e.at)).toLocaleString()}</td>
                  <td>{e.actorUsername || 'nobody'} {e.actorSource && <span>({e.actorSource})</span>}</td>
                  <td><code>{e.operation}</code></td>
                  <td>{e.target}</td>
                  <td>{e.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
