/** The server's log captured as text, for tests of what it writes. */
import type { Logger } from 'pino';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';

/** Every log line the server writes, as text, at the given level. */
export function captureLog(level = 'debug'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}
