/** `npm run schema`: prints the SDL with its directives; `--write` rewrites schema/schema.graphql. */
import 'reflect-metadata';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDeclaredSchema } from '../graphql/schema';
import { PROJECT_ROOT } from '../paths';

export const SCHEMA_FILE = join(PROJECT_ROOT, 'schema', 'schema.graphql');

export async function printedSchema(): Promise<string> {
  return `${printSchemaWithDirectives(await buildDeclaredSchema())}\n`;
}

if (require.main === module) {
  printedSchema()
    .then((sdl) => {
      if (process.argv.includes('--write')) {
        writeFileSync(SCHEMA_FILE, sdl);
        console.log(`wrote ${SCHEMA_FILE}`);
      } else {
        process.stdout.write(sdl);
      }
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
