import type { SourceKind } from '../../core/config/config-types.js';
import { isPullOnlyKind } from '../../core/ingest/pull-only-sources.js';

/** How a pull-only source is scheduled, for `sluice start`'s listing. */
export interface PullPlan {
  /** The local pull schedule (EventBridge Scheduler syntax, `rate(15 minutes)`). */
  readonly schedule: string;
  /** Whether every secret the source's connector needs is set (else the pipeline does not pull it). */
  readonly credentialsSet: boolean;
}

/** `rate(15 minutes)` → `every 15 minutes`; any other expression as written. */
export function describeSchedule(schedule: string): string {
  const rate = /^rate\((.+)\)$/.exec(schedule.trim());
  return rate?.[1] !== undefined ? `every ${rate[1]}` : schedule;
}

/**
 * What `sluice start` prints for one source: the URL its senders post to, or — for a pull-only source,
 * which has no route — how often it is pulled and whether it can be (its credentials set or not), so that
 * nobody points a sender at a route that does not exist.
 */
export function sourceLine(name: string, kind: SourceKind, url: string, pull: PullPlan): string {
  if (isPullOnlyKind(kind))
    return `${name}: pulled ${describeSchedule(pull.schedule)} (credentials ${pull.credentialsSet ? 'set' : 'not set'})`;
  if (kind === 'segment') return `${url}/v1/batch (and /v1/track, identify, page, screen, group, alias)`;
  if (kind === 'webhook') return `${url}/webhooks/${name}`;
  return `${url}/webhooks/${kind}`;
}
