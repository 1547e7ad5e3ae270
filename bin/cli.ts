import { Command, InvalidArgumentError } from 'commander';
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
  .action((options: { port: number; host: string }) => startCommand(options, home, configPath));

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

// transform commands (run, test)

// simulate command

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = (error as Error).message.split('\n')[0] ?? String(error);
  process.stderr.write(`sluice: ${message}\n`);
  process.exitCode = 1;
}
