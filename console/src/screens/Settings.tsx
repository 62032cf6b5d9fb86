import { useState } from 'react';
import { failure, request } from '../api';
import { CreateSettingsMutation, SettingsScreenQuery, ValidateCredentialsMutation } from '../documents';
import { useQuery } from '../useQuery';

/** Arrow settings; the API key is write-only: typed here, checked by Arrow, never shown again. */
export function SettingsScreen() {
  const { data, error, reload } = useQuery(SettingsScreenQuery, {});
  const [apiUrl, setApiUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [exportType, setExportType] = useState('');
  const [check, setCheck] = useState<{ ok: boolean; text: string; exportTypes: { reference: string; name: string }[] } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const validate = async () => {
    setCheck(null);
    try {
      const answer = (await request(ValidateCredentialsMutation, { input: { apiUrl, apiKey } })).validateArrowCredentials;
      if (answer.__typename !== 'MutationValidateArrowCredentialsSuccess') return setCheck({ ok: false, text: failure(answer) ?? '', exportTypes: [] });
      const r = answer.result;
      setCheck(r.valid ? { ok: true, text: `Arrow accepts these credentials: ${r.partner?.companyName} (${r.partner?.reference}).`, exportTypes: r.exportTypes } : { ok: false, text: `Arrow refused: ${r.error}`, exportTypes: [] });
      if (r.valid && !exportType && r.exportTypes[0]) setExportType(r.exportTypes[0].reference);
    } catch (err) {
      setCheck({ ok: false, text: err instanceof Error ? err.message : String(err), exportTypes: [] });
    }
  };
  const save = async () => {
    setMessage(null);
    const answer = (await request(CreateSettingsMutation, { input: { apiUrl, apiKey, exportTypeReference: exportType || null } })).createArrowSettings;
    const problem = failure(answer);
    if (problem) return setMessage(problem);
    setApiKey('');
    setMessage('Saved.');
    void reload();
  };

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Arrow settings</h1>
      {error && <p role="alert" className="error">{error}</p>}
      <table className="compact">
        <thead><tr><th scope="col">Partner</th><th scope="col">API URL</th><th scope="col">API key</th><th scope="col">Export type</th><th scope="col">Active</th><th scope="col">Scheduled sync</th></tr></thead>
        <tbody>
          {data?.arrowSettings.map((s) => (
            <tr key={s.uuid}>
              <td>{s.partnerName} <span className="muted">{s.partnerReference}</span></td>
              <td>{s.apiUrl}</td>
              <td>{s.hasApiKey ? 'set (write-only)' : 'missing'}</td>
              <td>{s.exportTypeReference || '—'}</td>
              <td>{s.isActive ? 'yes' : 'no'}</td>
              <td>{s.syncEnabled ? 'on' : 'off'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>New settings</h2>
      <form className="stack" onSubmit={(e) => (e.preventDefault(), void save())}>
        <label>API URL <input type="url" required value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder="https://xsp.arrow.com/index.php/api/" /></label>
        <label>API key <input type="password" required autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} /></label>
        <div className="toolbar">
          <button type="button" onClick={() => void validate()} disabled={!apiUrl || !apiKey}>Validate credentials</button>
          {check && <span role={check.ok ? 'status' : 'alert'} className={check.ok ? 'ok' : 'error'}>{check.text}</span>}
        </div>
        <label>
          Billing export type{' '}
          <select value={exportType} onChange={(e) => setExportType(e.target.value)}>
            <option value="">none</option>
            {check?.exportTypes.map((t) => <option key={t.reference} value={t.reference}>{t.name} ({t.reference})</option>)}
          </select>
        </label>
        <button type="submit" disabled={!check?.ok}>Save settings</button>
        {message && <p role="status">{message}</p>}
      </form>
    </section>
  );
}
