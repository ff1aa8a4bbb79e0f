import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { subject } from '../api';
import { ErrorNotice, Loading } from '../components/ui';
import { Layout, type NavItem } from '../components/Layout';
import { t } from '../i18n';
import { navigate, SUBJECT_SCREENS, type SubjectScreen } from '../router';
import { ConsentScreen } from './ConsentScreen';
import { Disclosures } from './Disclosures';
import { Erasure } from './Erasure';
import { Export } from './Export';
import { Login, PasswordChange } from './Login';
import { MyData } from './MyData';
import { Policy } from './Policy';
import { Security } from './Security';

type Session = { state: 'checking' } | { state: 'failed'; error: unknown } | { state: 'anonymous' } | { state: 'in'; name: string | null };

const NAV: readonly NavItem[] = SUBJECT_SCREENS.map((screen) => ({ route: { area: 'subject', screen }, label: t.nav[screen] }));

export function SubjectCenter({ screen }: { screen: SubjectScreen }) {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [notice, setNotice] = useState<string | null>(null);
  const [resetToken, setResetToken] = useState<string | null>(null);

  const check = useCallback(() => {
    subject.session().then(
      (me) => setSession(me ? { state: 'in', name: me.name } : { state: 'anonymous' }),
      (error: unknown) => setSession({ state: 'failed', error }),
    );
  }, []);
  useEffect(check, [check]);

  const signedOut = (message: string) => {
    setNotice(message);
    setSession({ state: 'anonymous' });
    navigate({ area: 'subject', screen: 'data' });
  };

  let content: ReactNode;
  if (screen === 'policy') content = <Policy />;
  else if (session.state === 'checking') content = <Loading />;
  else if (session.state === 'failed') content = <ErrorNotice error={session.error} />;
  else if (resetToken) {
    content = (
      <PasswordChange
        resetToken={resetToken}
        onChanged={() => {
          setResetToken(null);
          signedOut(t.login.passwordChanged);
        }}
      />
    );
  } else if (session.state === 'anonymous') {
    content = (
      <Login
        notice={notice}
        onLoggedIn={() => {
          setNotice(null);
          check();
        }}
        onPasswordChangeRequired={setResetToken}
      />
    );
  } else {
    content = {
      data: <MyData />,
      consent: <ConsentScreen />,
      disclosures: <Disclosures />,
      export: <Export />,
      erasure: <Erasure />,
      security: <Security onSessionEnded={() => signedOut(t.login.sessionEnded)} />,
    }[screen];
  }

  const signedIn = session.state === 'in' && !resetToken;
  return (
    <Layout
      title={t.title.center}
      nav={signedIn ? NAV : NAV.filter((item) => item.route.screen === 'policy')}
      current={{ area: 'subject', screen }}
      user={signedIn ? session.name : null}
      onExit={
        signedIn
          ? () => {
              void subject.logout().finally(() => signedOut(t.login.loggedOut));
            }
          : null
      }
      exitLabel={t.nav.logout}
      other={{ route: { area: 'dpo', screen: 'erasure' }, label: t.common.toConsole }}
    >
      {content}
    </Layout>
  );
}
