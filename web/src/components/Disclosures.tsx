/** Disclosure-log entries as both sides show them, and paging through them. */
import { useState, type ReactNode } from 'react';
import type { Disclosure, Page } from '../api';
import { label, t } from '../i18n';
import { ErrorNotice, useAction } from './ui';

/** The categories an entry disclosed, each once. */
export const categoriesOf = (entry: Disclosure): string[] => [...new Set(entry.fields.map((f) => f.category))].map((c) => label(t.enums.PiiCategory, c));

/** The subject's own export reads as such; any other recipient by its kind and recorded name. */
export function recipientOf(entry: Disclosure): string {
  return entry.recipientKind === 'SUBJECT' ? label(t.enums.RecipientKind, 'SUBJECT') : `${label(t.enums.RecipientKind, entry.recipientKind)}: ${entry.recipient}`;
}

/** The pages shown so far, and a "show more" (with its error) while there are more. */
export function usePages(first: Page<Disclosure>, more: (next: string) => Promise<Page<Disclosure>>): { items: Disclosure[]; footer: ReactNode } {
  const [pages, setPages] = useState<Page<Disclosure>[]>([first]);
  const action = useAction();
  const next = pages[pages.length - 1]!.next;
  const showMore = () =>
    void action.run(async () => {
      const page = await more(next!);
      setPages((shown) => [...shown, page]);
    });
  return {
    items: pages.flatMap((page) => page.items),
    footer: (
      <>
        <ErrorNotice error={action.error} />
        {next ? (
          <button type="button" className="secondary" disabled={action.busy} onClick={showMore}>
            {t.common.showMore}
          </button>
        ) : null}
      </>
    ),
  };
}
