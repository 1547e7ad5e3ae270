import { Ajv, type ErrorObject } from 'ajv';
import configSchema from '../../../schemas/config.schema.json' with { type: 'json' };
import { ConfigError } from '../errors.js';
import type { ResolvedConfig, SluiceConfig } from './config-types.js';
import { readOnlyQueryProblem } from './read-only-sql.js';

const ajv = new Ajv({ verbose: true, allErrors: false, strict: true, discriminator: true });
/** Compiled once per process: config validation must be cheap in Lambda cold starts. */
const validate = ajv.compile<SluiceConfig>(configSchema);

/** Default landing-file limits: large files load fast into Redshift, the interval bounds freshness. */
export const DEFAULT_LANDING = {
  maxFileBytes: 64 * 1024 * 1024,
  maxEventsPerFile: 100_000,
  flushIntervalSeconds: 10,
};

function describe(error: ErrorObject): ConfigError {
  const path = error.instancePath;
  if (error.propertyName !== undefined) {
    return new ConfigError(
      `${path}/${error.propertyName}`,
      'is not a valid name: use lower-case letters, digits and _ (starting with a letter)',
    );
  }
  switch (error.keyword) {
    case 'additionalProperties':
      return new ConfigError(
        `${path}/${String(error.params['additionalProperty'])}`,
        'is not a known setting (check its spelling)',
      );
    case 'required':
      return new ConfigError(`${path}/${String(error.params['missingProperty'])}`, 'is required');
    case 'enum':
      return new ConfigError(
        path,
        `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      );
    case 'pattern':
      return new ConfigError(
        path,
        `${JSON.stringify(error.data)} does not match ${String(error.params['pattern'])}`,
      );
    case 'discriminator':
      return new ConfigError(
        `${path}/mode`,
        'must be "serverless", "existing-workgroup" or "existing-cluster"',
      );
    default:
      return new ConfigError(path, error.message ?? 'is invalid');
  }
}

/**
 * Validates a configuration object and fills in every default. Throws a {@link ConfigError} naming the path
 * of the first bad field, so that a broken config fails at start-up rather than in the middle of a run.
 */
export function resolveConfig(input: unknown): ResolvedConfig {
  if (!validate(input)) {
    const errors = validate.errors ?? [];
    throw errors[0] ? describe(errors[0]) : new ConfigError('', 'is invalid');
  }
  const config = input;
  for (const [name, source] of Object.entries(config.sources ?? {})) {
    if (source.kind === 'postgres') {
      if (name !== 'app_db')
        throw new ConfigError(
          `/sources/${name}`,
          'a postgres source must be named "app_db" (its table raw.app_db and secret SLUICE_APP_DB_URL are fixed)',
        );
      if (!source.tables)
        throw new ConfigError(`/sources/${name}/tables`, 'is required for a postgres source');
    } else if (source.tables || source.pageSize !== undefined) {
      throw new ConfigError(`/sources/${name}`, 'tables and pageSize are settings of a postgres source only');
    }
    if (source.kind !== 'webhook' && source.kind !== 'postgres' && name !== source.kind) {
      throw new ConfigError(
        `/sources/${name}`,
        `a ${source.kind} source must be named "${source.kind}" (its route and its table raw.${source.kind} are fixed)`,
      );
    }
  }
  for (const [index, sync] of (config.syncs ?? []).entries()) {
    const before = (config.syncs ?? []).findIndex((other) => other.name === sync.name);
    if (before !== index)
      throw new ConfigError(`/syncs/${index}/name`, `duplicates sync #${before} "${sync.name}"`);
  }
  for (const [index, sla] of (config.monitors?.freshness ?? []).entries()) {
    if (sla.errorAfterMinutes < sla.warnAfterMinutes) {
      throw new ConfigError(
        `/monitors/freshness/${index}/errorAfterMinutes`,
        'must not be less than warnAfterMinutes',
      );
    }
  }
  checkMonitors(config);
  return {
    name: config.name ?? 'sluice',
    sources: config.sources ?? {},
    landing: { ...DEFAULT_LANDING, ...config.landing },
    load: { schedule: config.load?.schedule ?? 'rate(5 minutes)' },
    warehouse: { redshift: config.warehouse?.redshift ?? { mode: 'serverless' } },
    models: {
      path: config.models?.path ?? 'models',
      ...(config.models?.schedule ? { schedule: config.models.schedule } : {}),
    },
    syncs: config.syncs ?? [],
    monitors: {
      freshness: config.monitors?.freshness ?? [],
      volume: config.monitors?.volume ?? [],
      columns: config.monitors?.columns ?? [],
      metrics: config.monitors?.metrics ?? [],
      schedule: config.monitors?.schedule ?? 'rate(5 minutes)',
    },
    alerts: {
      ...(config.alerts?.slack ? { slack: config.alerts.slack } : {}),
      cooldownMinutes: config.alerts?.cooldownMinutes ?? DEFAULT_ALERT_COOLDOWN_MINUTES,
      digest: { schedule: config.alerts?.digest?.schedule ?? 'cron(0 8 * * ? *)' },
      ...(config.alerts?.dashboardUrl
        ? { dashboardUrl: config.alerts.dashboardUrl.replace(/\/+$/, '') }
        : {}),
      syncRejectionRatio: config.alerts?.syncRejectionRatio ?? 0.05,
    },
    owners: config.owners ?? {},
  };
}

/** How long a still-failing incident stays quiet before it is announced again (minutes). */
export const DEFAULT_ALERT_COOLDOWN_MINUTES = 240;

/**
 * Checks what the schema cannot: monitor names are unique and every metric query reads rather than writes,
 * so a typo in the config fails at start naming its path instead of mid-run.
 */
function checkMonitors(config: SluiceConfig): void {
  const metrics = config.monitors?.metrics ?? [];
  for (const [index, metric] of metrics.entries()) {
    const before = metrics.findIndex((other) => other.name === metric.name);
    if (before !== index)
      throw new ConfigError(
        `/monitors/metrics/${index}/name`,
        `duplicates metric #${before} "${metric.name}"`,
      );
    const problem = readOnlyQueryProblem(metric.sql);
    if (problem) throw new ConfigError(`/monitors/metrics/${index}/sql`, problem);
  }
  for (const [index, volume] of (config.monitors?.volume ?? []).entries()) {
    if (volume.by !== undefined && volume.by === volume.timeColumn)
      throw new ConfigError(`/monitors/volume/${index}/by`, 'must differ from timeColumn');
  }
}
