import { ensureLocalSecret } from '../../adapters/local/local-secrets.js';
import { SALESFORCE_ORG_IDS, sourceSecretName } from '../../core/ingest/source-secrets.js';
import type { SourceKind } from '../../core/config/config-types.js';
import { loadConfigFile } from '../config-file.js';
import { openLocalPorts } from '../local-ports.js';
import { LocalPipeline } from '../local-pipeline.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';

/** The route a source's senders post to. */
function routeOf(name: string, kind: SourceKind): string {
  if (kind === 'segment') return '/v1/batch (and /v1/track, identify, page, screen, group, alias)';
  if (kind === 'webhook') return `/webhooks/${name}`;
  return `/webhooks/${kind}`;
}

/** Options of `sluice start`. */
export interface StartOptions {
  readonly port: number;
  readonly host: string;
}

/**
 * `sluice start` (`npm start`): runs the local pipeline in the foreground until Ctrl-C, then drains and stops
 * cleanly. Prints where everything is, and generates a signing secret for each declared webhook source
 * whose secret is not set (into `SLUICE_HOME/secrets.json`).
 */
export async function startCommand(
  options: StartOptions,
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const already = findRunningPipeline(home);
  if (already)
    throw new Error(`a pipeline already runs on ${home.root} (pid ${already.pid}, ${already.url})`);
  const config = await loadConfigFile(configPath);
  const generated: string[] = [];
  for (const [name, source] of Object.entries(config.sources)) {
    const secret = sourceSecretName(name, source.kind);
    if (secret && ensureLocalSecret(home.secretsFile, secret, process.env).generated) generated.push(secret);
  }
  const routes = Object.entries(config.sources).map(([name, source]) => routeOf(name, source.kind));
  const ports = await openLocalPorts(home);
  const pipeline = new LocalPipeline(config, home, ports);
  let url: string;
  try {
    url = await pipeline.start(options.port, options.host);
  } catch (error) {
    await ports.close();
    throw error;
  }
  const lines = [
    `Sluice local pipeline running at ${url}`,
    `  home        ${home.root}`,
    `  warehouse   ${home.warehouseFile} (DuckDB)`,
    `  landing     ${home.root}/landing`,
    `  secrets     ${home.secretsFile}${generated.length > 0 ? ` (generated for: ${generated.join(', ')})` : ''}`,
    `  sources     ${routes.map((r) => `${url}${r}`).join('\n              ') || 'none configured'}`,
    ...(Object.values(config.sources).some((s) => s.kind === 'salesforce') && !process.env[SALESFORCE_ORG_IDS]
      ? [
          `  note        set ${SALESFORCE_ORG_IDS} to your Salesforce organization id(s) to accept outbound messages`,
        ]
      : []),
    `  health      GET ${url}/health`,
    'Query with: npx sluice query "select count(*) from raw.<source>"   Stop with Ctrl-C.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    const shutdown = (): void => {
      process.stdout.write('stopping: landing and loading what is queued…\n');
      void pipeline.stop().then(resolve, (error: unknown) => {
        process.stderr.write(`sluice: stop failed: ${(error as Error).message}\n`);
        resolve();
      });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  process.stdout.write('stopped\n');
}
