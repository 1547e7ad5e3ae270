import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Validates events against a source's JSON Schemas, compiled once when the registry is built. */
export interface SchemaRegistry {
  /**
   * Checks `value` against the schema with `$id` `schemaId`; returns `undefined` when it conforms, or the
   * reason it does not (`/properties/email: must match format "email"`), naming the offending field.
   */
  check(schemaId: string, value: unknown): string | undefined;
  /** Whether a schema with this `$id` is registered. */
  has(schemaId: string): boolean;
}

/**
 * Builds a registry from JSON Schemas (draft-07, each with an `$id`). Schemas are compiled here, once per
 * process, never per request: compilation costs milliseconds, validation microseconds.
 */
export function createSchemaRegistry(schemas: readonly AnySchema[]): SchemaRegistry {
  const ajv = new Ajv({ allErrors: false, strict: false });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  const validators = new Map<string, ValidateFunction>();
  for (const schema of schemas) {
    const id = (schema as { $id?: unknown }).$id;
    if (typeof id !== 'string') throw new Error('every event schema needs an $id');
    validators.set(id, ajv.compile(schema));
  }
  return {
    has: (schemaId) => validators.has(schemaId),
    check(schemaId, value) {
      const validate = validators.get(schemaId);
      if (!validate) return `no schema ${schemaId}`;
      if (validate(value)) return undefined;
      const error = validate.errors?.[0];
      if (!error) return 'does not match its schema';
      const extra =
        error.keyword === 'additionalProperties'
          ? ` (${String(error.params['additionalProperty'])})`
          : error.keyword === 'required'
            ? ''
            : '';
      return `${schemaId}: ${error.instancePath || '/'} ${error.message ?? 'is invalid'}${extra}`;
    },
  };
}
