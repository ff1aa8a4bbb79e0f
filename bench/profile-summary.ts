/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, a `.cpuprofile` file) by package: time spent in
 * each npm package's own functions (the package named by its last `node_modules/` folder), in the
 * project's own code, in node's core modules, in V8's builtins, in the garbage collector, and
 * `(program)` (native code V8 cannot attribute) and `(idle)`. Self time is where the CPU was;
 * inclusive time is the share of samples with the package anywhere on the stack.
 *
 * `node dist/bench/profile-summary.js <file.cpuprofile> [--from <µs> --to <µs>]`: the window, in
 * the profile's clock (the monotonic clock, `process.hrtime`), keeps start-up and warm-up out.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/paths';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export const GC = '(garbage collector)';
export const PROGRAM = '(program)';
export const IDLE = '(idle)';
export const PROJECT = "(project's own code)";
const NODE_CORE = '(node core)';
const V8_BUILTINS = '(V8 builtins and native)';
const ROOT = '(root)';

export interface PackageTime {
  readonly name: string;
  readonly selfMs: number;
  /** Of CPU time (everything but idle), 0–1. */
  readonly selfShare: number;
  /** Share of CPU time with this package anywhere on the stack, 0–1. */
  readonly inclusiveShare: number;
}

export interface ProfileSummary {
  readonly windowMs: number;
  readonly cpuMs: number;
  readonly idleMs: number;
  /** The garbage collector's share of CPU time, 0–1. */
  readonly gcShare: number;
  /** Largest self time first. */
  readonly packages: readonly PackageTime[];
}

/** Which package a frame belongs to. */
export function packageOf(frame: ProfileNode['callFrame'], projectRoot = PROJECT_ROOT): string {
  const { url, functionName } = frame;
  if (!url) return [GC, PROGRAM, IDLE, ROOT].includes(functionName) ? functionName : V8_BUILTINS;
  if (url.startsWith('node:')) return NODE_CORE;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const at = path.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const [scope, name] = path.slice(at + '/node_modules/'.length).split('/');
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!;
  }
  if (path.startsWith(`${projectRoot}/`)) return PROJECT;
  return path.startsWith('/') ? '(other files)' : NODE_CORE;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Self and inclusive time per package, over the samples inside `window` (µs, the profile's clock) if given. */
export function summariseProfile(profile: CpuProfile, options: { projectRoot?: string; window?: { fromUs: number; toUs: number } } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const own = new Map(profile.nodes.map((node) => [node.id, packageOf(node.callFrame, options.projectRoot)]));
  // The packages on each node's stack, computed once per node.
  const onStack = new Map<number, ReadonlySet<string>>();
  const stackOf = (id: number): ReadonlySet<string> => {
    const known = onStack.get(id);
    if (known) return known;
    const up = parent.get(id);
    const set = new Set(up === undefined ? [] : stackOf(up));
    set.add(own.get(id)!);
    onStack.set(id, set);
    return set;
  };

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (at += delta));
  for (let i = 0; i < profile.samples.length; i++) {
    const start = times[i]!;
    // A sample lasts until the next one (the last until the profile ends).
    const duration = (times[i + 1] ?? profile.endTime) - start;
    if (duration <= 0) continue;
    if (options.window && (start < options.window.fromUs || start >= options.window.toUs)) continue;
    const id = profile.samples[i]!;
    if (!byId.has(id)) continue;
    const name = own.get(id)!;
    self.set(name, (self.get(name) ?? 0) + duration);
    for (const pkg of stackOf(id)) inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + duration);
  }
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const idleUs = self.get(IDLE) ?? 0;
  const cpuUs = totalUs - idleUs;
  const packages = [...self.entries()]
    .filter(([name]) => name !== IDLE && name !== ROOT)
    .map(([name, us]) => ({
      name,
      selfMs: round(us / 1000, 1),
      selfShare: cpuUs > 0 ? round(us / cpuUs, 4) : 0,
      inclusiveShare: cpuUs > 0 ? round(Math.min(inclusive.get(name) ?? 0, cpuUs) / cpuUs, 4) : 0,
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return {
    windowMs: round(totalUs / 1000, 1),
    cpuMs: round(cpuUs / 1000, 1),
    idleMs: round(idleUs / 1000, 1),
    gcShare: cpuUs > 0 ? round((self.get(GC) ?? 0) / cpuUs, 4) : 0,
    packages,
  };
}

/** No inclusive figure: nothing calls into them (GC, program), or they sit under nearly every stack (the event loop's frames). */
const STACK_BOTTOM = [GC, PROGRAM, NODE_CORE, V8_BUILTINS];

const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;

/** The summary as a table, one package a line (those under 0.5 % of CPU time folded into one line). */
export function formatSummary(summary: ProfileSummary, minShare = 0.005): string[] {
  const shown = summary.packages.filter((p) => p.selfShare >= minShare);
  const rest = summary.packages.filter((p) => p.selfShare < minShare);
  const lines = [
    `CPU ${(summary.cpuMs / 1000).toFixed(1)} s of ${(summary.windowMs / 1000).toFixed(1)} s sampled (idle ${(summary.idleMs / 1000).toFixed(1)} s); garbage collector ${percent(summary.gcShare).trim()} of CPU`,
    `${'package'.padEnd(34)} ${'self ms'.padStart(9)} ${'self'.padStart(7)} ${'inclusive'.padStart(9)}`,
    ...shown.map((p) => `${p.name.padEnd(34)} ${p.selfMs.toFixed(0).padStart(9)} ${percent(p.selfShare)} ${STACK_BOTTOM.includes(p.name) ? '        -'.padStart(9) : percent(p.inclusiveShare).padStart(9)}`),
  ];
  if (rest.length > 0) {
    const ms = rest.reduce((a, p) => a + p.selfMs, 0);
    lines.push(`${`(${rest.length} more, each under ${(minShare * 100).toFixed(1)} %)`.padEnd(34)} ${ms.toFixed(0).padStart(9)} ${percent(rest.reduce((a, p) => a + p.selfShare, 0))}`);
  }
  return lines;
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (positionals.length !== 1) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [--from <µs> --to <µs>]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
  const window = values.from !== undefined && values.to !== undefined ? { fromUs: Number(values.from), toUs: Number(values.to) } : undefined;
  for (const line of formatSummary(summariseProfile(profile, { window }))) console.log(line);
}
