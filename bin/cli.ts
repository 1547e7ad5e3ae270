import { Command, InvalidArgumentError } from 'commander';
import { backfillCommand } from '../lambdas/local/commands/backfill-command.js';
import { loadCommand } from '../lambdas/local/commands/load-command.js';
import { replayCommand } from '../lambdas/local/commands/replay-command.js';
import { queryCommand } from '../lambdas/local/commands/query-command.js';
import { startCommand } from '../lambdas/local/commands/start-command.js';
import { statusCommand } from '../lambdas/local/commands/status-command.js';
import { sluiceHome } from '../lambdas/local/sluice-home.js';

/**
 * The `sluice` command line: the local pipeline and its tools. Every command reads `SLUICE_HOME` and
 * `SLUICE_CONFIG`; errors are one line on stderr and a non-zero exit code.
 */
const program = new Command('sluice')
  .description('Sluice: an open data pipeline for SaaS operations teams (local runtime and tools)')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

const home = sluiceHome();
const configPath = process.env['SLUICE_CONFIG'] ?? './sluice.config.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

program
  .command('start')
  .description('run the local pipeline: HTTP routes, queue, landing, loads (Ctrl-C drains and stops)')
  .option('-p, --port <port>', 'port to listen on (env PORT)', port, Number(process.env['PORT'] ?? 4000))
  .option('--host <host>', 'address to listen on (env HOST)', process.env['HOST'] ?? '127.0.0.1')
  .option(
    '--demo',
    'also play a simulated SaaS company through the routes (history, then live): every dashboard panel fills',
  )
  .action((options: { port: number; host: string; demo?: boolean }) =>
    startCommand(options, home, configPath),
  );

program
  .command('load')
  .description('land everything queued and load all pending landing files now; waits until done')
  .option('--json', 'print the result as JSON')
  .action((options: { json?: boolean }) => loadCommand(options, home, configPath));

program
  .command('query')
  .description('run SQL on the local warehouse (through the running pipeline if there is one)')
  .argument('<sql>', 'the SQL to run')
  .option('--json', 'print a JSON array of row objects')
  .action((sql: string, options: { json?: boolean }) => queryCommand(sql, options, home, configPath));

program
  .command('status')
  .description('show queue depth, landing backlog and the last load per table')
  .option('--json', 'print the status as JSON')
  .action((options: { json?: boolean }) => statusCommand(options, home, configPath));

program
  .command('replay')
  .description('re-check quarantined events against the current schemas, or move dead-lettered messages back')
  .argument('<target>', 'quarantine or dlq')
  .option('--json', 'print the outcome as JSON')
  .action((target: string, options: { json?: boolean }) => replayCommand(target, options, home, configPath));

// Types only: the commands themselves load on first use, so the other commands start without the template engine.
import type { RunCommandOptions } from '../lambdas/local/commands/run-command.js';
import type { TestCommandOptions } from '../lambdas/local/commands/test-command.js';

const selectHelp =
  'models: m, +m (with parents), m+ (with children), tag:t, path:staging, source:raw.stripe+, state:modified; spaces add, commas intersect';

program
  .command('run')
  .description('build the models in models/ in DAG order (through the running pipeline if there is one)')
  .option('-s, --select <selector>', selectHelp)
  .option('--exclude <selector>', 'models to leave out (same syntax)')
  .option('--full-refresh', 'rebuild incremental models from scratch')
  .option('--vars <json>', 'values for var() as a JSON or YAML object, e.g. \'{"as_of": "2026-11-25"}\'')
  .option('--concurrency <n>', 'models built at once (default 4)', (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
    return n;
  })
  .option('--json', 'print the result as JSON')
  .action(async (options: RunCommandOptions) => {
    const { runCommand } = await import('../lambdas/local/commands/run-command.js');
    await runCommand(options, home, configPath);
  });

program
  .command('test')
  .description('run the .yml and custom tests of the models; failing rows go to ops.model_tests')
  .option('-s, --select <selector>', `tests of these ${selectHelp}`)
  .option('--exclude <selector>', 'models whose tests to leave out (same syntax)')
  .option('--vars <json>', 'values for var() as a JSON or YAML object')
  .option('--json', 'print the result as JSON')
  .action(async (options: TestCommandOptions) => {
    const { testCommand } = await import('../lambdas/local/commands/test-command.js');
    await testCommand(options, home, configPath);
  });

program
  .command('sync')
  .description('run reverse-ETL syncs now: send only changed model rows to their destinations')
  .argument('[name]', 'the sync to run (default: every configured sync)')
  .option('--dry-run', 'compute and print the diff; send nothing and change no state')
  .option('--full-resync', 'send every model row, not only the changed ones')
  .option('--approve', 'send a run its circuit breaker (maxChangeRatio) would hold')
  .option('--json', 'print the outcome as JSON')
  .action(
    async (
      name: string | undefined,
      options: { dryRun?: boolean; fullResync?: boolean; approve?: boolean; json?: boolean },
    ) => {
      const { syncCommand } = await import('../lambdas/local/commands/sync-command.js');
      await syncCommand(name, options, home, configPath);
    },
  );

program
  .command('monitor')
  .description('run every monitor once: freshness, volumes, column rates, metrics and failures')
  .option('--json', 'print the run as JSON')
  .action(async (options: { json?: boolean }) => {
    const { monitorCommand } = await import('../lambdas/local/commands/monitor.js');
    await monitorCommand(options, home, configPath);
  });

program
  .command('trace')
  .description('follow a record: received, landing file, load, the model rows it fed, the destination writes')
  .argument('<id>', 'an event id (Segment messageId, Stripe event id…) or an id inside payloads (cus_…)')
  .option('--json', 'print the trace as JSON')
  .action(async (id: string, options: { json?: boolean }) => {
    const { traceCommand } = await import('../lambdas/local/commands/trace-command.js');
    await traceCommand(id, options, home, configPath);
  });

program
  .command('backfill')
  .description('re-read a pull source from a date (own cursor and lease: scheduled syncs go on meanwhile)')
  .argument('<source>', 'the pull source (stripe, zendesk, salesforce, amplitude, app_db)')
  .requiredOption('--since <date>', 're-read records created since this date (ISO 8601)', (value: string) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be a date, e.g. 2026-01-31');
    return date;
  })
  .option('--stream <stream...>', 'only these streams (e.g. customers invoices)')
  .option('--json', 'print the outcome as JSON')
  .action((source: string, options: { since: Date; stream?: string[]; json?: boolean }) =>
    backfillCommand(source, options, home, configPath),
  );

// simulate command
(await import('../lambdas/local/commands/simulate-command.js')).registerSimulateCommand(program, home);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = (error as Error).message.split('\n')[0] ?? String(error);
  process.stderr.write(`sluice: ${message}\n`);
  process.exitCode = 1;
}
