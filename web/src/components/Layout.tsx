import { useEffect, type ReactNode } from 'react';
import { t } from '../i18n';
import { href, type Route } from '../router';

export interface NavItem {
  readonly route: Route;
  readonly label: string;
}

/** Header, navigation, main region and footer; a skip link first for keyboard users. */
export function Layout({
  title,
  nav,
  current,
  user,
  onExit,
  exitLabel,
  other,
  children,
}: {
  title: string;
  nav: readonly NavItem[];
  current: Route;
  user: string | null;
  onExit: (() => void) | null;
  exitLabel: string;
  other: NavItem;
  children: ReactNode;
}) {
  useEffect(() => {
    document.documentElement.lang = t.lang;
    document.title = `${title} — ${t.brand}`;
  }, [title]);
  return (
    <>
      <a className="skip" href="#main" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        {t.common.skipToContent}
      </a>
      <header className="top">
        <div className="top-row">
          <p className="brand">
            <span aria-hidden="true" className="logo" />
            <span>
              {t.brand} · {title}
            </span>
          </p>
          {onExit ? (
            <div className="user">
              {user ? <span className="user-name">{user}</span> : null}
              <button type="button" className="link-button" onClick={onExit}>
                {exitLabel}
              </button>
            </div>
          ) : null}
        </div>
        {nav.length > 0 ? (
          <nav aria-label={t.common.mainNavigation}>
            <ul>
              {nav.map((item) => {
                const active = item.route.area === current.area && item.route.screen === current.screen;
                return (
                  <li key={href(item.route)}>
                    <a href={href(item.route)} aria-current={active ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="bottom">
        <p>{t.common.footer}</p>
        <p>
          <a href={href(other.route)}>{other.label}</a>
        </p>
      </footer>
    </>
  );
}
