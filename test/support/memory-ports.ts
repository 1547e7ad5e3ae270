import type {
  Clock,
  DetailType,
  EventBus,
  Logger,
  MetricDimensions,
  Metrics,
  ObjectInfo,
  ObjectStore,
  Queue,
  QueueDepth,
  QueueMessage,
  Secrets,
} from '../../lambdas/core/ports.js';

/** An in-memory object store for core unit tests; `failPuts` makes writes fail like a full disk. */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; at: Date }>();
  failPuts = false;

  async put(key: string, body: Uint8Array | string): Promise<void> {
    if (this.failPuts) throw new Error('disk full');
    this.objects.set(key, { body: typeof body === 'string' ? Buffer.from(body) : body, at: new Date() });
  }
  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key)?.body;
  }
  async list(prefix: string): Promise<ObjectInfo[]> {
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, o]) => ({ key, size: o.body.byteLength, lastModified: o.at }));
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
  locate(key: string): string {
    return `mem://${key}`;
  }
}

/** An in-memory queue that records what was sent; `failSends` simulates an unavailable queue. */
export class MemoryQueue implements Queue {
  readonly sent: string[] = [];
  failSends = false;

  async send(bodies: readonly string[]): Promise<void> {
    if (this.failSends) throw new Error('queue unavailable');
    this.sent.push(...bodies);
  }
  async receive(): Promise<QueueMessage[]> {
    const taken = this.sent.splice(0);
    return taken.map((body, i) => ({ id: `m${i}`, body, receiveCount: 1, receipt: `r${i}` }));
  }
  async ack(): Promise<void> {}
  async release(): Promise<void> {}
  async depth(): Promise<QueueDepth> {
    return { visible: this.sent.length, inFlight: 0, dead: 0 };
  }
}

/** Secrets from a plain map. */
export class MapSecrets implements Secrets {
  constructor(private readonly values: Record<string, string>) {}
  async get(name: string): Promise<string | undefined> {
    return this.values[name];
  }
}

/** A clock standing still at `now` unless moved. */
export class FixedClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  async sleep(ms: number): Promise<void> {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Records published events. */
export class RecordingBus implements EventBus {
  readonly events: { detailType: DetailType; detail: Record<string, unknown> }[] = [];
  async publish(detailType: DetailType, detail: Record<string, unknown>): Promise<void> {
    this.events.push({ detailType, detail });
  }
}

/** Records metric data points. */
export class RecordingMetrics implements Metrics {
  readonly points: { name: string; value: number; dimensions?: MetricDimensions }[] = [];
  record(name: string, value: number, _unit?: string, dimensions?: MetricDimensions): void {
    this.points.push({ name, value, ...(dimensions ? { dimensions } : {}) });
  }
  async flush(): Promise<void> {}
  total(name: string, filter: Partial<Record<string, string>> = {}): number {
    return this.points
      .filter((p) => p.name === name && Object.entries(filter).every(([k, v]) => p.dimensions?.[k] === v))
      .reduce((sum, p) => sum + p.value, 0);
  }
}

/** A logger that keeps entries, so tests can check that nothing secret is logged. */
export class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'debug', message, ...(fields ? { fields } : {}) });
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'info', message, ...(fields ? { fields } : {}) });
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'warn', message, ...(fields ? { fields } : {}) });
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'error', message, ...(fields ? { fields } : {}) });
  }
}
