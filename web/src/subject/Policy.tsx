import type { ReactNode } from 'react';
import { privacyPolicy } from '../api';
import { Facts, Loaded, Panel, Screen, useLoad } from '../components/ui';
import { PhoneList } from '../components/values';
import { normalizePhone } from '../format';
import { t } from '../i18n';

/** Inline markup of the policy file, as text: tags are dropped, never interpreted. */
const plain = (line: string): string => line.replace(/<[^>]*>/g, '').replace(/\*\*/g, '').trim();

/** The policy's Markdown (headings, nested lists, paragraphs) as elements; nothing else is needed. */
function PolicyText({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  let items: Array<{ text: string; sub: string[] }> = [];
  const flush = () => {
    if (items.length === 0) return;
    blocks.push(
      <ul key={`l${blocks.length}`} className="policy-list">
        {items.map((item, i) => (
          <li key={i}>
            {item.text}
            {item.sub.length > 0 ? <ul>{item.sub.map((sub, j) => <li key={j}>{sub}</li>)}</ul> : null}
          </li>
        ))}
      </ul>,
    );
    items = [];
  };
  for (const line of text.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const item = /^(\s*)-\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push(<h2 key={`h${blocks.length}`}>{plain(heading[1]!)}</h2>);
    } else if (item) {
      const nested = item[1]!.length > 0 && items.length > 0;
      if (nested) items[items.length - 1]!.sub.push(plain(item[2]!));
      else items.push({ text: plain(item[2]!), sub: [] });
    } else if (line.trim()) {
      flush();
      blocks.push(<p key={`p${blocks.length}`}>{plain(line)}</p>);
    }
  }
  flush();
  return <div className="policy-text">{blocks}</div>;
}

export function Policy() {
  const [load, retry] = useLoad(() => privacyPolicy(), []);
  return (
    <Screen title={t.policy.heading}>
      <Loaded load={load} retry={retry}>
        {(policy) => (
          <>
            <Panel title={t.policy.contacts}>
              <Facts
                items={[
                  [t.policy.address, policy.contacts.addressRu],
                  [t.policy.phones, <PhoneList key="p" phones={policy.contacts.phones.map((p) => normalizePhone(p) ?? p)} />],
                ]}
              />
            </Panel>
            <PolicyText text={policy.textRu} />
            <Facts
              items={[
                [t.policy.version, policy.version],
                [t.policy.hash, <code key="h" className="break">{policy.textHash}</code>],
              ]}
            />
          </>
        )}
      </Loaded>
    </Screen>
  );
}
