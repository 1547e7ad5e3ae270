import { assertTestsPassed, type TestResult, type TestRunResult } from '../../core/transform/run-tests.js';
import { LocalTransform, modelsDirectory } from '../local-transform.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';
import { parseVars } from './run-command.js';

/** Options of `sluice test`. */
export interface TestCommandOptions {
  readonly select?: string;
  readonly exclude?: string;
  readonly vars?: string;
  readonly json?: boolean;
}

/** A failing row, shortened for one terminal line. */
function sample(row: Record<string, unknown> | undefined): string {
  if (!row) return '';
  const json = JSON.stringify(row);
  return `, e.g. ${json.length > 120 ? `${json.slice(0, 117)}...` : json}`;
}

/** One line per test: outcome, name and, when it failed, how many rows and the first of them. */
export function testLine(result: TestResult, index: number, total: number): string {
  const position = `${String(index).padStart(String(total).length)}/${total}`;
  const status = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', error: 'ERROR' }[result.status].padEnd(5);
  const detail =
    result.status === 'error'
      ? (result.error ?? '').split('\n')[0]
      : result.status === 'pass'
        ? ''
        : `${result.failures} failing row(s)${sample(result.samples[0])}`;
  return `  ${position}  ${status}  ${result.name}${detail ? `  ${detail}` : ''}`;
}

/** The closing line of a test run. */
export function testSummary(result: TestRunResult): string {
  if (result.tests.length === 0) return 'Nothing to test: no test is selected.';
  return `Ran ${result.tests.length} test(s): ${result.passed} passed, ${result.failed} failed, ${result.warned} warned, ${result.errored} errored (run ${result.runId}; failing rows in ops.model_tests)`;
}

/**
 * `sluice test [--select m]`: runs the `.yml` and custom tests of the selected models, through the running
 * pipeline when there is one. Exits non-zero with one line naming the failed tests when any failed.
 */
export async function testCommand(
  options: TestCommandOptions,
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const vars = parseVars(options.vars);
  const request = {
    ...(options.select !== undefined ? { select: options.select } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    ...(vars ? { vars } : {}),
  };
  const out = (line: string): void => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const running = findRunningPipeline(home);
  let result: TestRunResult;
  if (running) {
    result = await running.call<TestRunResult>('POST', '/admin/test', request);
    result.tests.forEach((t, i) => out(testLine(t, i + 1, result.tests.length)));
  } else {
    result = await withLocalPorts(home, configPath, (ports, config) =>
      new LocalTransform(modelsDirectory(config, configPath), ports).test({
        ...request,
        onProgress: (t, index, total) => out(testLine(t, index, total)),
      }),
    );
  }
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else out(testSummary(result));
  assertTestsPassed(result);
}
