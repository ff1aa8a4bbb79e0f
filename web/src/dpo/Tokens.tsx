import { useState, type ReactNode } from 'react';
import type { IssuedToken, TokenRecord } from '../api';
import { Copyable, ErrorNotice, Field, FormError, Loaded, Notice, Panel, Table, useAction, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { label, t } from '../i18n';
import { Id } from './common';

const d = t.dpo;

function stateOf(token: TokenRecord): string {
  if (token.revokedAt) return d.tokenRevoked;
  return token.live ? d.tokenLive : d.tokenExpired;
}

/** Issue, list and revoke the tokens of one contract or lawful request; a new token is shown once. */
export function Tokens({
  owner,
  list,
  issue,
  revoke,
  extra,
}: {
  owner: string;
  list: () => Promise<TokenRecord[]>;
  issue: (ttlSeconds: number) => Promise<IssuedToken>;
  revoke: (tokenId: string) => Promise<void>;
  extra?: ReactNode;
}) {
  const [load, retry] = useLoad(list, [owner]);
  const [minutes, setMinutes] = useState('60');
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const action = useAction();
  return (
    <Panel title={d.tokens} level={3}>
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            const ttl = Number(minutes) * 60;
            if (!Number.isInteger(ttl) || ttl <= 0) throw new FormError(t.errors.field(d.ttlMinutes));
            setIssued(await issue(ttl));
            retry();
          });
        }}
      >
        {extra}
        <Field label={d.ttlMinutes} value={minutes} onChange={setMinutes} inputMode="numeric" required />
        <button type="submit">{d.issueToken}</button>
      </form>
      <ErrorNotice error={action.error} />
      {issued ? (
        <div className="issued">
          <Notice>{d.issued}</Notice>
          <Copyable label={d.issuedToken} value={issued.token} />
          <p>
            {d.tokenId}: <code className="break">{issued.tokenId}</code>; {d.tokenExpiresAt}: {formatDateTime(issued.expiresAt)}
          </p>
        </div>
      ) : null}
      <Loaded load={load} retry={retry}>
        {(tokens) =>
          tokens.length === 0 ? (
            <p>{d.tokensNone}</p>
          ) : (
            <Table caption={d.tokens} head={[d.tokenId, d.categories, d.tokenIssuedAt, d.tokenExpiresAt, d.tokenState, '']}>
              {tokens.map((token) => (
                <tr key={token.tokenId}>
                  <td>
                    <Id id={token.tokenId} />
                  </td>
                  <td>{token.categories.map((c) => label(t.enums.PiiCategory, c)).join(', ')}</td>
                  <td className="nowrap">{formatDateTime(token.issuedAt)}</td>
                  <td className="nowrap">{formatDateTime(token.expiresAt)}</td>
                  <td>{stateOf(token)}</td>
                  <td>
                    {token.live ? (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`${d.revoke}: ${token.tokenId.slice(0, 8)}`}
                        onClick={() => void action.run(async () => (await revoke(token.tokenId), retry()))}
                      >
                        {d.revoke}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </Table>
          )
        }
      </Loaded>
    </Panel>
  );
}
