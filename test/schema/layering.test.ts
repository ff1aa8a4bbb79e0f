/**
 * The layering, read from every src file's imports (type-only ones included: a dependency is a
 * dependency):
 * - src/graphql is the API layer. It is imported by the transport (src/http), by itself, and by
 *   the GraphQL adapters kept beside their capability (one folder per capability): resolvers,
 *   object and input types and Apollo plugins (`*.resolver.ts`, `*.type.ts`, `*.inputs.ts`,
 *   `*.plugin.ts`), plus the few files below that work on a GraphQL request by nature. Services,
 *   stores, entities, auth, observability and the CLIs are used by the API, never the other way.
 * - src/privacy, the privacy core, reaches no GraphQL, ORM or SQL module, directly or through
 *   another project file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../src/paths';

const SRC = join(PROJECT_ROOT, 'src');

/** Adapters by name, each with why it belongs to the API. */
const NAMED_ADAPTERS: Record<string, string> = {
  'src/auth/shield.ts': "graphql-shield's rules over the request context",
  'src/orders/served-orders.ts': 'the order pages resolvers serve, shaped by the query selection, paged by the API cursors',
  'src/clients/client-listing.ts': 'the clients page, paged by the API cursors',
  'src/cli/print-schema.ts': "prints the API's SDL",
};
const ADAPTER_FILE = /\.(resolver|type|inputs|plugin)\.ts$/;
const mayImportGraphql = (file: string): boolean =>
  file.startsWith('src/graphql/') || file.startsWith('src/http/') || ADAPTER_FILE.test(file) || file in NAMED_ADAPTERS;

/** Packages that are GraphQL, ORM or SQL. */
const GRAPHQL_ORM_SQL = /^(graphql|graphql-.+|type-graphql|@graphql-tools\/.+|@apollo\/.+|@mikro-orm\/.+|pg|pg-.+|knex|dataloader)(\/.*)?$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Imports {
  /** Project files, relative to the root (`src/graphql/context.ts`). */
  readonly local: string[];
  readonly packages: string[];
}

const rel = (path: string) => relative(PROJECT_ROOT, path).split('\\').join('/');

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base]) {
    try {
      readFileSync(candidate);
      return rel(candidate);
    } catch {
      // try the next form
    }
  }
  throw new Error(`${rel(from)} imports ${specifier}, which is not a file`);
}

/** import, export … from, import(), require(): as TypeScript's own pre-processor reads them. */
function importsOf(file: string): Imports {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const local: string[] = [];
  const packages: string[] = [];
  for (const { fileName } of importedFiles) {
    if (fileName.startsWith('.')) local.push(resolveLocal(file, fileName));
    else packages.push(fileName.replace(/^node:/, ''));
  }
  return { local, packages };
}

const graph = new Map(sourceFiles(SRC).map((file) => [rel(file), importsOf(file)]));

it('reads the imports it judges', () => {
  expect(graph.size).toBeGreaterThan(100);
  expect(graph.get('src/http/app.ts')!.local).toContain('src/graphql/schema.ts');
  expect(graph.get('src/graphql/schema.ts')!.packages).toContain('type-graphql');
  for (const file of Object.keys(NAMED_ADAPTERS)) expect(graph.has(file)).toBe(true);
});

it('nothing but src/http, src/graphql and the GraphQL adapters imports src/graphql', () => {
  const offending = [...graph].flatMap(([file, { local }]) =>
    mayImportGraphql(file) ? [] : local.filter((target) => target.startsWith('src/graphql/')).map((target) => `${file} -> ${target}`),
  );
  expect(offending).toEqual([]);
});

it('src/privacy reaches no GraphQL, ORM or SQL module, directly or through another project file', () => {
  const offending: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, via: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const imports = graph.get(file);
    if (!imports) throw new Error(`${file} is not a source file`);
    for (const name of imports.packages) if (GRAPHQL_ORM_SQL.test(name)) offending.push(`${[...via, file].join(' -> ')} -> ${name}`);
    for (const target of imports.local) {
      if (target.startsWith('src/graphql/') || target.startsWith('src/db/') || target.endsWith('.entity.ts')) offending.push(`${[...via, file].join(' -> ')} -> ${target}`);
      visit(target, [...via, file]);
    }
  };
  const core = [...graph.keys()].filter((file) => file.startsWith('src/privacy/'));
  expect(core.length).toBeGreaterThan(5);
  for (const file of core) visit(file, []);
  expect(offending).toEqual([]);
});
