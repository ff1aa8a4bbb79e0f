/**
 * Screens are named in the URL's fragment (#/consent, #/dpo/log): only screen names, never an id
 * or any value, so nothing personal reaches history, bookmarks or a server log.
 */
import { useEffect, useState } from 'react';

export const SUBJECT_SCREENS = ['data', 'consent', 'disclosures', 'export', 'erasure', 'security', 'policy'] as const;
export const DPO_SCREENS = ['erasure', 'requests', 'partners', 'log', 'subject'] as const;

export type SubjectScreen = (typeof SUBJECT_SCREENS)[number];
export type DpoScreen = (typeof DPO_SCREENS)[number];
export type Route = { area: 'subject'; screen: SubjectScreen } | { area: 'dpo'; screen: DpoScreen };

export function parseRoute(hash: string): Route {
  const [first, second] = hash.replace(/^#\/?/, '').split('/');
  if (first === 'dpo') return { area: 'dpo', screen: (DPO_SCREENS as readonly string[]).includes(second ?? '') ? (second as DpoScreen) : 'erasure' };
  return { area: 'subject', screen: (SUBJECT_SCREENS as readonly string[]).includes(first ?? '') ? (first as SubjectScreen) : 'data' };
}

export const href = (route: Route): string => (route.area === 'dpo' ? `#/dpo/${route.screen}` : `#/${route.screen}`);

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
