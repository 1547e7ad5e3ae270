/**
 * `sluice test`: runs the project's tests against the built models. Each test's query returns the failing rows;
 * a test fails when it returns any (or only warns, with `severity: warn`). Every outcome is appended to
 * `ops.model_tests` with up to five failing rows as JSON, and failures publish `sluice.step.failed`.
 */
import type { Ports } from '../ports.js';
import { projectTests, type TestCase } from './generic-tests.js';
import type { ModelSource } from './model-source.js';
import { modelTestInsert, transformOpsDdl, type TestStatus } from './ops-tables.js';
import { Project } from './project.js';
import { runDag } from './run-dag.js';
import { newRunId } from './run-models.js';
import { selectNodes } from './select-models.js';
import { TransformError } from './transform-error.js';

/** The ports the test step uses. */
export type TestPorts = Pick<Ports, 'warehouse' | 'bus' | 'clock' | 'log' | 'metrics'>;

/** Options of {@link runTests}. */
export interface RunTestsOptions {
  /** Tests of the models (and sources) this selector picks; default: every test. */
  readonly select?: string;
  readonly exclude?: string;
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Tests run at once (default 4). */
  readonly concurrency?: number;
  readonly onProgress?: (result: TestResult, index: number, total: number) => void;
}

/** How one test fared. */
export interface TestResult {
  readonly name: string;
  readonly model: string | null;
  readonly column: string | null;
  readonly file: string;
  readonly status: TestStatus;
  readonly severity: 'error' | 'warn';
  /** Failing rows; null when the test could not run. */
  readonly failures: number | null;
  /** Up to five failing rows. */
  readonly samples: readonly Record<string, unknown>[];
  readonly error?: string;
  readonly durationMs: number;
}

/** What a test run did. */
export interface TestRunResult {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly tests: readonly TestResult[];
  readonly passed: number;
  readonly failed: number;
  readonly warned: number;
  readonly errored: number;
}

/** Failing rows kept per test. */
export const SAMPLE_ROWS = 5;

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function runOne(test: TestCase, ports: TestPorts): Promise<Omit<TestResult, 'durationMs'>> {
  const base = {
    name: test.name,
    model: test.model,
    column: test.column,
    file: test.file,
    severity: test.severity,
  };
  try {
    const sql = test.sql();
    const counted = await ports.warehouse.query<{ failures: number }>(
      `SELECT COUNT(*) AS failures FROM (\n${sql}\n) failing`,
    );
    const failures = Number(counted[0]?.failures ?? 0);
    if (failures === 0) return { ...base, status: 'pass', failures, samples: [] };
    const samples = await ports.warehouse.query(`SELECT * FROM (\n${sql}\n) failing LIMIT ${SAMPLE_ROWS}`);
    return { ...base, status: test.severity === 'warn' ? 'warn' : 'fail', failures, samples };
  } catch (error) {
    return { ...base, status: 'error', failures: null, samples: [], error: `${test.file}: ${reason(error)}` };
  }
}

/** Compiles the project in `source` and runs the selected tests; see the module comment. */
export async function runTests(
  source: ModelSource,
  ports: TestPorts,
  options: RunTestsOptions = {},
): Promise<TestRunResult> {
  const { warehouse, clock, log, bus, metrics } = ports;
  const started = clock.now();
  const runId = newRunId(started);
  const project = await Project.load(source, {
    dialect: warehouse.dialect,
    runStartedAt: started,
    ...(options.vars ? { vars: options.vars } : {}),
  });
  const nodes = selectNodes(project, options.select, options.exclude);
  const tests = projectTests(project).filter((t) => t.nodes.some((n) => nodes.has(n)));
  for (const statement of transformOpsDdl(warehouse.dialect)) await warehouse.execute(statement);
  const byName = new Map(tests.map((t) => [t.name, t]));
  const results = new Map<string, TestResult>();
  let index = 0;
  await runDag(
    tests.map((t) => t.name),
    new Map(),
    options.concurrency ?? 4,
    {
      run: async (name) => {
        const test = byName.get(name) as TestCase;
        const t0 = clock.now();
        const outcome = await runOne(test, ports);
        const finished = clock.now();
        const result: TestResult = { ...outcome, durationMs: finished.getTime() - t0.getTime() };
        results.set(name, result);
        index += 1;
        options.onProgress?.(result, index, tests.length);
        try {
          await warehouse.execute(
            modelTestInsert(warehouse.dialect, {
              runId,
              test: name,
              model: result.model,
              column: result.column,
              status: result.status,
              severity: result.severity,
              failures: result.failures,
              samples: result.samples,
              error: result.error ?? null,
              durationMs: result.durationMs,
              startedAt: t0,
              finishedAt: finished,
            }),
          );
        } catch (error) {
          log.warn('could not record a test in ops.model_tests', {
            run_id: runId,
            test: name,
            reason: reason(error),
          });
        }
        return true;
      },
      skip: () => undefined,
    },
  );
  const ordered = tests.map((t) => results.get(t.name) as TestResult);
  const count = (status: TestStatus): number => ordered.filter((r) => r.status === status).length;
  const result: TestRunResult = {
    runId,
    startedAt: started.toISOString(),
    finishedAt: clock.now().toISOString(),
    tests: ordered,
    passed: count('pass'),
    failed: count('fail'),
    warned: count('warn'),
    errored: count('error'),
  };
  metrics.record('transform.tests', result.failed + result.errored, 'Count', { status: 'failed' });
  metrics.record('transform.tests', result.passed, 'Count', { status: 'passed' });
  log.info('tests finished', {
    run_id: runId,
    passed: result.passed,
    failed: result.failed,
    warned: result.warned,
    errored: result.errored,
  });
  const bad = ordered.filter((r) => r.status === 'fail' || r.status === 'error');
  if (bad.length > 0) {
    await bus.publish('sluice.step.failed', {
      step: 'test',
      run_id: runId,
      tests: bad.map((r) => r.name),
      reason: bad.map((r) => describeFailure(r)).join('; '),
    });
  }
  return result;
}

/** One line about a failing or broken test. */
export function describeFailure(result: TestResult): string {
  return result.status === 'error'
    ? `${result.name}: ${(result.error ?? '').split('\n')[0]}`
    : `${result.name}: ${result.failures} failing row(s) (${result.file})`;
}

/** Throws when tests failed or could not run, with one line naming them (for the CLI's exit code). */
export function assertTestsPassed(result: TestRunResult): void {
  const bad = result.tests.filter((r) => r.status === 'fail' || r.status === 'error');
  if (bad.length === 0) return;
  throw new TransformError(
    'tests_failed',
    `${bad.length} test(s) failed: ${bad.map(describeFailure).join('; ')}`,
  );
}
