/**
 * The transform step in the local runtime: where the models project is, and the runs the pipeline, its admin
 * routes and the CLI start on it. Models run after every load that inserted rows (only those downstream of the
 * changed tables), on `models.schedule` if set, and on `sluice run`.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FsModelSource } from '../adapters/local/fs-model-source.js';
import type { ResolvedConfig } from '../core/config/config-types.js';
import {
  runModels,
  type RunModelsOptions,
  type TransformPorts,
  type TransformResult,
} from '../core/transform/run-models.js';
import { runTests, type RunTestsOptions, type TestRunResult } from '../core/transform/run-tests.js';

/**
 * The models folder: `models.path` relative to the config file's folder (the working directory when there is
 * no config file); an absolute path is used as it is.
 */
export function modelsDirectory(config: ResolvedConfig, configPath?: string): string {
  const base =
    configPath !== undefined && existsSync(resolve(configPath))
      ? dirname(resolve(configPath))
      : process.cwd();
  return resolve(base, config.models.path);
}

/** Queues work behind the pipeline's other warehouse work (the pipeline's {@link Serial}). */
export type Enqueue = <T>(work: () => Promise<T>) => Promise<T>;

/** Runs models and tests of the project in `directory` on the local ports. */
export class LocalTransform {
  readonly source: FsModelSource;
  /** Tables changed by loads whose run is queued but not started yet. */
  private waiting: { tables: Set<string>; done: Promise<TransformResult> } | undefined;

  constructor(
    directory: string,
    private readonly ports: TransformPorts,
  ) {
    this.source = new FsModelSource(directory);
  }

  /** Whether the folder exists; without it there is nothing to run after loads. */
  hasModels(): boolean {
    return existsSync(this.source.directory);
  }

  /** Builds models (see {@link runModels}). */
  run(options: RunModelsOptions = {}): Promise<TransformResult> {
    return runModels(this.source, this.ports, options);
  }

  /**
   * Builds what loads changed, coalesced: while a run is queued behind other work, later loads add their tables
   * to it instead of queueing runs of their own, so a pipeline that loads faster than it transforms never builds
   * a backlog of runs.
   */
  runAfterLoad(tables: readonly string[], enqueue: Enqueue): Promise<TransformResult> {
    if (this.waiting) {
      for (const table of tables) this.waiting.tables.add(table);
      return this.waiting.done;
    }
    const pending = new Set(tables);
    const done = enqueue(() => {
      if (this.waiting?.tables === pending) this.waiting = undefined;
      return this.run({ changedTables: [...pending].sort(), trigger: 'load' });
    });
    this.waiting = { tables: pending, done };
    return done;
  }

  /** Runs tests (see {@link runTests}). */
  test(options: RunTestsOptions = {}): Promise<TestRunResult> {
    return runTests(this.source, this.ports, options);
  }
}
