/** The redaction report of an answer, in words: what was withheld, how, and why. */
import type { Redaction } from '../api';
import { t } from '../i18n';
import { explainRedactions } from '../redactions';
import { Panel } from './ui';

export function Redactions({ redactions, own = false }: { redactions: readonly Redaction[]; own?: boolean }) {
  const explained = explainRedactions(redactions);
  return (
    <Panel title={t.redactions.heading}>
      {explained.length === 0 ? (
        <p className="all-shown">{own ? t.redactions.noneOwn : t.redactions.none}</p>
      ) : (
        <>
          <p>{t.redactions.intro}</p>
          <ul className="redactions">
            {explained.map((item) => (
              <li key={`${item.what}|${item.how}|${item.why}`}>
                <strong>{item.what}</strong>: {item.how} ({t.redactions.count(item.count)}) — {item.why}.
                {item.paths.length > 0 ? (
                  <details>
                    <summary>{t.redactions.path}</summary>
                    <ul className="plain">
                      {item.paths.map((path) => (
                        <li key={path}>
                          <code>{path}</code>
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
