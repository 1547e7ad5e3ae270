/**
 * Scores a detector's streaming alerts against labelled incidents the way its users would feel them:
 * an incident is detected if any alert falls within its window; alerts outside every incident are false,
 * and a run of consecutive false alerts is one false alert (one Slack thread, since the caller groups
 * verdicts into incidents). Precision is detected incidents over detected incidents plus false alerts.
 */
import type { Incident, Series } from './synthetic-series.js';

/** Per-series alert flags: alerts[i] is whether point i alerted (undefined = not evaluated). */
export interface SeriesAlerts {
  readonly series: Series;
  readonly alerts: readonly (boolean | undefined)[];
}

/** Outcome of one incident. */
export interface IncidentOutcome {
  readonly series: string;
  readonly incident: Incident;
  /** Hours from the incident's start to the first alert; undefined if missed. */
  readonly delay: number | undefined;
}

/** The figures the benchmark prints for one detector. */
export interface Score {
  readonly outcomes: readonly IncidentOutcome[];
  readonly detected: number;
  readonly falseAlerts: number;
  readonly recall: number;
  readonly precision: number;
  readonly falseAlertsPerSeriesWeek: number;
}

/** Scores the alerts of every series. */
export function scoreAlerts(results: readonly SeriesAlerts[], evaluationWeeks: number): Score {
  const outcomes: IncidentOutcome[] = [];
  let falseAlerts = 0;
  for (const { series, alerts } of results) {
    for (const incident of series.incidents) {
      let delay: number | undefined;
      for (let i = incident.start; i < incident.detectUntil && i < alerts.length; i += 1)
        if (alerts[i]) {
          delay = i - incident.start;
          break;
        }
      outcomes.push({ series: series.name, incident, delay });
    }
    let inFalseRun = false;
    for (let i = 0; i < alerts.length; i += 1) {
      const attributed = series.incidents.some((x) => i >= x.start && i < x.attributedUntil);
      const isFalse = alerts[i] === true && !attributed;
      if (isFalse && !inFalseRun) falseAlerts += 1;
      inFalseRun = isFalse;
    }
  }
  const detected = outcomes.filter((o) => o.delay !== undefined).length;
  return {
    outcomes,
    detected,
    falseAlerts,
    recall: outcomes.length === 0 ? 1 : detected / outcomes.length,
    precision: detected + falseAlerts === 0 ? 1 : detected / (detected + falseAlerts),
    falseAlertsPerSeriesWeek: falseAlerts / (results.length * evaluationWeeks),
  };
}

/** The p-th percentile (nearest rank) of a list; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
