/** The benchmark's CPU profile summary: time by package, the GC's share of CPU, and the measured window only. */
import { formatSummary, GC, IDLE, packageOf, PROJECT, summariseProfile, type CpuProfile } from '../../bench/profile-summary';

const ROOT = '/srv/app';

describe('packageOf', () => {
  it.each([
    [{ functionName: 'map', url: `file://${ROOT}/node_modules/@mikro-orm/core/EntityManager.js` }, '@mikro-orm/core'],
    [{ functionName: 'parse', url: `${ROOT}/node_modules/pg/lib/client.js` }, 'pg'],
    [{ functionName: 'x', url: `${ROOT}/node_modules/graphql-shield/node_modules/tslib/tslib.js` }, 'tslib'],
    [{ functionName: 'decide', url: `file://${ROOT}/dist/src/privacy/decide.js` }, PROJECT],
    [{ functionName: 'emit', url: 'node:events' }, '(node core)'],
    [{ functionName: 'stringify', url: '' }, '(V8 builtins and native)'],
    [{ functionName: GC, url: '' }, GC],
    [{ functionName: '(program)', url: '' }, '(program)'],
    [{ functionName: IDLE, url: '' }, IDLE],
  ])('%o is %s', (frame, name) => {
    expect(packageOf(frame, ROOT)).toBe(name);
  });
});

describe('summariseProfile', () => {
  // root → project handler → pg; GC and idle hang off the root. Samples every 1000 µs from t = 10,000.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 4, 5] },
      { id: 2, callFrame: { functionName: 'handle', url: `file://${ROOT}/dist/src/http/app.js` }, children: [3] },
      { id: 3, callFrame: { functionName: 'query', url: `${ROOT}/node_modules/pg/lib/client.js` } },
      { id: 4, callFrame: { functionName: GC, url: '' } },
      { id: 5, callFrame: { functionName: IDLE, url: '' } },
    ],
    startTime: 10_000,
    endTime: 20_000,
    // 9 samples at 11,000 … 19,000, each lasting until the next (the last until endTime).
    samples: [3, 3, 3, 2, 4, 5, 5, 3, 4],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('self time by package, inclusive time over the stack, the GC\'s share of CPU (idle left out)', () => {
    const summary = summariseProfile(profile, { projectRoot: ROOT });
    expect(summary).toMatchObject({ windowMs: 9, idleMs: 2, cpuMs: 7 });
    expect(summary.gcShare).toBeCloseTo(2 / 7, 4);
    expect(summary.packages).toEqual([
      { name: 'pg', selfMs: 4, selfShare: 0.5714, inclusiveShare: 0.5714 },
      { name: GC, selfMs: 2, selfShare: 0.2857, inclusiveShare: 0.2857 },
      { name: PROJECT, selfMs: 1, selfShare: 0.1429, inclusiveShare: 0.7143 },
    ]);
    expect(formatSummary(summary)[0]).toBe('CPU 0.0 s of 0.0 s sampled (idle 0.0 s); garbage collector 28.6 % of CPU');
  });

  it('only the samples inside the window count', () => {
    const summary = summariseProfile(profile, { projectRoot: ROOT, window: { fromUs: 14_000, toUs: 18_000 } });
    // Samples at 14,000 (project), 15,000 (GC), 16,000 and 17,000 (idle).
    expect(summary).toMatchObject({ windowMs: 4, idleMs: 2, cpuMs: 2, gcShare: 0.5 });
    expect(summary.packages.map((p) => p.name).sort()).toEqual([GC, PROJECT].sort());
  });
});
