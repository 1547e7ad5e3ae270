import { Ajv, type ErrorObject } from 'ajv';
import configSchema from '../../../schemas/config.schema.json' with { type: 'json' };
import { ConfigError } from '../errors.js';
import type { ResolvedConfig, SluiceConfig } from './config-types.js';

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
    if (source.kind !== 'webhook' && name !== source.kind) {
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
      schedule: config.monitors?.schedule ?? 'rate(5 minutes)',
    },
  };
}
