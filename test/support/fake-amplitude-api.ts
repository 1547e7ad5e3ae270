import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, strToU8, zipSync } from 'fflate';

/** One request the fake answered. */
export interface FakeAmplitudeRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
}

/** An exported event: at least `server_upload_time` (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC), which files it. */
export type FakeAmplitudeEvent = Record<string, unknown> & { server_upload_time: string };

const HOUR_PARAM = /^(\d{4})(\d{2})(\d{2})T(\d{2})$/;
const HOUR = 3600_000;

const parseHour = (value: string | null): number | undefined => {
  const m = value === null ? null : HOUR_PARAM.exec(value);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) : undefined;
};

/**
 * A loopback HTTP server answering like Amplitude's Export API (`GET /api/2/export?start=YYYYMMDDTHH&end=…`):
 * HTTP Basic with the project's API key and secret key; a real zip archive holding, per hour with data,
 * gzipped NDJSON files `<project>/<project>_<YYYY-MM-DD>_<H>#<part>.json.gz` (an hour split into parts of
 * `eventsPerFile`); 404 when the range has no data; 400 for a malformed or reversed range or one over 365
 * days; and 429 with `Retry-After` on demand. Events are filed by their `server_upload_time` hour.
 */
export class FakeAmplitudeApi {
  readonly requests: FakeAmplitudeRequest[] = [];
  /** The next this many requests are answered 429. */
  rateLimitNext = 0;
  /** Events per gzipped file before an hour is split into another part. */
  eventsPerFile = 2;
  private readonly events: FakeAmplitudeEvent[] = [];
  private server: Server | undefined;
  url = '';

  constructor(
    readonly apiKey = 'amp_api_key',
    readonly secretKey = 'amp_secret_key',
    readonly projectId = 187520,
  ) {}

  /** Starts listening on an ephemeral loopback port. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Adds an event. */
  add(event: FakeAmplitudeEvent): void {
    this.events.push(event);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = url.searchParams;
    const text = (status: number, body: string, headers: Record<string, string> = {}): void => {
      this.requests.push({ path: url.pathname, query: q, status });
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    const expected = `Basic ${Buffer.from(`${this.apiKey}:${this.secretKey}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return text(401, 'Invalid API key or secret key');
    if (url.pathname !== '/api/2/export') return text(404, 'Not found');
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return text(429, 'Too many requests: exceeded the concurrent export limit', { 'retry-after': '5' });
    }
    const start = parseHour(q.get('start'));
    const end = parseHour(q.get('end'));
    if (start === undefined || end === undefined)
      return text(400, 'Invalid start or end: use the format YYYYMMDDTHH');
    if (end < start) return text(400, 'The end of the time range is before its start');
    if (end - start > 365 * 24 * HOUR) return text(400, 'The time range is longer than 365 days');
    const byFile = new Map<string, FakeAmplitudeEvent[]>();
    const inRange = this.events.filter((e) => {
      const hour = Math.floor(Date.parse(`${e.server_upload_time.replace(' ', 'T')}Z`) / HOUR) * HOUR;
      return hour >= start && hour <= end;
    });
    if (inRange.length === 0) return text(404, 'Raw data files were not found.');
    const perHour = new Map<number, FakeAmplitudeEvent[]>();
    for (const e of inRange) {
      const hour = Math.floor(Date.parse(`${e.server_upload_time.replace(' ', 'T')}Z`) / HOUR) * HOUR;
      perHour.set(hour, [...(perHour.get(hour) ?? []), e]);
    }
    for (const [hour, events] of perHour) {
      const iso = new Date(hour).toISOString();
      for (let part = 0; part * this.eventsPerFile < events.length; part += 1) {
        const name = `${this.projectId}/${this.projectId}_${iso.slice(0, 10)}_${Number(iso.slice(11, 13))}#${part}.json.gz`;
        byFile.set(name, events.slice(part * this.eventsPerFile, (part + 1) * this.eventsPerFile));
      }
    }
    const zip = zipSync(
      Object.fromEntries(
        [...byFile].map(([name, events]) => [
          name,
          gzipSync(strToU8(events.map((e) => JSON.stringify(e)).join('\n') + '\n')),
        ]),
      ),
    );
    this.requests.push({ path: url.pathname, query: q, status: 200 });
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(zip.length) });
    res.end(Buffer.from(zip));
  }
}
