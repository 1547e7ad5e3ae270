import type {
  PullConnector,
  PullContext,
  PullStream,
  StreamCursor,
  StreamPage,
  StreamStart,
} from '../../core/pull/pull-connector.js';
import type { Http, Secrets } from '../../core/ports.js';
import { AMPLITUDE_API_BASE, exportEvents } from './amplitude-api.js';
import { AMPLITUDE_SOURCE, amplitudeEnvelope } from './amplitude-envelope.js';

const HOUR = 3600_000;

/** Settings of {@link amplitudeConnector}. */
export interface AmplitudeConnectorOptions {
  readonly http: Http;
  readonly secrets: Secrets;
  /** API origin (default `https://amplitude.com`; EU projects: `https://analytics.eu.amplitude.com`). */
  readonly apiBase?: string;
  /** Hours exported per request, each request one page (default 6). */
  readonly hoursPerPage?: number;
  /** How long after an hour ends Amplitude may still be adding its events (default 2 h). */
  readonly availabilityDelayHours?: number;
  /** Where a first sync starts (default: 7 days ago). */
  readonly since?: Date;
}

const floorHour = (ms: number): number => Math.floor(ms / HOUR) * HOUR;

/**
 * The `events` stream: Amplitude's Export API hour by hour. The cursor is the last fully exported hour; a
 * page exports the following hours up to the last one that is complete — ended at least the availability
 * delay ago — so the current hour, still filling, is never exported and nothing exported is incomplete.
 */
function eventsStream(options: Required<Omit<AmplitudeConnectorOptions, 'since'>>): PullStream {
  return {
    name: 'events',
    start(start: StreamStart): StreamCursor {
      return { exportedThrough: new Date(floorHour(start.since.getTime()) - HOUR).toISOString() };
    },
    async readPage(cursor: StreamCursor, context: PullContext): Promise<StreamPage> {
      const done = Date.parse(String(cursor['exportedThrough']));
      const first = done + HOUR;
      // The last hour whose end is at least the availability delay in the past.
      const lastComplete =
        floorHour(context.clock.now().getTime() - options.availabilityDelayHours * HOUR) - HOUR;
      if (first > lastComplete) return { envelopes: [], cursor, done: true };
      // The Export API refuses ranges over 365 days; pages stay far below.
      const last = Math.min(first + (options.hoursPerPage - 1) * HOUR, lastComplete);
      const events = await exportEvents(options, context, new Date(first), new Date(last));
      const now = context.clock.now();
      return {
        envelopes: events.map((event) => amplitudeEnvelope(event, now)),
        cursor: { exportedThrough: new Date(last).toISOString() },
        done: last >= lastComplete,
      };
    },
  };
}

/**
 * The Amplitude pull connector: a project's product events from the Export API, landing in
 * `raw.amplitude`, read with the project's API key and secret key (`SLUICE_AMPLITUDE_API_KEY`,
 * `SLUICE_AMPLITUDE_SECRET_KEY`).
 */
export function amplitudeConnector(options: AmplitudeConnectorOptions): PullConnector {
  const hoursPerPage = options.hoursPerPage ?? 6;
  if (!Number.isInteger(hoursPerPage) || hoursPerPage < 1 || hoursPerPage > 24 * 365)
    throw new Error('hoursPerPage must be an integer from 1 to 8760');
  return {
    source: AMPLITUDE_SOURCE,
    defaultSince: options.since ?? new Date(Date.now() - 7 * 24 * HOUR),
    streams: [
      eventsStream({
        http: options.http,
        secrets: options.secrets,
        apiBase: options.apiBase ?? AMPLITUDE_API_BASE,
        hoursPerPage,
        availabilityDelayHours: options.availabilityDelayHours ?? 2,
      }),
    ],
  };
}
