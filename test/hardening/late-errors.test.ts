/**
 * Every error goes through the redacting logger, even one that arrives after the request was
 * answered (a body finishing, malformed, after the deadline): nothing reaches Express's default
 * handler, which prints the error, its stack and body-parser's `body` (the raw text) to stderr.
 */
import { connect } from 'node:net';
import { captureLog } from '../support/logs';
import { startWorld, type World } from '../support/world';

const CANARY_PASSWORD = 'Zlatepassword-5f2c9e';
const CANARY_IIN = '900515300417';

let world: World;
const { log, lines } = captureLog('debug');
const printed: string[] = [];

beforeAll(async () => {
  // Express decides whether its default handler prints from NODE_ENV when the app is made: as in production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    world = await startWorld({ env: { REQUEST_TIMEOUT_MS: '500' }, log });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
});
afterAll(async () => {
  jest.restoreAllMocks();
  await world.close();
});

it('a malformed body finishing after the deadline is logged by kind only; nothing reaches stderr', async () => {
  const body = `{"query":"mutation { login(login: \\"${CANARY_IIN}\\", password: \\"${CANARY_PASSWORD}\\") { token } }" ,,, }`;
  const [first, rest] = [body.slice(0, 12), body.slice(12)];
  const { port } = new URL(world.app.url);
  const received: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${first}`);
    });
    socket.on('data', (chunk) => {
      received.push(chunk);
      // The deadline's answer is in: the rest of the body follows it.
      if (Buffer.concat(received).includes('REQUEST_TIMEOUT')) socket.end(rest);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
  expect(Buffer.concat(received).toString()).toMatch(/^HTTP\/1\.1 503/);
  // The request's log line is written when its connection closes; the late error after it.
  for (let i = 0; i < 200 && !lines.some((l) => l.includes('after the answer')); i++) await new Promise((r) => setTimeout(r, 10));

  expect(printed).toEqual([]);
  const late = lines.filter((l) => l.includes('after the answer'));
  expect(late).toHaveLength(1);
  expect(JSON.parse(late[0]!)).toMatchObject({ level: 30, kind: expect.stringMatching(/^(entity\.parse\.failed|request\.aborted)$/) });
  for (const line of lines) {
    expect(line).not.toContain(CANARY_PASSWORD);
    expect(line).not.toContain(CANARY_IIN);
  }
});
