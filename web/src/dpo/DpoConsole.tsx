import { useMemo, useState, type ReactNode } from 'react';
import { ApiError, dpo } from '../api';
import { ErrorNotice, Field, FormError, Screen, useAction } from '../components/ui';
import { Layout, type NavItem } from '../components/Layout';
import { t } from '../i18n';
import { DPO_SCREENS, navigate, type DpoScreen } from '../router';
import { ConsoleContext, type Console } from './common';
import { DisclosureLog } from './DisclosureLog';
import { ErasureQueue } from './ErasureQueue';
import { LawfulRequests } from './LawfulRequests';
import { Partners } from './Partners';
import { Subjects } from './Subjects';

const NAV_LABELS: Record<DpoScreen, string> = {
  erasure: t.nav.dpoErasure,
  requests: t.nav.dpoRequests,
  partners: t.nav.dpoPartners,
  log: t.nav.dpoLog,
  subject: t.nav.dpoSubject,
};
const NAV: readonly NavItem[] = DPO_SCREENS.map((screen) => ({ route: { area: 'dpo', screen }, label: NAV_LABELS[screen] }));

/** The token is checked once with a DPO-only query, then kept in this component's state only. */
function TokenForm({ onAccepted }: { onAccepted: (token: string) => void }) {
  const [token, setToken] = useState('');
  const action = useAction();
  return (
    <Screen title={t.dpo.tokenHeading} intro={t.dpo.tokenIntro}>
      <form
        className="narrow"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            const value = token.trim();
            try {
              await dpo(value).check();
            } catch (error) {
              if (error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')) throw new FormError(t.errors.notDpo);
              throw error;
            }
            setToken('');
            onAccepted(value);
          });
        }}
      >
        <Field label={t.dpo.token} value={token} onChange={setToken} type="password" autoComplete="off" required hint={t.dpo.tokenHint} spellCheck={false} />
        <ErrorNotice error={action.error} />
        <button type="submit" disabled={action.busy || !token.trim()}>
          {t.dpo.enter}
        </button>
      </form>
    </Screen>
  );
}

/** `token` lives in the App's state (memory only), so moving to the subject's pages and back keeps it. */
export function DpoConsole({ screen, token, setToken }: { screen: DpoScreen; token: string | null; setToken: (token: string | null) => void }) {
  const [logSubject, setLogSubject] = useState<string | null>(null);
  const console_ = useMemo<Console | null>(
    () =>
      token
        ? {
            api: dpo(token),
            logSubject,
            showLogOf: (subjectId: string) => {
              setLogSubject(subjectId);
              navigate({ area: 'dpo', screen: 'log' });
            },
          }
        : null,
    [token, logSubject],
  );

  let content: ReactNode;
  if (!console_) content = <TokenForm onAccepted={setToken} />;
  else {
    content = {
      erasure: <ErasureQueue />,
      requests: <LawfulRequests />,
      partners: <Partners />,
      // A new subject hand-over opens a fresh search.
      log: <DisclosureLog key={logSubject ?? ''} />,
      subject: <Subjects />,
    }[screen];
  }
  return (
    <Layout
      title={t.title.console}
      nav={console_ ? NAV : []}
      current={{ area: 'dpo', screen }}
      user={null}
      onExit={console_ ? () => (setToken(null), setLogSubject(null)) : null}
      exitLabel={t.nav.dpoExit}
      other={{ route: { area: 'subject', screen: 'data' }, label: t.common.toCenter }}
    >
      {console_ ? <ConsoleContext.Provider value={console_}>{content}</ConsoleContext.Provider> : content}
    </Layout>
  );
}
