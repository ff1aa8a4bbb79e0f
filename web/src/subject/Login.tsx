import { useState } from 'react';
import { ApiError, subject } from '../api';
import { ErrorNotice, Field, FormError, Notice, Screen, useAction } from '../components/ui';
import { href } from '../router';
import { t } from '../i18n';

/** Login and password; the server answers with an HttpOnly session cookie, which the page never sees. */
export function Login({ notice, onLoggedIn, onPasswordChangeRequired }: { notice: string | null; onLoggedIn: () => void; onPasswordChangeRequired: (resetToken: string) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <Screen title={t.login.heading} intro={t.login.intro}>
      {notice ? <Notice>{notice}</Notice> : null}
      <form
        className="narrow"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            try {
              await subject.login(login, password);
            } catch (error) {
              if (error instanceof ApiError && error.code === 'PASSWORD_CHANGE_REQUIRED' && typeof error.extensions.resetToken === 'string') {
                setPassword('');
                onPasswordChangeRequired(error.extensions.resetToken);
                return;
              }
              if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') throw new FormError(t.errors.wrongLogin);
              throw error;
            }
            setPassword('');
            onLoggedIn();
          });
        }}
      >
        <Field label={t.fields.login} value={login} onChange={setLogin} autoComplete="username" required spellCheck={false} />
        <Field label={t.fields.password} value={password} onChange={setPassword} type="password" autoComplete="current-password" required />
        <ErrorNotice error={action.error} />
        <button type="submit" disabled={action.busy || !login || !password}>
          {action.busy ? t.login.submitting : t.login.submit}
        </button>
      </form>
      <p>
        <a href={href({ area: 'subject', screen: 'policy' })}>{t.login.policyLink}</a>
      </p>
    </Screen>
  );
}

/** P7: the one-time reset token from the refused login (kept in memory only) sets the new password. */
export function PasswordChange({ resetToken, onChanged }: { resetToken: string; onChanged: () => void }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const action = useAction();
  const p = t.password;
  return (
    <Screen title={p.heading} intro={p.intro}>
      <form
        className="narrow"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            if (password !== repeat) throw new FormError(t.errors.passwordsDiffer);
            await subject.changePassword(resetToken, password);
            onChanged();
          });
        }}
      >
        <Field label={p.newPassword} value={password} onChange={setPassword} type="password" autoComplete="new-password" required hint={p.rule} />
        <Field label={p.repeat} value={repeat} onChange={setRepeat} type="password" autoComplete="new-password" required />
        <ErrorNotice error={action.error} />
        <button type="submit" disabled={action.busy || !password || !repeat}>
          {p.submit}
        </button>
      </form>
    </Screen>
  );
}
