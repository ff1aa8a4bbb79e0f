/**
 * The logs' redaction follows the personal-column declaration: every declared property is redacted
 * at the top level and one level down, whatever its category, so a field added there never reaches
 * a log line by its name.
 */
import { Writable } from 'node:stream';
import { createLogger, REDACTED_PATHS } from '../../src/logger';
import { CLIENT_COMPUTED_FIELDS, CLIENT_PERSONAL_COLUMNS, ORDER_PERSONAL_COLUMNS } from '../../src/privacy/personal-columns';

const DECLARED = [...CLIENT_PERSONAL_COLUMNS, ...ORDER_PERSONAL_COLUMNS].map((c) => c.property as string).concat(Object.keys(CLIENT_COMPUTED_FIELDS));

it('every declared personal property is a redacted path, at the top level and one level down', () => {
  const missing = DECLARED.flatMap((p) => [p, `*.${p}`]).filter((path) => !REDACTED_PATHS.includes(path));
  expect(missing).toEqual([]);
});

it('a log line carrying declared properties, legal-entity requisites included, holds none of their values', async () => {
  let written = '';
  const sink = new Writable({ write(chunk, _encoding, done) { written += String(chunk); done(); } });
  const log = createLogger('info', sink);
  const values = Object.fromEntries(DECLARED.map((p, i) => [p, `canary-${i}-${p}`]));
  log.info({ ...values, client: values }, 'a line that should not carry them');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written).toContain('a line that should not carry them');
  for (const value of Object.values(values)) expect(written).not.toContain(value);
});
