/** `npm run schema`: prints the SDL with its directives; `--write` rewrites schema/schema.graphql. */
import 'reflect-metadata';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDeclaredSchema } from '../graphql/schema';
import { PROJECT_ROOT } from '../paths';
import { runCli, type CliSpec } from './cli';

export const SCHEMA_FILE = join(PROJECT_ROOT, 'schema', 'schema.graphql');

const SCHEMA_CLI = {
  command: 'npm run schema',
  usage: `
Usage: npm run schema            (rewrites schema/schema.graphql)
       node dist/src/cli/print-schema.js   (prints the SDL)

The schema's SDL with its @pii directives, as the code declares it; a test compares it with
schema/schema.graphql, so run this after changing a GraphQL type.

  --write     rewrite schema/schema.graphql instead of printing
  -h, --help  this text
`,
  options: { write: { type: 'boolean', default: false } },
} as const satisfies CliSpec;

export async function printedSchema(): Promise<string> {
  return `${printSchemaWithDirectives(await buildDeclaredSchema())}\n`;
}

if (require.main === module) {
  runCli(SCHEMA_CLI, async ({ values }) => {
    const sdl = await printedSchema();
    if (values.write) {
      writeFileSync(SCHEMA_FILE, sdl);
      console.log(`wrote ${SCHEMA_FILE}`);
    } else {
      process.stdout.write(sdl);
    }
    return 0;
  });
}
