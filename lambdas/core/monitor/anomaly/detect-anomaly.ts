/**
 * The anomaly detector behind volume, null-rate and business-metric monitors (issue #7, part 3). It decides
 * whether one observed value is unusual given the metric's own history, and says why in a sentence.
 *
 * Method, in order:
 * 1. Training window: the `trainingDays` before the observed point (minus the last few points, which are the
 *    trailing evidence windows and must not vouch for themselves).
 * 2. Seasonality: each value is expected to be the median of the training values at the same hour of the day,
 *    hour of the week or day of the week; `auto` picks the simplest seasonality whose leave-one-out error no
 *    richer one beats by 10%.
 * 3. Scale: how much windows that the seasonality considers equivalent disagreed in the training history
 *    (robust spread of pairwise differences), plus the uncertainty of the median itself. Counts are modelled
 *    as Poisson noise plus fitted relative noise (a negative binomial) and judged by exact tail probabilities,
 *    so 16 empty hours on a table of 2 rows an hour are overwhelming evidence while 11 rows where 3 are usual
 *    are not. Rates with known rows (null rates) are pooled over each window's rows and judged against
 *    binomial sampling noise plus fitted relative noise.
 * 4. Evidence: the observed point and the trailing windows ending at it (3, 6, 12 and 24 hours; 2 days), each
 *    scored in standard normal deviations of equal tail probability. A window only alerts while the observed
 *    point and every shorter trailing window are closer to the window's level than to the usual one, so an
 *    alert stops when the metric recovers.
 * 5. Thresholds by sensitivity, then floors (absolute and relative) that tiny tables cannot cross by noise.
 *
 * Pure: no I/O, no clock; the caller passes the history (a sustained drop keeps alerting until half of a slot's
 * history has shifted; the caller groups verdicts into incidents).
 */
import { countBounds, logCountTail, logTailOfDeviations } from './count-tail.js';
import { describeChange, describeHistory, describeSubject, formatValue } from './explain-verdict.js';
import { rateEvidence } from './rate-evidence.js';
import { median } from './robust-statistics.js';
import {
  GRID,
  describeSlots,
  fitSeasonality,
  relativeGuard,
  type Granularity,
  type SeasonalProfile,
} from './seasonal-profile.js';
import {
  WINDOW_LENGTHS,
  windowAverages,
  windowEvidence,
  type SeriesTraits,
  type WindowAverages,
  type WindowEvidence,
} from './window-evidence.js';

/** One value of a metric: `at` is the start of the hour or day it covers. */
export interface SeriesPoint {
  readonly at: Date;
  readonly value: number;
  /**
   * For a rate (e.g. a null rate), how many rows it was computed from: lets the detector allow for the sampling
   * noise of a rate from few rows instead of alerting on it. Omit for counts and business metrics.
   */
  readonly count?: number;
}

/** How readily the detector alerts: thresholds of 6 (low), 4.5 (medium) and 3.5 (high) robust deviations. */
export type Sensitivity = 'low' | 'medium' | 'high';

/** How one monitor wants its metric judged; only `granularity` is required. */
export interface DetectorOptions {
  /** What one point covers. */
  readonly granularity: 'hour' | 'day';
  /** Days of history before the observed point to learn from (default 28: four of each weekday). */
  readonly trainingDays?: number;
  /** Default 'medium'. */
  readonly sensitivity?: Sensitivity;
  /** Default 'auto': the simplest of none / daily / daily+weekly (weekly for days) that fits the history. */
  readonly seasonality?: 'auto' | 'none' | 'weekly' | 'daily' | 'daily+weekly';
  /** Deviations smaller than this (in the metric's units, per point) never alert (default 0). */
  readonly absoluteFloor?: number;
  /** Deviations smaller than this share of the expected value never alert (default 0.1). */
  readonly percentFloor?: number;
  /** Which way is worth an alert (default 'both'). */
  readonly direction?: 'both' | 'drop' | 'spike';
}

/** The detector's answer for one observed point, ready for `ops.monitor_results` and a Slack message. */
export interface AnomalyVerdict {
  readonly anomalous: boolean;
  /**
   * The observed value; when the evidence was a trailing window rather than the point alone, the window's
   * average per point (the explanation says which).
   */
  readonly observed: number;
  /** The range outside which `observed` alerts (thresholds and floors applied), and its center. */
  readonly expected: { readonly low: number; readonly center: number; readonly high: number };
  /** Robust deviations from center (signed). */
  readonly score: number;
  readonly direction: 'drop' | 'spike' | 'none';
  /** The history the verdict rests on. */
  readonly comparedWith: {
    readonly points: number;
    readonly from: Date;
    readonly to: Date;
    readonly seasonality: string;
  };
  /** One sentence a human reads in Slack: observed vs expected range and what history it used. */
  readonly explanation: string;
  /** Why a verdict is not an alert despite looking unusual, or why no judgement was possible. */
  readonly reason?: 'insufficient_history' | 'below_floor';
}

const THRESHOLDS: Readonly<Record<Sensitivity, number>> = { low: 6, medium: 4.5, high: 3.5 };

/**
 * A count window whose deviation is under this share of threshold × √expected is not worth an exact test:
 * even Poisson noise alone explains it (the share is loose because exact tails of small counts are lopsided).
 */
const COUNT_PREFILTER = 0.5;

/** Fewest training days before any verdict: one of each weekday. */
const MIN_HISTORY_DAYS = 7;

interface Settings {
  readonly granularity: Granularity;
  readonly trainingDays: number;
  readonly threshold: number;
  readonly seasonality: NonNullable<DetectorOptions['seasonality']>;
  readonly absoluteFloor: number;
  readonly percentFloor: number;
  readonly direction: NonNullable<DetectorOptions['direction']>;
}

function settingsOf(options: DetectorOptions): Settings {
  return {
    granularity: options.granularity,
    trainingDays: Math.max(1, options.trainingDays ?? 28),
    threshold: THRESHOLDS[options.sensitivity ?? 'medium'],
    seasonality: options.seasonality ?? 'auto',
    absoluteFloor: Math.max(0, options.absoluteFloor ?? 0),
    percentFloor: Math.max(0, options.percentFloor ?? 0.1),
    direction: options.direction ?? 'both',
  };
}

/** An evidence window judged against thresholds and floors. */
interface Judged extends WindowEvidence {
  readonly low: number;
  readonly high: number;
  readonly unusual: boolean;
  readonly alerts: boolean;
}

/**
 * Whether a shorter, more recent window (or the point alone) is at least as close to the longer window's
 * anomalous level (the usual value scaled by the longer window's observed/expected ratio) as to the usual
 * value: the anomaly the longer window shows is still going on.
 */
function continues(recent: WindowAverages, window: WindowAverages): boolean {
  const anomalousLevel =
    window.center === 0
      ? recent.center + (window.observed - window.center)
      : (window.observed / window.center) * recent.center;
  return Math.abs(recent.observed - anomalousLevel) <= Math.abs(recent.observed - recent.center);
}

/**
 * The range of window averages that stay quiet statistically: center ± threshold·sigma, or for counts the
 * most extreme sums whose exact tail probability is still above the threshold's.
 */
function statisticalRange(evidence: WindowEvidence, threshold: number): { low: number; high: number } {
  if (!evidence.counts) {
    const margin = threshold * evidence.sigma;
    return { low: evidence.center - margin, high: evidence.center + margin };
  }
  const sums = countBounds(evidence.counts.distribution, threshold);
  // Sums below `sums.low` or above `sums.high` are improbable: as averages, below low/length or above high/length.
  return { low: sums.low / evidence.length, high: sums.high / evidence.length };
}

/** Whether the window's own evidence (before floors) reaches the threshold. */
function reachesThreshold(evidence: WindowEvidence, threshold: number): boolean {
  if (!evidence.counts) return Math.abs(evidence.observed - evidence.center) > threshold * evidence.sigma;
  const { sum, distribution } = evidence.counts;
  if (sum === distribution.mean) return false;
  const side = sum < distribution.mean ? 'low' : 'high';
  return logCountTail(distribution, sum, side) <= logTailOfDeviations(threshold);
}

function judge(
  evidence: WindowEvidence,
  settings: Settings,
  bounds: { nonNegative: boolean; unitInterval: boolean },
): Judged {
  const deviation = evidence.observed - evidence.center;
  const floor = Math.max(settings.absoluteFloor, settings.percentFloor * Math.abs(evidence.center));
  const allowed = deviation < 0 ? settings.direction !== 'spike' : settings.direction !== 'drop';
  const unusual = allowed && reachesThreshold(evidence, settings.threshold);
  // The range is costly for counts: only the point itself and unusual windows can be reported.
  if (!unusual && evidence.length > 1)
    return { ...evidence, low: Number.NaN, high: Number.NaN, unusual, alerts: false };
  const statistical = statisticalRange(evidence, settings.threshold);
  let low = Math.min(statistical.low, evidence.center - floor);
  let high = Math.max(statistical.high, evidence.center + floor);
  if (bounds.nonNegative) low = Math.max(0, low);
  if (bounds.unitInterval) high = Math.min(1, high);
  const alerts =
    unusual && Math.abs(deviation) >= floor && (evidence.observed < low || evidence.observed > high);
  return { ...evidence, low, high, unusual, alerts };
}

function floorWords(settings: Settings): string {
  const parts: string[] = [];
  if (settings.absoluteFloor > 0) parts.push(`${formatValue(settings.absoluteFloor)} absolute`);
  if (settings.percentFloor > 0) parts.push(`${Math.round(settings.percentFloor * 100)}% of expected`);
  return parts.join(', ');
}

function insufficient(
  observed: SeriesPoint,
  training: ReadonlyMap<number, number>,
  settings: Settings,
  why: string,
): AnomalyVerdict {
  const values = [...training.values()];
  const center = values.length > 0 ? median(values) : observed.value;
  const slots = [...training.keys()];
  const step = GRID[settings.granularity].stepMs;
  const from = slots.length > 0 ? new Date(Math.min(...slots) * step) : observed.at;
  const to = slots.length > 0 ? new Date(Math.max(...slots) * step) : observed.at;
  return {
    anomalous: false,
    observed: observed.value,
    expected: { low: center, center, high: center },
    score: 0,
    direction: 'none',
    comparedWith: { points: values.length, from, to, seasonality: settings.seasonality },
    explanation: `Observed ${formatValue(observed.value)}; not judged: ${why}.`,
    reason: 'insufficient_history',
  };
}

/**
 * Judges `observed` against `history` (any order; points outside the training window, at or after the
 * observed point, or non-finite are ignored; one value per hour or day, the last one wins).
 * @throws RangeError when the observed point has an invalid date or a non-finite value.
 */
export function detectAnomaly(
  history: readonly SeriesPoint[],
  observed: SeriesPoint,
  options: DetectorOptions,
): AnomalyVerdict {
  const at = observed.at.getTime();
  if (!Number.isFinite(at) || !Number.isFinite(observed.value))
    throw new RangeError('detectAnomaly: the observed point needs a valid date and a finite value');
  const settings = settingsOf(options);
  const { stepMs, perDay } = GRID[settings.granularity];
  const observedSlot = Math.floor(at / stepMs);
  const lengths = WINDOW_LENGTHS[settings.granularity];
  const longest = Math.max(...lengths);
  const firstSlot = observedSlot - Math.round(settings.trainingDays * perDay);
  const recentFrom = observedSlot - longest + 1;

  const training = new Map<number, number>();
  const recent = new Map<number, number>();
  const counts = new Map<number, number>();
  if (observed.count !== undefined && Number.isFinite(observed.count))
    counts.set(observedSlot, observed.count);
  for (const point of history) {
    const slot = Math.floor(point.at.getTime() / stepMs);
    if (!(slot >= firstSlot && slot < observedSlot) || !Number.isFinite(point.value)) continue;
    (slot >= recentFrom ? recent : training).set(slot, point.value);
    if (point.count !== undefined && Number.isFinite(point.count)) counts.set(slot, point.count);
  }

  const unit = settings.granularity === 'hour' ? 'hourly' : 'daily';
  const needed = Math.ceil(Math.min(MIN_HISTORY_DAYS, settings.trainingDays) * perDay * 0.5);
  if (training.size < Math.max(needed, 3))
    return insufficient(
      observed,
      training,
      settings,
      `only ${training.size} ${unit} values of history in the last ${settings.trainingDays} days, at least ${Math.max(needed, 3)} are needed`,
    );

  const values = [...training.values()];
  const isCount = values.every((v) => v >= 0 && Number.isInteger(v)) && values.some((v) => v > 1);
  const traits: SeriesTraits = { isCount, guard: relativeGuard(values, isCount) };
  const bounds = {
    nonNegative: values.every((v) => v >= 0),
    unitInterval: !isCount && values.every((v) => v >= 0 && v <= 1),
  };

  const profile: SeasonalProfile | undefined = fitSeasonality(
    settings.seasonality,
    settings.granularity,
    training,
    observedSlot,
    traits.guard,
  );
  if (!profile)
    return insufficient(
      observed,
      training,
      settings,
      `too few earlier values at the same slot for ${settings.seasonality === 'auto' ? 'any' : `'${settings.seasonality}'`} seasonality`,
    );

  const evidence: Judged[] = [];
  const shorter: WindowAverages[] = [];
  for (const length of lengths) {
    const levels = windowAverages({ length, observedSlot, observedValue: observed.value, recent, profile });
    if (!levels) continue;
    const worthScoring = (average: number, center: number): boolean =>
      length === 1 ||
      (shorter.every((recentLevels) => continues(recentLevels, { observed: average, center })) &&
        (!traits.isCount ||
          Math.abs(average - center) * length >
            COUNT_PREFILTER * settings.threshold * Math.sqrt(Math.max(center * length, 0.5))));
    const rowsKnown = bounds.unitInterval && counts.size > 0;
    const found =
      (rowsKnown && worthScoring(levels.observed, levels.center)
        ? rateEvidence({
            length,
            observedSlot,
            observedValue: observed.value,
            recent,
            training,
            rows: counts,
            profile,
          })
        : undefined) ??
      windowEvidence({
        length,
        observedSlot,
        observedValue: observed.value,
        recent,
        profile,
        training,
        traits,
        ...(rowsKnown ? { counts } : {}),
        worthScoring,
      });
    shorter.push(levels);
    if (!found) continue;
    evidence.push(judge(found, settings, bounds));
  }

  const pointJudged = evidence.find((e) => e.length === 1)!;
  const strength = (e: Judged): number => Math.abs(e.score);
  const alerting = evidence.filter((e) => e.alerts);
  const blocked = evidence.filter((e) => e.unusual && !e.alerts);
  const chosen = pointJudged.alerts
    ? pointJudged
    : (alerting.sort((a, b) => strength(b) - strength(a))[0] ??
      blocked.sort((a, b) => strength(b) - strength(a))[0] ??
      pointJudged);
  const anomalous = chosen.alerts;
  const belowFloor = !anomalous && chosen.unusual;

  const slots = [...training.keys()];
  const from = new Date(Math.min(...slots) * stepMs);
  const to = new Date(Math.max(...slots) * stepMs);
  const historyWords = describeHistory({
    granularity: settings.granularity,
    points: training.size,
    from,
    to,
    slots: describeSlots(profile.seasonality, settings.granularity),
    slotValues: profile.slotCount(observedSlot),
  });
  const subject = describeSubject(chosen.length, settings.granularity, chosen.pooled === true);
  const range = `${formatValue(chosen.low)}–${formatValue(chosen.high)}`;
  const typical = `typically ${formatValue(chosen.center)}`;
  let explanation: string;
  if (anomalous) {
    const side = chosen.observed < chosen.low ? 'below' : 'above';
    explanation = `${subject} ${formatValue(chosen.observed)}, ${side} the expected range ${range} (${typical}; ${describeChange(chosen.observed, chosen.center)}, ${Math.abs(chosen.score).toFixed(1)} robust deviations), ${historyWords}.`;
  } else if (belowFloor) {
    explanation = `${subject} ${formatValue(chosen.observed)}, unusual against ${typical} (${describeChange(chosen.observed, chosen.center)}) but within the alerting floor (${floorWords(settings)}), expected range ${range}, ${historyWords}.`;
  } else {
    explanation = `${subject} ${formatValue(chosen.observed)}, within the expected range ${range} (${typical}), ${historyWords}.`;
  }

  return {
    anomalous,
    observed: chosen.observed,
    expected: { low: chosen.low, center: chosen.center, high: chosen.high },
    score: chosen.score,
    direction: anomalous ? (chosen.observed < chosen.center ? 'drop' : 'spike') : 'none',
    comparedWith: { points: training.size, from, to, seasonality: profile.seasonality },
    explanation,
    ...(belowFloor ? { reason: 'below_floor' as const } : {}),
  };
}
