import { useState } from 'react';
import { failure, percent, request, thisMonth } from '../api';
import { CreateMappingMutation, UnmappedScreenQuery } from '../documents';
import { useQuery } from '../useQuery';

/** Arrow customers not yet mapped, each with the Waldur customer the matcher suggests: one query. */
export function UnmappedScreen() {
  const { data, error } = useQuery(UnmappedScreenQuery, {});
  const answer = data?.availableArrowCustomers;
  return (
    <section aria-labelledby="unmapped-title">
      <h1 id="unmapped-title">Unmapped Arrow customers</h1>
      {error && <p role="alert" className="error">{error}</p>}
      {answer && answer.__typename !== 'QueryAvailableArrowCustomersSuccess' && <p role="alert" className="error">{failure(answer)}</p>}
      {answer?.__typename === 'QueryAvailableArrowCustomersSuccess' && (
        <>
          <p className="muted">{answer.result.suggestions.length} Arrow customers of {answer.result.settings.partnerName} have no mapping.</p>
          <table className="unmapped">
            <thead>
              <tr><th scope="col">Arrow customer</th><th scope="col">Suggested Waldur customer</th><th scope="col">Confidence</th><th scope="col">Map to</th></tr>
            </thead>
            <tbody>
              {answer.result.suggestions.map((s) => (
                <UnmappedRow key={s.arrowCustomer.reference} suggestion={s} customers={answer.result.waldurCustomers} settingsUuid={answer.result.settingsUuid} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

type Suggestion = { confidence: number; existingMapping: boolean; arrowCustomer: { reference: string; companyName: string; city: string; countryCode: string }; suggestedWaldurCustomer?: { uuid: string; name: string } | null };

function UnmappedRow({ suggestion: s, customers, settingsUuid }: { suggestion: Suggestion; customers: { uuid: string; name: string }[]; settingsUuid: string }) {
  const [customer, setCustomer] = useState(s.suggestedWaldurCustomer?.uuid ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = `map-${s.arrowCustomer.reference}`;
  const create = async () => {
    setMessage(null);
    try {
      const answer = (await request(CreateMappingMutation, { input: { settingsUuid, arrowReference: s.arrowCustomer.reference, arrowCompanyName: s.arrowCustomer.companyName, waldurCustomerUuid: customer }, period: thisMonth() })).createCustomerMapping;
      const problem = failure(answer);
      if (problem) return setMessage(problem);
      // confirmed in the row from the answer itself (no second request); the mappings screen asks again when opened
      if (answer.__typename === 'MutationCreateCustomerMappingSuccess') setDone(`Mapped to ${answer.mapping.waldurCustomer.name}`);
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <tr data-arrow-customer={s.arrowCustomer.reference}>
      <th scope="row">{s.arrowCustomer.companyName} <span className="muted">{s.arrowCustomer.reference}, {s.arrowCustomer.city} {s.arrowCustomer.countryCode}</span></th>
      <td>{s.suggestedWaldurCustomer?.name ?? '—'}</td>
      <td className="num">{s.suggestedWaldurCustomer ? percent(s.confidence) : '—'}</td>
      <td>
        {done ? <p role="status" className="done">{done}</p> : <form className="inline" onSubmit={(e) => (e.preventDefault(), void create())}>
          <label className="sr-only" htmlFor={id}>Waldur customer for {s.arrowCustomer.companyName}</label>
          <select id={id} value={customer} onChange={(e) => setCustomer(e.target.value)}>
            <option value="">choose a customer…</option>
            {customers.map((c) => <option key={c.uuid} value={c.uuid}>{c.name}</option>)}
          </select>
          <button type="submit" disabled={!customer} aria-label={`Create mapping for ${s.arrowCustomer.companyName}`}>Create mapping</button>
        </form>}
        {message && <p role="alert" className="error">{message}</p>}

      </td>
    </tr>
  );
}
