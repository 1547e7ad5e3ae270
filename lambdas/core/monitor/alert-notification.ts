/**
 * What an alert says, independent of where it goes: a title, a one-paragraph summary and labelled fields
 * (observed, expected range, history compared with, owner, link). Slack renders it as Block Kit and SNS as
 * plain text, so both channels carry the same facts and a reader can tell "pipeline failure" from "the product
 * stopped sending half its events" from the message alone.
 */
import type { Incident, Transition } from './incident.js';

/** A labelled fact shown in an alert. */
export interface AlertField {
  readonly label: string;
  readonly value: string;
}

/** Where an incident is in its life, as announced. */
export type AnnouncedState = 'open' | 'escalated' | 'still_failing' | 'resolved';

/** An alert about one incident. */
export interface IncidentNotification {
  readonly type: 'incident';
  readonly incidentId: string;
  readonly key: string;
  readonly state: AnnouncedState;
  readonly severity: Incident['severity'];
  readonly title: string;
  readonly summary: string;
  readonly fields: readonly AlertField[];
  readonly owner: string | null;
  /** Dashboard link to the monitor, when a dashboard URL is known. */
  readonly link?: string;
}

/** The daily digest: open and recently resolved incidents, grouped by owner. */
export interface DigestNotification {
  readonly type: 'digest';
  readonly title: string;
  readonly summary: string;
  readonly groups: readonly { readonly owner: string; readonly lines: readonly string[] }[];
  readonly link?: string;
}

/** Anything an alert channel delivers. */
export type AlertNotification = IncidentNotification | DigestNotification;

const STATE_OF: Record<Exclude<Transition['type'], 'updated'>, AnnouncedState> = {
  opened: 'open',
  escalated: 'escalated',
  reminded: 'still_failing',
  resolved: 'resolved',
};

/** `<base>/dashboard#monitor=<key>`, or undefined without a base URL. */
export function dashboardLink(baseUrl: string | undefined, key: string): string | undefined {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/dashboard#monitor=${encodeURIComponent(key)}` : undefined;
}

/** `95 min` → `1 h 35 min`. */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const rest = m % 60;
  return [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : '']
    .filter(Boolean)
    .join(' ');
}

/** A value in the unit of the incident's kind. */
export function formatValue(kind: Incident['kind'], value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'no data';
  if (kind === 'freshness') return `${formatMinutes(value)} since the newest row`;
  if (kind === 'null_rate' || kind === 'distinct_rate') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'volume') return `${Math.round(value).toLocaleString('en-US')} rows`;
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toPrecision(6);
}

/** What the incident is about, in a few words. */
export function headline(incident: Incident): string {
  const headlineDetail = incident.details['headline'];
  if (typeof headlineDetail === 'string') return headlineDetail;
  const where = `${incident.table ?? incident.monitor}${incident.dimension ? ` (${incident.dimension})` : ''}`;
  switch (incident.kind) {
    case 'freshness':
      return `${where} is stale`;
    case 'volume':
      return `Unusual row volume in ${where}`;
    case 'null_rate':
    case 'distinct_rate':
      return `Unusual ${incident.monitor.replace(':', ' of ').replace('_', ' ')} in ${where}`;
    case 'metric':
      return `Unusual value of metric ${incident.monitor.replace(/^metric:/, '')}`;
    default:
      return `${incident.monitor} failed: ${where}`;
  }
}

function expectedText(incident: Incident, result: Transition['result']): string | undefined {
  const warn = incident.details['warnAfterMinutes'];
  const error = incident.details['errorAfterMinutes'];
  if (incident.kind === 'freshness' && typeof warn === 'number') {
    return `newest row under ${formatMinutes(warn)} old${typeof error === 'number' ? ` (error after ${formatMinutes(error)})` : ''}`;
  }
  if (!result.expected) return undefined;
  const { low, center, high } = result.expected;
  const f = (v: number): string => formatValue(incident.kind, v);
  return `${f(low)} – ${f(high)} (typically ${f(center)})`;
}

function comparedWithText(details: Incident['details']): string | undefined {
  const compared = details['comparedWith'] as
    { points?: unknown; from?: unknown; to?: unknown; seasonality?: unknown } | undefined;
  if (!compared || typeof compared.points !== 'number') return undefined;
  const day = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 10) : '?');
  return `${compared.points} points, ${day(compared.from)} → ${day(compared.to)}, ${String(compared.seasonality ?? 'no')} seasonality`;
}

/** The announcement of a transition (not for `updated`, which is silent). */
export function incidentNotification(
  transition: Transition & { readonly type: Exclude<Transition['type'], 'updated'> },
  options: { readonly dashboardUrl?: string | undefined; readonly now: Date },
): IncidentNotification {
  const { incident, result } = transition;
  const state = STATE_OF[transition.type];
  const about = headline(incident);
  const title =
    state === 'resolved'
      ? `Resolved: ${incident.kind === 'freshness' ? `${incident.table ?? incident.monitor} is fresh again` : about}`
      : state === 'still_failing'
        ? `Still failing: ${about}`
        : state === 'escalated'
          ? `Now an error: ${about}`
          : about;
  const openFor = formatMinutes((options.now.getTime() - incident.openedAt.getTime()) / 60_000);
  const fields: AlertField[] = [{ label: 'Observed', value: formatValue(incident.kind, result.observed) }];
  const expected = expectedText(incident, result);
  if (expected) fields.push({ label: 'Expected', value: expected });
  const compared = comparedWithText(incident.details);
  if (compared) fields.push({ label: 'Compared with', value: compared });
  fields.push({ label: 'Owner', value: incident.owner ?? 'unassigned' });
  fields.push({
    label: state === 'resolved' ? 'Was open for' : 'Open since',
    value: state === 'resolved' ? openFor : `${incident.openedAt.toISOString()} (${openFor})`,
  });
  if (incident.table) fields.push({ label: 'Table', value: incident.table });
  const link = dashboardLink(options.dashboardUrl, incident.key);
  return {
    type: 'incident',
    incidentId: incident.id,
    key: incident.key,
    state,
    severity: incident.severity,
    title,
    summary: result.explanation,
    fields,
    owner: incident.owner,
    ...(link ? { link } : {}),
  };
}
