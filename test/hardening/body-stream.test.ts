/**
 * A body the server will not take is refused as soon as that is known, and the connection is
 * closed: the server does not keep reading what it has refused (a declared Content-Length over
 * the limit, a chunked body growing past it, a body still arriving at the deadline).
 */
import { connect, type Socket } from 'node:net';
import { useWorld } from '../support/world';

const LIMIT = 4096;
const world = useWorld({ env: { REQUEST_MAX_BYTES: String(LIMIT), REQUEST_TIMEOUT_MS: '1500' } });


interface Exchange {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  text(): string;
  /** Resolves when the server has closed the connection (or after `ms`, with false). */
  closed(ms: number): Promise<boolean>;
}

function open(head: string): Promise<Exchange> {
  const { port } = new URL(world.app.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(head);
      resolve({
        socket,
        text: () => Buffer.concat(received).toString('utf8'),
        closed: (ms) => (ended ? Promise.resolve(true) : new Promise((done) => {
          const timer = setTimeout(() => done(false), ms);
          socket.once('close', () => {
            clearTimeout(timer);
            done(true);
          });
        })),
      });
    });
    const received: Buffer[] = [];
    let ended = false;
    socket.on('data', (chunk) => received.push(chunk));
    // The server may reset a connection whose upload it stopped reading: that is the point.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      ended = true;
    });
    socket.once('error', reject);
  });
}

const headOf = (headers: Record<string, string>) =>
  `POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

const statusOf = (text: string) => /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];

it('a declared Content-Length over REQUEST_MAX_BYTES is refused at once with 413 PAYLOAD_TOO_LARGE, and the connection is closed', async () => {
  const exchange = await open(headOf({ 'content-length': '10000000000' }));
  // The server answers without waiting for a single byte of the body, then closes.
  expect(await exchange.closed(20_000)).toBe(true);
  expect(statusOf(exchange.text())).toBe('413');
  expect(exchange.text()).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
  expect(exchange.text()).toMatch(/\r\nconnection: close\r\n/i);
  expect((await world.gql('{ privacyPolicy { version } }')).body.errors).toBeUndefined();
});

it('a chunked body growing past the limit is refused with 413 and the server stops reading it', async () => {
  const exchange = await open(headOf({ 'transfer-encoding': 'chunked' }));
  const chunk = `{"query":"${' '.repeat(1000)}`.slice(0, 1024);
  let sent = 0;
  let closed = false;
  exchange.socket.once('close', () => {
    closed = true;
  });
  // Paced, so that what the server reads is what was sent, not what sits in socket buffers.
  while (!closed && sent < 1000) {
    exchange.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    sent += 1;
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(closed).toBe(true);
  expect(sent).toBeLessThan(1000);
  expect(statusOf(exchange.text())).toBe('413');
  expect(exchange.text()).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
});

it('a body still arriving at the deadline gets REQUEST_TIMEOUT and its connection is closed, not read on', async () => {
  const exchange = await open(headOf({ 'content-length': '2000' }));
  exchange.socket.write('{"query":"');
  expect(await exchange.closed(20_000)).toBe(true);
  expect(statusOf(exchange.text())).toBe('503');
  expect(exchange.text()).toMatch(/"code":"REQUEST_TIMEOUT"/);
});
