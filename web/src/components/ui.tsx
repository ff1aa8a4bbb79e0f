/** Small accessible building blocks shared by every screen. */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { label, t } from '../i18n';

/** The words for a failed call: the code's message, or the field the server named. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'BAD_USER_INPUT' && error.field) return t.errors.field(label(t.inputFields, error.field));
    return (t.errors as Record<string, unknown>)[error.code] as string | undefined ?? t.errors.UNKNOWN;
  }
  if (error instanceof FormError) return error.message;
  return t.errors.UNKNOWN;
}

/** A mistake caught before sending: shown as it is. */
export class FormError extends Error {}

/** A screen: its heading takes focus when it opens, so keyboard and screen-reader users land on it. */
export function Screen({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [title]);
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {intro ? <p className="intro">{intro}</p> : null}
      {children}
    </section>
  );
}

export function Panel({ title, children, level = 2 }: { title: string; children: ReactNode; level?: 2 | 3 }) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="panel" aria-labelledby={id}>
      <Heading id={id}>{title}</Heading>
      {children}
    </section>
  );
}

/** A polite announcement of what just happened. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

/** An error, announced at once. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

export function Loading() {
  return (
    <p className="loading" role="status">
      {t.common.loading}
    </p>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  type?: 'text' | 'password' | 'email' | 'tel';
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email';
  multiline?: boolean;
  placeholder?: string;
  spellCheck?: boolean;
}

/** A labelled input; its hint is read with it. */
export function Field({ label: text, value, onChange, hint, type = 'text', required, autoComplete = 'off', inputMode, multiline, placeholder, spellCheck }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const common = {
    id,
    value,
    required,
    placeholder,
    spellCheck,
    'aria-describedby': hintId,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {text}
        {required ? <span className="required"> ({t.common.required})</span> : null}
      </label>
      {multiline ? <textarea rows={5} {...common} /> : <input type={type} autoComplete={autoComplete} inputMode={inputMode} {...common} />}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Checkbox({ label: text, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>{text}</label>
    </div>
  );
}

/** A group of checkboxes over enum values, labelled as a whole. */
export function Choices({ legend, options, labels, value, onChange }: { legend: string; options: readonly string[]; labels: Readonly<Record<string, string>>; value: readonly string[]; onChange: (value: string[]) => void }) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {options.map((option) => (
        <Checkbox
          key={option}
          label={label(labels, option)}
          checked={value.includes(option)}
          onChange={(checked) => onChange(checked ? [...value, option] : value.filter((v) => v !== option))}
        />
      ))}
    </fieldset>
  );
}

export function Select({ label: text, value, options, onChange }: { label: string; value: string; options: ReadonlyArray<[string, string]>; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map(([key, name]) => (
          <option key={key} value={key}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen; the region is focusable so the keyboard can scroll it. */
export function Table({ caption, head, children }: { caption: string; head: readonly string[]; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={t.common.tableScroll(caption)} tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((cell, i) => (
              <th key={`${i}-${cell}`} scope="col">
                {cell || <span className="visually-hidden">{t.common.actions}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A definition list of label → value; empty values read as "not given". */
export function Facts({ items }: { items: ReadonlyArray<[string, ReactNode]> }) {
  return (
    <dl className="facts">
      {items.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value === null || value === undefined || value === '' ? <Empty /> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Empty({ hidden = false }: { hidden?: boolean }) {
  return hidden ? <span className="muted">{t.common.hiddenValue}</span> : <span className="muted" aria-label={t.common.notGiven}>{t.common.none}</span>;
}

/** A secret or id shown once, with a copy button (the clipboard is the user's, not storage of ours). */
export function Copyable({ label: text, value, multiline = false }: { label: string; value: string; multiline?: boolean }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const common = { id, readOnly: true, value, spellCheck: false, onFocus: (event: { target: { select(): void } }) => event.target.select() };
  return (
    <div className="field copyable">
      <label htmlFor={id}>{text}</label>
      <div className="copy-row">
        {multiline ? <textarea rows={Math.min(10, Math.max(2, value.split('\n').length))} {...common} /> : <input {...common} />}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {t.common.copy}
        </button>
      </div>
      {copied ? <Notice>{t.common.copied}</Notice> : null}
    </div>
  );
}

export type Load<T> = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ready'; data: T };

/**
 * Loads on mount and whenever `deps` change (showing "loading"); `reload()` refreshes in place,
 * keeping what is shown (and the screen's own state) until the new answer arrives. The latest call wins.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): [Load<T>, () => void] {
  const [result, setResult] = useState<Load<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const key = JSON.stringify(deps);
  const shownKey = useRef<string | null>(null);
  useEffect(() => {
    let current = true;
    if (shownKey.current !== key) setResult({ state: 'loading' });
    load().then(
      (data) => {
        if (!current) return;
        shownKey.current = key;
        setResult({ state: 'ready', data });
      },
      (error: unknown) => current && setResult({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure every render; `key` and `round` say when to call it again.
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return [result, reload];
}

/** Renders a load: loading, the error with a retry, or the content. */
export function Loaded<T>({ load, retry, children }: { load: Load<T>; retry: () => void; children: (data: T) => ReactNode }) {
  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') {
    return (
      <div>
        <ErrorNotice error={load.error} />
        <button type="button" className="secondary" onClick={retry}>
          {t.common.retry}
        </button>
      </div>
    );
  }
  return <>{children(load.data)}</>;
}

/** An action's state: busy while it runs, its error, and a message once done. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  done: string | null;
  run: (action: () => Promise<string | null | void>) => Promise<void>;
  reset: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<string | null | void>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone((await action()) ?? null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);
  return { busy, error, done, run, reset };
}

/** Saves JSON as a file: built in memory and handed to the browser, never sent anywhere. */
export function downloadJson(fileName: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
