import { subject, type Disclosure, type Page } from '../api';
import { categoriesOf, recipientOf, usePages } from '../components/Disclosures';
import { Loaded, Screen, Table, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { label, t } from '../i18n';

const d = t.disclosures;

function Entries({ first }: { first: Page<Disclosure> }) {
  const { items, footer } = usePages(first, (next) => subject.disclosures(next));
  if (items.length === 0) return <p>{d.none}</p>;
  return (
    <>
      <Table caption={d.caption} head={[d.at, d.recipient, d.categories, d.basis]}>
        {items.map((entry) => (
          <tr key={entry.id}>
            <td className="nowrap">{formatDateTime(entry.at)}</td>
            <td>{recipientOf(entry)}</td>
            <td>{categoriesOf(entry).join(', ') || t.common.none}</td>
            <td>
              {label(t.enums.RecipientBasis, entry.recipientKind)}
              <br />
              <small className="muted">
                {d.recorded}: <span lang="en">{entry.legalBasis}</span>
              </small>
            </td>
          </tr>
        ))}
      </Table>
      {footer}
    </>
  );
}

export function Disclosures() {
  const [load, retry] = useLoad(() => subject.disclosures(), []);
  return (
    <Screen title={d.heading} intro={d.intro}>
      <Loaded load={load} retry={retry}>
        {(first) => <Entries first={first} />}
      </Loaded>
    </Screen>
  );
}
