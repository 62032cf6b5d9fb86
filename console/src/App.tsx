import { useEffect, useState } from 'react';
import { ApiError, request, session } from './api';
import { ViewerQuery } from './documents';
import { MappingsScreen } from './screens/Mappings';
import { UnmappedScreen } from './screens/Unmapped';
import { BillingScreen } from './screens/Billing';
import { SettingsScreen } from './screens/Settings';
import { AuditScreen } from './screens/Audit';

const SCREENS = {
  mappings: ['Mappings', MappingsScreen],
  unmapped: ['Unmapped customers', UnmappedScreen],
  billing: ['Billing and consumption', BillingScreen],
  settings: ['Settings', SettingsScreen],
  audit: ['Who did what', AuditScreen],
} as const;
type Screen = keyof typeof SCREENS;

/** The screen named in the URL's hash (#/billing), so that a reload stays where it was. */
function screenFromHash(): Screen {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0]!;
  return name in SCREENS ? (name as Screen) : 'mappings';
}

/** Who the console is signed in as, in words: "alice (Waldur staff)". */
function signedInAs(viewer: { username: string; isStaff: boolean; isSupport: boolean; source: string }): string {
  const role = viewer.isStaff ? 'staff' : 'support, read only';
  return `${viewer.username} (${viewer.source === 'waldur' ? `Waldur ${role}` : role})`;
}

export function App() {
  const [token, setToken] = useState(session.get());
  // whom the tab signed in as (not kept: the tab keeps only its token)
  const [who, setWho] = useState('');
  const [screen, setScreen] = useState<Screen>(screenFromHash());
  useEffect(() => {
    const onHash = () => setScreen(screenFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (!token) return <SignIn onSignedIn={(t, w) => (setWho(w), setToken(t))} />;
  const Current = SCREENS[screen][1];
  return (
    <>
      <header className="top">
        <span className="brand">Arrow–Waldur console</span>
        <nav aria-label="Screens">
          {(Object.keys(SCREENS) as Screen[]).map((s) => (
            <a key={s} href={`#/${s}`} aria-current={s === screen ? 'page' : undefined}>{SCREENS[s][0]}</a>
          ))}
          <a href="/graphql">GraphiQL</a>
        </nav>
        {who && <span>Signed in as {who}</span>}
        <button type="button" onClick={() => (session.clear(), setToken(null))}>Sign out</button>
      </header>
      <main>
        <Current key={screen} />
      </main>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (token: string, who: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const { viewer } = await request(ViewerQuery, {}, value.trim());
      if (!viewer) return setError('That token is not recognised.');
      if (!viewer.isStaff && !viewer.isSupport) return setError(`${viewer.username} is neither staff nor support: the console is for staff (and support, to read).`);
      session.set(value.trim());
      onSignedIn(value.trim(), signedInAs(viewer));
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'UNAUTHENTICATED' ? 'That token is not recognised.' : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Arrow–Waldur console</h1>
      <form onSubmit={(e) => (e.preventDefault(), void submit())}>
        <label>
          Staff token (yours from Waldur, or the gateway's) <input type="password" autoComplete="off" required value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>Sign in</button>
        {error && <p role="alert" className="error">{error}</p>}
        <p className="muted">The token is kept for this tab only. Lost it? <code>npm run cli -- create-token staff</code></p>
      </form>
    </main>
  );
}
