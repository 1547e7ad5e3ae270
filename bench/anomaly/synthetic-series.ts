/**
 * Realistic hourly monitoring series with labelled incidents, for the anomaly-detector benchmark.
 *
 * Volumes (rows per hour) of tables from busy to tiny, with daily and weekly seasonality in each table's own
 * time zone (business-hours B2B traffic with a Monday-morning peak, evening-heavy consumer traffic, flat
 * global traffic), a gentle trend, day-to-day and hour-to-hour multiplicative noise, Poisson counting noise
 * and a few missing hours. Null rates of a column (nulls / rows, binomial noise, missing when a table had no
 * rows). The incident mix is fixed and drawn from the seed: per volume table two drops, a spike, a source
 * going silent and a persistent level shift; per null-rate series three null bursts.
 */
import { SeededRandom } from './seeded-random.js';

/** Kinds of labelled incidents. */
export type IncidentKind = 'drop' | 'spike' | 'silence' | 'level_shift' | 'null_burst';

/** One injected incident, in point indices of its series (hours from the series start). */
export interface Incident {
  readonly kind: IncidentKind;
  /** First affected hour. */
  readonly start: number;
  /** End (exclusive) of the window in which an alert counts as detecting it. */
  readonly detectUntil: number;
  /** End (exclusive) of the window in which alerts belong to it rather than being false. */
  readonly attributedUntil: number;
  /** Words for the report, e.g. "drop to 35% for 6 h". */
  readonly label: string;
}

/** One monitored series: values per hour (undefined = missing hour) and its incidents. */
export interface Series {
  readonly name: string;
  readonly metric: 'volume' | 'null_rate';
  /** Typical rows per hour (for volumes: the table's own; for null rates: the table's). */
  readonly volume: number;
  readonly values: readonly (number | undefined)[];
  /** For null rates, the rows each hour's rate was computed from (what a real monitor knows too). */
  readonly counts?: readonly number[];
  readonly incidents: readonly Incident[];
}

/** Shape of a day: multiplier per local hour, and per local weekday (0 = Monday). */
type Profile = 'b2b' | 'b2c' | 'global';

interface TableSpec {
  readonly name: string;
  readonly profile: Profile;
  readonly perHour: number;
  readonly utcOffset: number;
  readonly nullRate?: { readonly column: string; readonly p: number };
}

const TABLES: readonly TableSpec[] = [
  {
    name: 'app_events',
    profile: 'b2c',
    perHour: 20_000,
    utcOffset: 0,
    nullRate: { column: 'user_id', p: 0.03 },
  },
  { name: 'page_views', profile: 'b2b', perHour: 6_000, utcOffset: -5 },
  {
    name: 'stripe_charges',
    profile: 'global',
    perHour: 800,
    utcOffset: 0,
    nullRate: { column: 'customer_email', p: 0.08 },
  },
  {
    name: 'zendesk_tickets',
    profile: 'b2b',
    perHour: 120,
    utcOffset: 1,
    nullRate: { column: 'priority', p: 0.15 },
  },
  { name: 'signups', profile: 'b2c', perHour: 25, utcOffset: -8 },
  { name: 'refunds', profile: 'b2b', perHour: 6, utcOffset: 0 },
  { name: 'admin_audit', profile: 'b2b', perHour: 2, utcOffset: 1 },
];

/** Weeks of history before evaluation starts (the detector's default training window). */
export const WARMUP_WEEKS = 4;
/** Weeks evaluated point by point. */
export const EVALUATION_WEEKS = 8;
const HOURS = (WARMUP_WEEKS + EVALUATION_WEEKS) * 168;
/** The first hour evaluated. */
export const EVALUATION_START = WARMUP_WEEKS * 168;
/** A Monday, so weekday arithmetic stays readable. */
export const SERIES_START = Date.UTC(2026, 0, 5);
/** Alerts this many hours after an incident ends still belong to it. */
const GRACE_HOURS = 1;
/** A level shift counts as detected only if an alert comes within this many hours. */
const LEVEL_SHIFT_DETECTION_HOURS = 24;

function shape(profile: Profile, hour: number, weekday: number): number {
  const weekend = weekday >= 5;
  switch (profile) {
    case 'b2b': {
      const business = hour >= 8 && hour < 18 ? 1 : hour >= 6 && hour < 21 ? 0.45 : 0.12;
      const monday = weekday === 0 && hour >= 8 && hour < 11 ? 1.4 : 1;
      return (weekend ? 0.25 : 1) * business * monday;
    }
    case 'b2c': {
      const evening =
        hour >= 18 && hour < 23 ? 1.5 : hour >= 7 && hour < 18 ? 0.9 : hour >= 23 || hour < 2 ? 0.6 : 0.2;
      return (weekend ? 1.2 : 1) * evening;
    }
    case 'global':
      return (weekend ? 0.9 : 1) * (1 + 0.3 * Math.sin(((hour - 9) / 24) * 2 * Math.PI));
  }
}

function meanShape(profile: Profile): number {
  let sum = 0;
  for (let weekday = 0; weekday < 7; weekday += 1)
    for (let hour = 0; hour < 24; hour += 1) sum += shape(profile, hour, weekday);
  return sum / 168;
}

/** Draws the incident schedule of one series; level shifts come last so they persist to the end. */
function scheduleIncidents(
  random: SeededRandom,
  kinds: readonly Exclude<IncidentKind, 'level_shift'>[],
  withLevelShift: boolean,
): { kind: IncidentKind; start: number; duration: number; magnitude: number }[] {
  const planned: { kind: IncidentKind; start: number; duration: number; magnitude: number }[] = [];
  const shuffled = [...kinds];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = random.integer(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const spanEnd = withLevelShift ? HOURS - 2 * 168 : HOURS;
  const segment = Math.floor((spanEnd - EVALUATION_START) / shuffled.length);
  shuffled.forEach((kind, index) => {
    const start = EVALUATION_START + index * segment + random.integer(12, segment - 40);
    if (kind === 'drop')
      planned.push({ kind, start, duration: random.integer(2, 12), magnitude: random.uniform(0.1, 0.6) });
    else if (kind === 'spike')
      planned.push({ kind, start, duration: random.integer(1, 6), magnitude: random.uniform(3, 8) });
    else if (kind === 'silence') planned.push({ kind, start, duration: random.integer(3, 24), magnitude: 0 });
    else planned.push({ kind, start, duration: random.integer(1, 12), magnitude: random.uniform(0.3, 1) });
  });
  if (withLevelShift) {
    const start = HOURS - 2 * 168 + random.integer(0, 167);
    const magnitude = random.next() < 0.5 ? random.uniform(0.4, 0.65) : random.uniform(1.5, 2);
    planned.push({ kind: 'level_shift', start, duration: HOURS - start, magnitude });
  }
  return planned;
}

function label(kind: IncidentKind, duration: number, magnitude: number): string {
  if (kind === 'drop') return `drop to ${Math.round(magnitude * 100)}% for ${duration} h`;
  if (kind === 'spike') return `spike ×${magnitude.toFixed(1)} for ${duration} h`;
  if (kind === 'silence') return `silent for ${duration} h`;
  if (kind === 'null_burst') return `null rate ${Math.round(magnitude * 100)}% for ${duration} h`;
  return `level shift ×${magnitude.toFixed(2)}`;
}

function toIncident(plan: {
  kind: IncidentKind;
  start: number;
  duration: number;
  magnitude: number;
}): Incident {
  const end = plan.start + plan.duration;
  return plan.kind === 'level_shift'
    ? {
        kind: plan.kind,
        start: plan.start,
        detectUntil: plan.start + LEVEL_SHIFT_DETECTION_HOURS,
        attributedUntil: HOURS,
        label: label(plan.kind, plan.duration, plan.magnitude),
      }
    : {
        kind: plan.kind,
        start: plan.start,
        detectUntil: end + GRACE_HOURS,
        attributedUntil: end + GRACE_HOURS,
        label: label(plan.kind, plan.duration, plan.magnitude),
      };
}

/** Generates every benchmark series from one seed. */
export function generateSeries(seed: number): Series[] {
  const random = new SeededRandom(seed);
  const out: Series[] = [];
  for (const table of TABLES) {
    const norm = meanShape(table.profile);
    const growthPerWeek = random.uniform(-0.01, 0.02);
    const dayNoise = Array.from({ length: HOURS / 24 + 1 }, () => random.logNormal(0.06));
    const volumePlan = scheduleIncidents(random, ['drop', 'drop', 'spike', 'silence'], true);
    const nullPlan = table.nullRate
      ? scheduleIncidents(random, ['null_burst', 'null_burst', 'null_burst'], false)
      : [];
    const rows: number[] = [];
    const volumes: (number | undefined)[] = [];
    const rates: (number | undefined)[] = [];
    const nullDayNoise = Array.from({ length: HOURS / 24 + 1 }, () => random.logNormal(0.1));
    for (let h = 0; h < HOURS; h += 1) {
      const local = h + table.utcOffset + 24 * 7;
      const hour = local % 24;
      const weekday = Math.floor(local / 24) % 7;
      let mean =
        ((table.perHour * shape(table.profile, hour, weekday)) / norm) *
        (1 + growthPerWeek) ** (h / 168) *
        dayNoise[Math.floor(h / 24)]! *
        random.logNormal(0.05);
      for (const plan of volumePlan) {
        if (h < plan.start || h >= plan.start + plan.duration) continue;
        mean *= plan.magnitude;
      }
      const count = random.poisson(mean);
      rows.push(count);
      const missing = random.next() < 0.002;
      volumes.push(missing ? undefined : count);
      if (table.nullRate) {
        let p = Math.min(1, table.nullRate.p * nullDayNoise[Math.floor(h / 24)]! * random.logNormal(0.05));
        for (const plan of nullPlan)
          if (h >= plan.start && h < plan.start + plan.duration) p = Math.max(p, plan.magnitude);
        rates.push(count === 0 || missing ? undefined : random.binomial(count, p) / count);
      }
    }
    out.push({
      name: `${table.name} rows`,
      metric: 'volume',
      volume: table.perHour,
      values: volumes,
      incidents: volumePlan.map(toIncident),
    });
    if (table.nullRate)
      out.push({
        name: `${table.name}.${table.nullRate.column} null rate`,
        metric: 'null_rate',
        volume: table.perHour,
        values: rates,
        counts: rows,
        incidents: nullPlan.map(toIncident),
      });
  }
  return out;
}

/** The time of hour `index` of a series. */
export function hourAt(index: number): Date {
  return new Date(SERIES_START + index * 3_600_000);
}
