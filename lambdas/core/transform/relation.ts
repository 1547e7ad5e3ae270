import { identifier } from '../sql/sql-text.js';

/**
 * A table or view in the warehouse, `schema.name`. Templates print it (`{{ ref('x') }}` → `staging.x`) and
 * read its parts (`{{ this.schema }}`, `{{ this.name }}`), as dbt's relations allow.
 */
export class Relation {
  readonly schema: string;
  readonly name: string;

  /** Both parts must be safe lower-case identifiers, so relations never need quoting on either warehouse. */
  constructor(schema: string, name: string) {
    this.schema = identifier(schema);
    this.name = identifier(name);
  }

  /** dbt's spelling of the table part. */
  get identifier(): string {
    return this.name;
  }

  /** `schema.name`. */
  toString(): string {
    return `${this.schema}.${this.name}`;
  }

  /** A sibling relation in the same schema (`x__sluice_tmp`), for builds that swap in atomically. */
  withSuffix(suffix: string): Relation {
    return new Relation(this.schema, `${this.name}${suffix}`);
  }
}
