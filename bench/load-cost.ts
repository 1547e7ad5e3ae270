/**
 * The cost model of the AWS land+load path: list prices (us-east-1, on-demand, no free tier) times the counts
 * a run measured. `bench/load-files.bench.ts` measures the counts for 1 M events and prints this model;
 * `docs/landing-and-load.md` quotes its output.
 *
 * Prices are the public on-demand list prices for us-east-1 as published on the AWS pricing pages (Lambda,
 * SQS, S3, EventBridge, Redshift) and unchanged since 2023 as far as this project knows; they were not fetched
 * live. Check them before relying on the totals: every figure is computed from this table, so correcting a
 * line here corrects the model.
 */

/** Unit prices in USD. */
export const PRICES = {
  region: 'us-east-1',
  /** Lambda, arm64: per GB-second of duration. */
  lambdaGbSecond: 0.0000133334,
  /** Lambda: per request. */
  lambdaRequest: 0.2 / 1e6,
  /** SQS standard queue: per request; every 64 KiB of payload counts as one request. */
  sqsRequest: 0.4 / 1e6,
  /** S3 Standard: PUT, COPY, POST, LIST per request. */
  s3Put: 0.005 / 1000,
  /** S3 Standard: GET and other reads per request. */
  s3Get: 0.0004 / 1000,
  /** S3 Standard storage per GB-month (one month of the landed files). */
  s3GbMonth: 0.023,
  /** EventBridge: custom events published with PutEvents (the completion events), per event. */
  eventBridgeCustomEvent: 1 / 1e6,
  /** EventBridge: events AWS services put on the default bus (S3 Object Created, Data API status): free. */
  eventBridgeServiceEvent: 0,
  /** EventBridge Scheduler: per invocation (the load schedule). */
  schedulerInvocation: 1 / 1e6,
  /** Redshift Data API: no charge of its own; statements are billed as warehouse compute. */
  dataApiCall: 0,
  /** Redshift Serverless: per RPU-hour (billed per second while the workgroup is busy, 60 s minimum). */
  rpuHour: 0.375,
} as const;

/** Counts of one modeled run. */
export interface CostCounts {
  readonly events: number;
  readonly land: { readonly invocations: number; readonly gbSeconds: number };
  readonly load: { readonly invocations: number; readonly gbSeconds: number };
  /** SQS requests in 64 KiB units: send (ingest), receive and delete (land). */
  readonly sqs: { readonly send: number; readonly receive: number; readonly delete: number };
  readonly s3: {
    readonly puts: number;
    readonly lists: number;
    readonly gets: number;
    readonly gzipBytes: number;
  };
  /** Data API calls by operation (ExecuteStatement, DescribeStatement, …). */
  readonly dataApi: Readonly<Record<string, number>>;
  readonly eventBridge: { readonly customEvents: number; readonly serviceEvents: number };
  readonly schedulerInvocations: number;
  /** Seconds the Redshift Serverless workgroup is busy with loads, and its base capacity. */
  readonly warehouse: { readonly busySeconds: number; readonly rpus: number };
}

/** One line of the model. */
export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly usd: number;
}

/** The model: one line per priced item, in USD for the counted run. */
export function costLines(c: CostCounts): CostLine[] {
  const dataApiCalls = Object.values(c.dataApi).reduce((sum, n) => sum + n, 0);
  const sqs = c.sqs.send + c.sqs.receive + c.sqs.delete;
  return [
    {
      item: 'Lambda land (GB-s + requests)',
      quantity: `${c.land.gbSeconds.toFixed(1)} GB-s, ${c.land.invocations} invocations`,
      usd: c.land.gbSeconds * PRICES.lambdaGbSecond + c.land.invocations * PRICES.lambdaRequest,
    },
    {
      item: 'Lambda load (GB-s + requests)',
      quantity: `${c.load.gbSeconds.toFixed(1)} GB-s, ${c.load.invocations} invocations`,
      usd: c.load.gbSeconds * PRICES.lambdaGbSecond + c.load.invocations * PRICES.lambdaRequest,
    },
    {
      item: 'SQS requests (64 KiB units)',
      quantity: `${c.sqs.send} send + ${c.sqs.receive} receive + ${c.sqs.delete} delete`,
      usd: sqs * PRICES.sqsRequest,
    },
    {
      item: 'S3 PUT + LIST',
      quantity: `${c.s3.puts} PUT + ${c.s3.lists} LIST`,
      usd: (c.s3.puts + c.s3.lists) * PRICES.s3Put,
    },
    { item: 'S3 GET', quantity: `${c.s3.gets} GET`, usd: c.s3.gets * PRICES.s3Get },
    {
      item: 'S3 storage, one month',
      quantity: `${(c.s3.gzipBytes / 1e9).toFixed(3)} GB`,
      usd: (c.s3.gzipBytes / 1e9) * PRICES.s3GbMonth,
    },
    {
      item: 'Redshift Data API calls',
      quantity: `${dataApiCalls} (${Object.entries(c.dataApi)
        .map(([op, n]) => `${n} ${op}`)
        .join(', ')})`,
      usd: dataApiCalls * PRICES.dataApiCall,
    },
    {
      item: 'EventBridge events',
      quantity: `${c.eventBridge.customEvents} custom + ${c.eventBridge.serviceEvents} AWS service (free)`,
      usd:
        c.eventBridge.customEvents * PRICES.eventBridgeCustomEvent +
        c.eventBridge.serviceEvents * PRICES.eventBridgeServiceEvent,
    },
    {
      item: 'EventBridge Scheduler',
      quantity: `${c.schedulerInvocations} invocations`,
      usd: c.schedulerInvocations * PRICES.schedulerInvocation,
    },
  ];
}

/** Redshift Serverless compute the loads keep busy (shown apart: it is the warehouse's bill, not the path's). */
export function warehouseLine(c: CostCounts): CostLine {
  return {
    item: `Redshift Serverless compute (${c.warehouse.rpus} RPU)`,
    quantity: `${Math.round(c.warehouse.busySeconds)} busy seconds`,
    usd: (c.warehouse.busySeconds / 3600) * c.warehouse.rpus * PRICES.rpuHour,
  };
}

/** The model as a Markdown table, per `per` events. */
export function costTable(c: CostCounts, per = 1e6): string {
  const scale = per / c.events;
  const lines = costLines(c);
  const total = lines.reduce((sum, l) => sum + l.usd, 0);
  const warehouse = warehouseLine(c);
  const row = (l: CostLine) => `| ${l.item} | ${l.quantity} | $${(l.usd * scale).toFixed(4)} |`;
  return [
    `| item | measured quantity (run of ${c.events.toLocaleString('en-US')} events) | USD per ${per.toLocaleString('en-US')} events |`,
    '| --- | --- | ---: |',
    ...lines.map(row),
    `| **land+load path total** | | **$${(total * scale).toFixed(4)}** |`,
    row(warehouse),
  ].join('\n');
}
