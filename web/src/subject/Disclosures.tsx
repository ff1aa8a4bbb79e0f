import { useState } from 'react';
import { subject, type Disclosure, type Page } from '../api';
import { ErrorNotice, Loaded, Screen, Table, useAction, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { label, t } from '../i18n';

const d = t.disclosures;

/** The categories an entry disclosed, each once. */
export const categoriesOf = (entry: Disclosure): string[] => [...new Set(entry.fields.map((f) => f.category))].map((c) => label(t.enums.PiiCategory, c));

export function recipientOf(entry: Disclosure): string {
  return entry.recipientKind === 'SUBJECT' ? label(t.enums.RecipientKind, 'SUBJECT') : `${label(t.enums.RecipientKind, entry.recipientKind)}: ${entry.recipient}`;
}

/** Pages of a log, with "show more" while there are more. */
export function usePages(first: Page<Disclosure>, more: (next: string) => Promise<Page<Disclosure>>) {
  const [pages, setPages] = useState<Page<Disclosure>[]>([first]);
  const action = useAction();
  const last = pages[pages.length - 1]!;
  return {
    items: pages.flatMap((page) => page.items),
    action,
    showMore: last.next
      ? () => void action.run(async () => {
          const page = await more(last.next!);
          setPages((shown) => [...shown, page]);
        })
      : null,
  };
}

function Entries({ first }: { first: Page<Disclosure> }) {
  const { items, action, showMore } = usePages(first, (next) => subject.disclosures(next));
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
      <ErrorNotice error={action.error} />
      {showMore ? (
        <button type="button" className="secondary" disabled={action.busy} onClick={showMore}>
          {t.common.showMore}
        </button>
      ) : null}
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
