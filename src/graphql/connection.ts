/**
 * Relay connections: PageInfo, one edge and connection type per node type, and one forward keyset page over
 * a list ordered by (time, id), with cursors from src/graphql/cursor.ts.
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DEFAULT_RECORDS_PAGE_SIZE, pageSizeOf, type RequestContext } from './context';
import { cursorAt, positionAfter, type KeyedSort, type Position } from './cursor';

/** Relay's PageInfo: lists page forward (`first`, `after`). */
@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean, { description: 'Whether the page was asked for after a cursor: rows come before it' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/** An edge whose cursor is encoded when read: most selections of a page ask for none, or the last one's only. */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (node: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

export const edgesOf = <T>(nodes: readonly T[], cursorOf: (node: T) => string): Array<{ readonly cursor: string; readonly node: T }> =>
  nodes.map((node) => new Edge(node, cursorOf));

/** A forward page's PageInfo from its edges. */
export function pageInfoOf(edges: ReadonlyArray<{ cursor: string }>, hasNextPage: boolean, after: string | null | undefined): PageInfo {
  return { hasNextPage, hasPreviousPage: after != null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
}

@ArgsType()
export class RecordPageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_RECORDS_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' }) after?: string | null;
}

/** `${name}Edge` and `${name}Connection` around `node`. */
export function connectionType<T extends object>(name: string, node: ClassType<T>, description: string, cursorDescription?: string): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String, { description: cursorDescription }) cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`, { description })
  class NodeConnection {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return NodeConnection;
}

/**
 * `first` rows (within MAX_PAGE_SIZE) after the cursor's position. `fetch` reads up to `limit` rows
 * strictly after the position (null: from the start) in the list's order; the one row past
 * `first` says whether a page follows. A cursor of another sort is refused before `fetch` runs.
 */
export async function keysetPage<T>(
  ctx: RequestContext,
  { first, after }: RecordPageArgs,
  sort: KeyedSort,
  fetch: (position: Position | null, limit: number) => Promise<T[]>,
  positionOf: (row: T) => Position,
): Promise<Connection<T>> {
  const size = pageSizeOf(ctx, first, DEFAULT_RECORDS_PAGE_SIZE);
  const rows = await fetch(positionAfter(sort, after), size + 1);
  const edges = edgesOf(rows.slice(0, size), (node) => cursorAt(sort, positionOf(node)));
  return { edges, pageInfo: pageInfoOf(edges, rows.length > size, after) };
}

/** The ORM condition for rows after a position in (time, id) order: a row tie-broken by its id. */
export function afterPosition(timeField: string, position: Position | null, direction: 'asc' | 'desc'): object {
  if (!position) return {};
  const op = direction === 'asc' ? '$gt' : '$lt';
  return { $or: [{ [timeField]: { [op]: position.at } }, { [timeField]: position.at, id: { [op]: position.id } }] };
}
