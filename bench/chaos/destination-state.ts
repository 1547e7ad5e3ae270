import type { SyncConfig } from '../../lambdas/core/config/config-types.js';
import type { VendorFakes } from '../../lambdas/local/simulator/fake-vendors/vendor-fakes.js';

/**
 * What one sync's destination object holds at the end of a run: per match key value, the records carrying it
 * (each as canonical JSON, keys sorted). A sound pipeline leaves exactly one record per key; two mean the
 * destination got a duplicate create.
 */
export interface DestinationObject {
  /** `salesforce Account`, `zendesk organizations`. */
  readonly label: string;
  readonly records: ReadonlyMap<string, readonly string[]>;
}

/** JSON with object keys sorted at every depth, so two equal records always print alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * The records each sync's fake destination holds, grouped by the value of the sync's match field (not by the
 * fake's own index), so a record written under another key but carrying the same match value still shows up
 * as a duplicate. Read in the bench process, where the fakes live: their state survives every kill of the
 * pipeline.
 */
export function destinationState(fakes: VendorFakes, syncs: readonly SyncConfig[]): DestinationObject[] {
  const objects: DestinationObject[] = [];
  for (const sync of syncs) {
    const store =
      sync.destination === 'salesforce'
        ? fakes.salesforce.records.get(sync.object)
        : sync.destination === 'zendesk'
          ? fakes.zendesk.records.get(sync.object)
          : undefined;
    const records = new Map<string, string[]>();
    for (const record of store?.values() ?? []) {
      const key = String(record[sync.matchKey.destinationField]);
      records.set(key, [...(records.get(key) ?? []), canonical(record)]);
    }
    objects.push({ label: `${sync.destination} ${sync.object}`, records });
  }
  return objects;
}

/** How a chaos run's destinations compare with the fault-free run's. */
export interface DestinationComparison {
  /** Records (one per match key) the fault-free run left. */
  readonly records: number;
  /** Match keys the fault-free destination holds and the chaos one does not. */
  readonly lost: number;
  /** Chaos-run records beyond one per match key, plus records under keys only the chaos run holds. */
  readonly duplicated: number;
  /** Match keys held once by both runs whose fields differ (a lost or stale update). */
  readonly differ: number;
  /** One line per difference, for the report (the first five, cut to 400 characters). */
  readonly details: readonly string[];
}

/** Compares, object by object and key by key, the destinations a chaos run left with the fault-free run's. */
export function compareDestinations(
  expected: readonly DestinationObject[],
  actual: readonly DestinationObject[],
): DestinationComparison {
  let records = 0;
  let lost = 0;
  let duplicated = 0;
  let differ = 0;
  const details: string[] = [];
  const note = (line: string): void => {
    if (details.length < 5) details.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
  };
  for (const want of expected) {
    const got = actual.find((o) => o.label === want.label)?.records ?? new Map<string, readonly string[]>();
    for (const [key, wanted] of want.records) {
      records += 1;
      const found = got.get(key) ?? [];
      if (found.length === 0) {
        lost += 1;
        note(`${want.label} ${key}: missing`);
        continue;
      }
      duplicated += found.length - 1;
      if (found.length > 1) note(`${want.label} ${key}: ${found.length} records`);
      else if (found.join('\n') !== wanted.join('\n')) {
        differ += 1;
        note(`${want.label} ${key}: fault-free ${wanted.join(' ')} chaos ${found.join(' ')}`);
      }
    }
    for (const [key, found] of got)
      if (!want.records.has(key)) {
        duplicated += found.length;
        note(`${want.label} ${key}: only in the chaos run`);
      }
  }
  return { records, lost, duplicated, differ, details };
}
