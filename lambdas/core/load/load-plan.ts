import { LANDING_PREFIX, QUARANTINE_PREFIX, parseLandingKey } from '../land/landing-key.js';
import type { ObjectInfo, Ports } from '../ports.js';
import { ledgerBytes } from './load-targets.js';

/** Limits on what one load takes on: Redshift loads fastest from few large files, and a batch must finish. */
export interface LoadLimits {
  /** Files per COPY and commit (default 1,000). */
  readonly maxFiles?: number;
  /** Compressed bytes per COPY (default 4 GiB). */
  readonly maxBytes?: number;
  /**
   * Bytes of ledger SQL per commit (default 64 KiB): the Data API refuses statements over 100 KB, and the
   * commit lists every file of its batch.
   */
  readonly maxLedgerBytes?: number;
  /**
   * Batches one load plans (default unlimited). The AWS load caps it so that the state it keeps between
   * invocations stays small; what it leaves is planned by the next load.
   */
  readonly maxBatches?: number;
}

/** A landing file with what its key says about it. */
export interface PendingFile extends ObjectInfo {
  readonly source: string;
  /** `raw.<source>` or `ops.quarantine`. */
  readonly target: string;
}

/** One batch of a load: files of one target, loaded by one COPY (or read) and one commit. */
export interface PlannedBatch {
  /** `raw.<source>` or `ops.quarantine`. */
  readonly target: string;
  /** The source of the files (of the first file, for quarantine batches that mix sources). */
  readonly source: string;
  readonly files: readonly { readonly key: string; readonly source: string; readonly size: number }[];
}

/** Landing and quarantine files not yet in `ops.load_ledger`, in key order. */
export async function pendingFiles(
  ports: Pick<Ports, 'objects' | 'warehouse'>,
): Promise<{ files: PendingFile[]; skipped: number }> {
  const listed = [
    ...(await ports.objects.list(LANDING_PREFIX)),
    ...(await ports.objects.list(QUARANTINE_PREFIX)),
  ];
  const loaded = new Set(
    (await ports.warehouse.query<{ file_key: string }>('SELECT file_key FROM ops.load_ledger')).map(
      (r) => r.file_key,
    ),
  );
  const files: PendingFile[] = [];
  for (const file of listed) {
    const parsed = parseLandingKey(file.key);
    if (!parsed || loaded.has(file.key)) continue;
    files.push({
      ...file,
      source: parsed.source,
      target: parsed.zone === 'quarantine' ? 'ops.quarantine' : `raw.${parsed.source}`,
    });
  }
  return { files, skipped: listed.length - files.length };
}

/** Cuts pending files into batches per target, each within the file, byte and ledger-size limits. */
export function planBatches(files: readonly PendingFile[], limits: LoadLimits = {}): PlannedBatch[] {
  const maxFiles = limits.maxFiles ?? 1000;
  const maxBytes = limits.maxBytes ?? 4 * 1024 ** 3;
  const maxLedgerBytes = limits.maxLedgerBytes ?? 64 * 1024;
  const maxBatches = limits.maxBatches ?? Number.POSITIVE_INFINITY;
  const byTarget = new Map<string, PendingFile[]>();
  for (const file of files) {
    const list = byTarget.get(file.target);
    if (list) list.push(file);
    else byTarget.set(file.target, [file]);
  }
  const batches: PlannedBatch[] = [];
  for (const [target, list] of byTarget) {
    let batch: PendingFile[] = [];
    let bytes = 0;
    let ledger = 0;
    const close = (): void => {
      if (batch.length === 0) return;
      batches.push({
        target,
        source: batch[0]?.source ?? '',
        files: batch.map((f) => ({ key: f.key, source: f.source, size: f.size })),
      });
      batch = [];
      bytes = 0;
      ledger = 0;
    };
    for (const file of list) {
      const fileLedger = ledgerBytes({ key: file.key, source: file.source, bytes: file.size }, target);
      if (
        batch.length >= maxFiles ||
        (batch.length > 0 && (bytes + file.size > maxBytes || ledger + fileLedger > maxLedgerBytes))
      )
        close();
      batch.push(file);
      bytes += file.size;
      ledger += fileLedger;
    }
    close();
  }
  return batches.slice(0, maxBatches);
}
