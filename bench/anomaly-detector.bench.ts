/**
 * Quality of the anomaly detector (issue #7, part 6), measured against labelled incidents injected into
 * realistic seasonal series (see `bench/anomaly/synthetic-series.ts`), side by side with the common default:
 * a plain 3-sigma z-score over a 14-day window. Every point of the evaluation weeks is judged in streaming
 * fashion (history = everything before it), exactly as the monitor would see it.
 *
 * Targets: recall ≥ 95%, precision ≥ 90%, ≤ 1 false alert per table per week, and better than the z-score
 * on every figure.
 *
 * Usage: npx tsx bench/anomaly-detector.bench.ts [seed=7] [sensitivity=medium]
 */
import {
  detectAnomaly,
  type DetectorOptions,
  type Sensitivity,
  type SeriesPoint,
} from '../lambdas/core/monitor/anomaly/detect-anomaly.js';
import { zScoreBaseline } from '../lambdas/core/monitor/anomaly/z-score-baseline.js';
import { percentile, scoreAlerts, type Score, type SeriesAlerts } from './anomaly/score-alerts.js';
import {
  EVALUATION_START,
  EVALUATION_WEEKS,
  generateSeries,
  hourAt,
  type Series,
} from './anomaly/synthetic-series.js';
import { median } from './median.js';

const seed = Number(process.argv[2] ?? 7);
const sensitivity = (process.argv[3] ?? 'medium') as Sensitivity;
if (!['low', 'medium', 'high'].includes(sensitivity))
  throw new Error(`sensitivity must be low, medium or high`);

/** What a team would configure: volumes ignore swings under 2 rows/hour, null rates under 5 points. */
const OPTIONS: Record<Series['metric'], DetectorOptions> = {
  volume: { granularity: 'hour', sensitivity, absoluteFloor: 2 },
  null_rate: { granularity: 'hour', sensitivity, absoluteFloor: 0.05 },
};

type Judge = (history: readonly SeriesPoint[], observed: SeriesPoint, series: Series) => boolean;

function run(all: readonly Series[], judge: Judge): { results: SeriesAlerts[]; ms: number; calls: number } {
  const started = performance.now();
  let calls = 0;
  const results = all.map((series) => {
    const points: SeriesPoint[] = [];
    const index: number[] = [];
    series.values.forEach((value, i) => {
      if (value === undefined) return;
      const count = series.counts?.[i];
      points.push(count === undefined ? { at: hourAt(i), value } : { at: hourAt(i), value, count });
      index.push(i);
    });
    const alerts: (boolean | undefined)[] = new Array(series.values.length).fill(undefined);
    for (let k = 0; k < points.length; k += 1) {
      if (index[k]! < EVALUATION_START) continue;
      calls += 1;
      alerts[index[k]!] = judge(points.slice(0, k), points[k]!, series);
    }
    return { series, alerts };
  });
  return { results, ms: performance.now() - started, calls };
}

const series = generateSeries(seed);
const ours = run(
  series,
  (history, observed, s) => detectAnomaly(history, observed, OPTIONS[s.metric]).anomalous,
);
const zScore = run(
  series,
  (history, observed) => zScoreBaseline(history, observed, { windowDays: 14, sigmas: 3 }).anomalous,
);
const ourScore = scoreAlerts(ours.results, EVALUATION_WEEKS);
const zScoreScore = scoreAlerts(zScore.results, EVALUATION_WEEKS);

const delays = (score: Score): number[] =>
  score.outcomes.flatMap((o) => (o.delay === undefined ? [] : [o.delay]));
const bothDetected = (score: Score): number[] =>
  score.outcomes.flatMap((o, i) =>
    o.delay !== undefined &&
    zScoreScore.outcomes[i]!.delay !== undefined &&
    ourScore.outcomes[i]!.delay !== undefined
      ? [o.delay]
      : [],
  );
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const hours = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${x} h`);

interface Figure {
  readonly name: string;
  readonly ours: number;
  readonly zScore: number;
  readonly show: (x: number) => string;
  readonly higherIsBetter: boolean;
  readonly best: number;
  readonly target?: { readonly text: string; readonly met: (x: number) => boolean };
}

const figures: Figure[] = [
  {
    name: 'recall (incidents detected)',
    ours: ourScore.recall,
    zScore: zScoreScore.recall,
    show: pct,
    higherIsBetter: true,
    best: 1,
    target: { text: '≥ 95%', met: (x) => x >= 0.95 },
  },
  {
    name: 'precision (real / all alerts)',
    ours: ourScore.precision,
    zScore: zScoreScore.precision,
    show: pct,
    higherIsBetter: true,
    best: 1,
    target: { text: '≥ 90%', met: (x) => x >= 0.9 },
  },
  {
    name: 'false alerts per table-week',
    ours: ourScore.falseAlertsPerSeriesWeek,
    zScore: zScoreScore.falseAlertsPerSeriesWeek,
    show: (x) => x.toFixed(3),
    higherIsBetter: false,
    best: 0,
    target: { text: '≤ 1', met: (x) => x <= 1 },
  },
  {
    name: 'median detection delay',
    ours: median(delays(ourScore)),
    zScore: median(delays(zScoreScore)),
    show: hours,
    higherIsBetter: false,
    best: 0,
  },
  {
    name: 'p95 detection delay',
    ours: percentile(delays(ourScore), 95),
    zScore: percentile(delays(zScoreScore), 95),
    show: hours,
    higherIsBetter: false,
    best: 0,
  },
  {
    name: 'median delay, incidents both found',
    ours: median(bothDetected(ourScore)),
    zScore: median(bothDetected(zScoreScore)),
    show: hours,
    higherIsBetter: false,
    best: 0,
  },
  {
    name: 'p95 delay, incidents both found',
    ours: percentile(bothDetected(ourScore), 95),
    zScore: percentile(bothDetected(zScoreScore), 95),
    show: hours,
    higherIsBetter: false,
    best: 0,
  },
];

const beats = (f: Figure): boolean =>
  (f.higherIsBetter ? f.ours > f.zScore : f.ours < f.zScore) || (f.ours === f.best && f.zScore === f.best);

const incidents = ourScore.outcomes.length;
console.log(
  `Anomaly detector benchmark (seed ${seed}, sensitivity ${sensitivity}): ${series.length} hourly series ` +
    `(${series.filter((s) => s.metric === 'volume').length} table volumes from ~2 to ~20,000 rows/h, ` +
    `${series.filter((s) => s.metric === 'null_rate').length} null rates), ${EVALUATION_WEEKS} evaluated weeks after 4 weeks of history, ` +
    `${incidents} labelled incidents, ${ours.calls} points judged per detector.`,
);
console.log('');
const rows = figures.map((f) => [
  f.name,
  f.show(f.ours),
  f.show(f.zScore),
  f.target ? `${f.target.text}: ${f.target.met(f.ours) ? 'met' : 'NOT met'}` : '',
  beats(f) ? 'yes' : 'NO',
]);
const header = ['figure', 'ours', 'z-score 3σ/14d', 'target', 'ours better'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
console.log('');
console.log(
  `detected: ours ${ourScore.detected}/${incidents}, z-score ${zScoreScore.detected}/${incidents}; ` +
    `false alerts: ours ${ourScore.falseAlerts}, z-score ${zScoreScore.falseAlerts} over ${series.length * EVALUATION_WEEKS} table-weeks`,
);

const kinds = [...new Set(ourScore.outcomes.map((o) => o.incident.kind))];
console.log('');
console.log('recall by incident kind (ours / z-score):');
for (const kind of kinds) {
  const of = (score: Score) => score.outcomes.filter((o) => o.incident.kind === kind);
  const found = (score: Score) => of(score).filter((o) => o.delay !== undefined).length;
  console.log(
    `  ${kind.padEnd(12)} ${found(ourScore)}/${of(ourScore).length}  ${found(zScoreScore)}/${of(zScoreScore).length}`,
  );
}
console.log('');
console.log('false alerts by series (ours / z-score):');
ours.results.forEach((r, i) => {
  const one = (x: SeriesAlerts) => scoreAlerts([x], EVALUATION_WEEKS).falseAlerts;
  console.log(`  ${r.series.name.padEnd(38)} ${one(r)}  ${one(zScore.results[i]!)}`);
});
const missed = ourScore.outcomes.filter((o) => o.delay === undefined);
console.log('');
console.log(`missed by ours: ${missed.length === 0 ? 'none' : ''}`);
for (const o of missed)
  console.log(`  ${o.series}: ${o.incident.label} at ${hourAt(o.incident.start).toISOString()}`);
console.log('');
const targetsMet = figures.every((f) => (f.target ? f.target.met(f.ours) : true)) && figures.every(beats);
console.log(`all targets met: ${targetsMet ? 'yes' : 'NO'}`);
console.log(
  `runtime: ours ${(ours.ms / 1000).toFixed(1)} s (${((ours.ms / ours.calls) * 1000).toFixed(0)} µs/point), ` +
    `z-score ${(zScore.ms / 1000).toFixed(1)} s (${((zScore.ms / zScore.calls) * 1000).toFixed(0)} µs/point)`,
);
