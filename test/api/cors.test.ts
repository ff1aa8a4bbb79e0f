/** CORS (CORS_ORIGINS): a listed frontend origin passes its preflight and gets the session cookie's answers; any other gets no CORS header. */
import { COOKIE, login, ME } from '../support/sessions';
import { registerClient } from '../support/accounts';
import { startTestServer } from '../support/server';
import { useWorld } from '../support/world';

const FRONTEND = 'http://localhost:5173';
const world = useWorld({ env: { CORS_ORIGINS: `${FRONTEND},https://app.example.kz` } });

/** A browser's preflight for a JSON POST carrying the credentials. */
const preflight = (origin: string) =>
  fetch(world.app.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

describe('CORS', () => {
  it('a listed origin passes the preflight: 204, its origin echoed, credentials allowed, the headers it asked for', async () => {
    const response = await preflight(FRONTEND);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(expect.arrayContaining(['content-type', 'authorization']));
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('an origin not on the list gets no CORS header, so its browser withholds the answer', async () => {
    for (const origin of ['http://localhost:5174', 'https://evil.example', 'null']) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('a cookie-carrying request from the listed origin is answered for the session, with the CORS headers', async () => {
    const account = await registerClient(world);
    const { cookie } = await login(world, account);
    const response = await world.gql(ME, {}, null, { origin: FRONTEND, cookie: `${COOKIE}=${cookie}` });
    expect(response.body.data).toEqual({ me: { id: account.clientId } });
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('with no list (production default), even a local dev origin gets no CORS header', async () => {
    const closed = await startTestServer();
    try {
      const response = await fetch(closed.app.url, { method: 'OPTIONS', headers: { origin: FRONTEND, 'access-control-request-method': 'POST' } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });
});
