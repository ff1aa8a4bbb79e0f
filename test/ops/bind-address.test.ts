/**
 * HOST: the address the server binds to. All interfaces by default (and in the container, where a
 * published port must reach it); loopback when a proxy on the same machine is the only way in.
 */
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../../src/config';
import { startTestServer, type TestServer } from '../support/server';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function started(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ env });
  servers.push(server);
  return server;
}

it('HOST=127.0.0.1 binds to loopback only, and the server serves there', async () => {
  const server = await started({ HOST: '127.0.0.1' });
  expect((server.app.server.address() as AddressInfo).address).toBe('127.0.0.1');
  expect(server.app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  expect((await server.gql('{ privacyPolicy { version } }')).body.errors).toBeUndefined();
});

it('HOST=::1 binds to IPv6 loopback; its URL brackets the address', async () => {
  const server = await started({ HOST: '::1' });
  expect((server.app.server.address() as AddressInfo).address).toBe('::1');
  expect(server.app.url).toMatch(/^http:\/\/\[::1\]:\d+\/graphql$/);
  expect((await server.gql('{ privacyPolicy { version } }')).body.errors).toBeUndefined();
});

it('without HOST the server listens on every interface', async () => {
  const server = await started({});
  expect(['::', '0.0.0.0']).toContain((server.app.server.address() as AddressInfo).address);
  expect(server.app.url).toMatch(/^http:\/\/localhost:\d+\/graphql$/);
});

it('a HOST that is neither an IP address nor a host name stops the start, naming the variable, not the value', () => {
  for (const bad of ['http://0.0.0.0', '127.0.0.1:4000', 'two words', '-bad-']) {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'test', HOST: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['HOST must be an IP address or a host name']);
  }
  expect(loadConfig({ NODE_ENV: 'test', HOST: 'localhost' }).host).toBe('localhost');
});
