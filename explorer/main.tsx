/**
 * The development explorer: GraphiQL from npm, bundled by scripts/build.js into dist/explorer and
 * served by src/http/explorer.ts. Everything it loads comes from this server: no CDN, no
 * telemetry. A token printed by `npm start` goes into the field above the editor as printed.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import './explorer.css';
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';

const TOKEN_KEY = 'kzpay-explorer-token';

const DEFAULT_QUERY = `# Paste a token printed by \`npm start\` into the Token field above, then run (Ctrl-Enter).
# As the demo client:  { me { surname ordersConnection(first: 5) { edges { node { status amount } } } } }
# As an operator:      { clients(first: 5) { totalCount edges { node { fullName phones } } } }

{
  privacyPolicy {
    version
    contacts { phones }
  }
}
`;

/** A pasted "Bearer <token>" or a bare token alike. */
const normalise = (value: string): string => value.trim().replace(/^Bearer\s+/i, '');

function Explorer() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const fetcher = useMemo(
    () => createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString(), headers: token ? { authorization: `Bearer ${token}` } : {} }),
    [token],
  );
  const update = (value: string) => {
    const next = normalise(value);
    setToken(next);
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
  };
  return (
    <div className="kzpay-explorer">
      <form className="kzpay-token" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="kzpay-token">Token</label>
        <input
          id="kzpay-token"
          name="token"
          autoComplete="off"
          spellCheck={false}
          placeholder="paste a token printed by npm start (sent as Authorization: Bearer …); empty: anonymous"
          value={token}
          onChange={(event) => update(event.target.value)}
        />
        <button type="button" onClick={() => update('')} disabled={!token}>
          Clear
        </button>
      </form>
      <div className="kzpay-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </div>
    </div>
  );
}

createRoot(document.getElementById('explorer')!).render(
  <StrictMode>
    <Explorer />
  </StrictMode>,
);
