import { useState } from 'react';
import type { ClientFilter, ClientSummary, Redaction } from '../api';
import { Redactions } from '../components/Redactions';
import { downloadJson, ErrorNotice, Field, FormError, Notice, Panel, Screen, Table, useAction } from '../components/ui';
import { formatDate, formatDateTime, kzToday, normalizePhone } from '../format';
import { label, t } from '../i18n';
import { Id, isUuid, useConsole } from './common';

const d = t.dpo;

export function Subjects() {
  const { api, showLogOf } = useConsole();
  const [form, setForm] = useState({ iinOrBin: '', phone: '', email: '', surname: '', id: '' });
  const [found, setFound] = useState<{ total: number; clients: ClientSummary[] } | null>(null);
  const [redactions, setRedactions] = useState<readonly Redaction[] | null>(null);
  const search = useAction();
  const exporting = useAction();
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const exportOf = (client: ClientSummary) =>
    void exporting.run(async () => {
      const { data, redactions: withheld } = await api.clientData(client.id);
      downloadJson(d.exportFileName(kzToday()), withheld.length > 0 ? { ...data, redactions: withheld } : data);
      setRedactions(withheld);
      return `${t.export.ready(formatDateTime(data.generatedAt))} ${t.export.summary(data.orders.length, data.consents.length, data.disclosures.length)}`;
    });

  return (
    <Screen title={d.subjectHeading} intro={d.subjectIntro}>
      <Panel title={d.find}>
        <form
          className="grid"
          onSubmit={(event) => {
            event.preventDefault();
            void search.run(async () => {
              setRedactions(null);
              exporting.reset();
              if (form.id.trim()) {
                if (!isUuid(form.id)) throw new FormError(t.errors.idFormat);
                const client = await api.client(form.id.trim());
                setFound({ total: client ? 1 : 0, clients: client ? [client] : [] });
                return;
              }
              const filter: ClientFilter = {};
              if (form.iinOrBin.trim()) filter.iinOrBin = form.iinOrBin.replace(/\s/g, '');
              if (form.phone.trim()) {
                const phone = normalizePhone(form.phone);
                if (!phone) throw new FormError(t.errors.field(d.byPhone));
                filter.phone = phone;
              }
              if (form.email.trim()) filter.email = form.email.trim();
              if (form.surname.trim()) filter.surname = form.surname.trim();
              setFound(await api.findClients(filter));
            });
          }}
        >
          <Field label={d.byIinOrBin} value={form.iinOrBin} onChange={set('iinOrBin')} inputMode="numeric" />
          <Field label={d.byPhone} value={form.phone} onChange={set('phone')} type="tel" inputMode="tel" placeholder={t.common.phoneHint} />
          <Field label={d.byEmail} value={form.email} onChange={set('email')} type="email" inputMode="email" />
          <Field label={d.bySurname} value={form.surname} onChange={set('surname')} />
          <Field label={d.byId} value={form.id} onChange={set('id')} spellCheck={false} />
          <div className="form-end">
            <ErrorNotice error={search.error} />
            <button type="submit" disabled={search.busy}>
              {d.find}
            </button>
          </div>
        </form>
      </Panel>
      {found ? (
        <Panel title={d.found(found.total)}>
          {found.clients.length > 0 ? (
            <Table caption={d.foundCaption} head={[t.fields.clientId, t.fields.fullName, t.fields.kind, t.fields.status, t.fields.createdAt, '']}>
              {found.clients.map((client) => (
                <tr key={client.id}>
                  <td>
                    <Id id={client.id} />
                  </td>
                  <td>{client.legalName ?? client.fullName ?? t.common.none}</td>
                  <td>{label(t.enums.ClientKind, client.kind)}</td>
                  <td>{label(t.enums.ClientStatus, client.status)}</td>
                  <td className="nowrap">{formatDate(client.createdAt)}</td>
                  <td className="actions">
                    <button type="button" className="secondary" disabled={exporting.busy} onClick={() => exportOf(client)}>
                      {d.exportJson}
                    </button>
                    <button type="button" className="secondary" onClick={() => showLogOf(client.id)}>
                      {d.showLog}
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          ) : null}
          <p className="hint">{d.exportLogged}</p>
          <ErrorNotice error={exporting.error} />
          {exporting.done ? <Notice>{exporting.done}</Notice> : null}
          {redactions ? <Redactions redactions={redactions} /> : null}
        </Panel>
      ) : null}
    </Screen>
  );
}
