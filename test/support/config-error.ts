import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { ConfigError } from '../../lambdas/core/errors.js';

/** The ConfigError the config loader throws for `input`; fails the test when it accepts it or throws another error. */
export function configErrorOf(input: unknown): ConfigError {
  try {
    resolveConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
