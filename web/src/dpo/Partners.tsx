import { useState } from 'react';
import type { Contract, Partner } from '../api';
import { Choices, ErrorNotice, Facts, Field, FormError, Loaded, Notice, Panel, Screen, Select, Table, useAction, useLoad } from '../components/ui';
import { formatDay, parseDay } from '../format';
import { label, t } from '../i18n';
import { useConsole } from './common';
import { CATEGORIES } from './LawfulRequests';
import { Tokens } from './Tokens';

const d = t.dpo;
const PURPOSES = Object.keys(t.enums.ConsentPurpose);

function RegisterPartner({ onDone }: { onDone: () => void }) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [bin, setBin] = useState('');
  const action = useAction();
  return (
    <Panel title={d.registerPartner}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            await api.registerPartner(name, bin.trim());
            setName('');
            setBin('');
            onDone();
            return d.partnerRegistered;
          });
        }}
      >
        <Field label={d.partnerName} value={name} onChange={setName} required />
        <Field label={d.partnerBin} value={bin} onChange={setBin} inputMode="numeric" required />
        <ErrorNotice error={action.error} />
        {action.done ? <Notice>{action.done}</Notice> : null}
        <button type="submit" disabled={action.busy}>
          {d.registerPartner}
        </button>
      </form>
    </Panel>
  );
}

function RegisterContract({ partners, onDone }: { partners: readonly Partner[]; onDone: () => void }) {
  const { api } = useConsole();
  const [partnerId, setPartnerId] = useState(partners[0]?.id ?? '');
  const [number, setNumber] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<string[]>(['CONTRACT_PERFORMANCE', 'THIRD_PARTY_OBLIGATIONS']);
  const action = useAction();
  if (partners.length === 0) return null;
  return (
    <Panel title={d.registerContract}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            const validFrom = parseDay(from);
            const validTo = parseDay(to);
            if (!validFrom || !validTo) throw new FormError(t.errors.dateFormat);
            await api.registerContract({ partnerId, number, validFrom, validTo, categories, purposes });
            for (const clear of [setNumber, setFrom, setTo]) clear('');
            setCategories([]);
            onDone();
            return d.contractRegistered;
          });
        }}
      >
        <Select label={d.partnerName} value={partnerId} onChange={setPartnerId} options={partners.map((p) => [p.id, p.name] as [string, string])} />
        <Field label={d.contractNumber} value={number} onChange={setNumber} required />
        <Field label={d.validFrom} value={from} onChange={setFrom} inputMode="numeric" placeholder={t.common.dateHint} required />
        <Field label={d.validTo} value={to} onChange={setTo} inputMode="numeric" placeholder={t.common.dateHint} required />
        <Choices legend={d.categories} options={CATEGORIES} labels={t.enums.PiiCategory} value={categories} onChange={setCategories} />
        <Choices legend={d.purposes} options={PURPOSES} labels={t.enums.ConsentPurpose} value={purposes} onChange={setPurposes} />
        <ErrorNotice error={action.error} />
        {action.done ? <Notice>{action.done}</Notice> : null}
        <button type="submit" disabled={action.busy}>
          {d.registerContract}
        </button>
      </form>
    </Panel>
  );
}

function ContractDetail({ contract, onChanged }: { contract: Contract; onChanged: () => void }) {
  const { api } = useConsole();
  const [scopes, setScopes] = useState<string[]>(contract.categories);
  const action = useAction();
  const [round, setRound] = useState(0);
  return (
    <Panel title={`${d.contractNumber} ${contract.number}`} level={3}>
      <Facts
        items={[
          [d.validFrom, formatDay(contract.validFrom)],
          [d.validTo, formatDay(contract.validTo)],
          [d.categories, contract.categories.map((c) => label(t.enums.PiiCategory, c)).join(', ')],
          [d.purposes, contract.purposes.map((p) => label(t.enums.ConsentPurpose, p)).join('; ')],
          [t.fields.status, contract.inForce ? d.inForce : d.notInForce],
        ]}
      />
      <div className="actions">
        {contract.inForce ? (
          <button type="button" className="danger" disabled={action.busy} onClick={() => void action.run(async () => (await api.endContract(contract.id), onChanged()))}>
            {d.endContract}
          </button>
        ) : null}
        <button type="button" className="secondary" disabled={action.busy} onClick={() => void action.run(async () => (await api.revokeContractTokens(contract.id), setRound((n) => n + 1)))}>
          {d.revokeAll}
        </button>
      </div>
      <ErrorNotice error={action.error} />
      <Tokens
        key={round}
        owner={contract.id}
        list={() => api.partnerTokens(contract.id)}
        issue={(ttl) => api.issuePartnerToken(contract.id, scopes, ttl)}
        revoke={(tokenId) => api.revokePartnerToken(tokenId)}
        extra={<Choices legend={d.scopes} options={contract.categories} labels={t.enums.PiiCategory} value={scopes} onChange={setScopes} />}
      />
    </Panel>
  );
}

export function Partners() {
  const { api } = useConsole();
  const [load, retry] = useLoad(() => api.partners(), []);
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Screen title={d.partnersHeading}>
      <Loaded load={load} retry={retry}>
        {(partners) => {
          const open = partners.flatMap((p) => p.contracts).find((c) => c.id === openId) ?? null;
          return (
            <>
              {partners.length === 0 ? <p>{d.partnersNone}</p> : null}
              {partners.map((partner) => (
                <Panel key={partner.id} title={`${partner.name} (${t.fields.bin} ${partner.bin})`}>
                  {partner.contracts.length === 0 ? (
                    <p>{d.contractsNone}</p>
                  ) : (
                    <Table caption={d.contractsOf(partner.name)} head={[d.contractNumber, d.validFrom, d.validTo, d.categories, t.fields.status, '']}>
                      {partner.contracts.map((c) => (
                        <tr key={c.id}>
                          <td>{c.number}</td>
                          <td className="nowrap">{formatDay(c.validFrom)}</td>
                          <td className="nowrap">{formatDay(c.validTo)}</td>
                          <td>{c.categories.map((cat) => label(t.enums.PiiCategory, cat)).join(', ')}</td>
                          <td>{c.inForce ? d.inForce : d.notInForce}</td>
                          <td>
                            <button type="button" className="secondary" aria-label={`${d.open}: ${c.number}`} onClick={() => setOpenId(c.id)}>
                              {d.open}
                            </button>
                          </td>
                        </tr>
                      ))}
                    </Table>
                  )}
                  {open && open.partnerId === partner.id ? <ContractDetail key={open.id} contract={open} onChanged={retry} /> : null}
                </Panel>
              ))}
              <RegisterPartner onDone={retry} />
              <RegisterContract key={partners.length} partners={partners} onDone={retry} />
            </>
          );
        }}
      </Loaded>
    </Screen>
  );
}
