/**
 * The migration step of `cdk deploy`: a CloudFormation custom resource (through CDK's Provider framework)
 * whose handler creates the warehouse's schemas and tables before any pipeline function runs, and lets the
 * pipeline's functions use them.
 *
 * What it runs, in order, each statement idempotent (`IF NOT EXISTS`, or checked against the catalog first):
 * 1. the DDL the resource carries (`Statements`): schemas `raw` and `ops`, `ops.load_ledger`, `raw.<source>`
 *    per source, `ops.quarantine`, the transform's, sync's and monitor's `ops.*` tables — the CDK app takes
 *    them from the steps' own modules (`lib/migration-ddl.ts`), so there is one definition of each table;
 * 2. the schemas of the bundled models project (`staging`, `marts`, …);
 * 3. when it runs as the namespace admin (a new Redshift Serverless namespace, whose admin password Redshift
 *    keeps in Secrets Manager: the secret's ARN is read with `GetNamespace`; or `MIGRATE_ADMIN_SECRET_ARN`):
 *    the database group `sluice_pipeline`, one user per pipeline role (`IAMR:<role name>`, the user the Data
 *    API logs each role in as), and the grants that let those users create and use the pipeline's tables —
 *    including default privileges, so a table one function creates is usable by the others.
 *
 * CloudFormation re-runs it whenever a resource property changes: the statements and their hash (a new or
 * changed table), the models hash or the roles. Deleting the stack drops nothing: the warehouse keeps its data.
 *
 * Environment: `REDSHIFT_WORKGROUP` or `REDSHIFT_CLUSTER_ID` + `REDSHIFT_DB_USER`, `REDSHIFT_DATABASE`,
 * optional `REDSHIFT_NAMESPACE` (admin secret looked up) or `MIGRATE_ADMIN_SECRET_ARN`, optional
 * `SLUICE_MODELS_DIR` (default `models/` in the package).
 */
import { join } from 'node:path';
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { FsModelSource } from '../adapters/local/fs-model-source.js';
import { identifier } from '../core/sql/sql-text.js';
import { Project } from '../core/transform/project.js';
import { observability, requiredEnv } from './aws-ports.js';

/** The database group whose members (the pipeline roles' users) may create and use the pipeline's tables. */
export const PIPELINE_GROUP = 'sluice_pipeline';

/** The resource properties the construct sets (CloudFormation passes them as strings and string arrays). */
export interface MigrationProperties {
  /** The DDL, each statement idempotent (`CREATE … IF NOT EXISTS`), run in order. */
  readonly Statements: readonly string[];
  /** Hash of the statements: shown in the console, and what a reviewer compares between deploys. */
  readonly DdlHash?: string;
  /** Hash of the bundled models project, so a new model schema updates the resource. */
  readonly ModelsHash?: string;
  /** IAM role names of the pipeline functions (granted when running as admin). */
  readonly RoleNames?: readonly string[];
}

/** What {@link migrate} did. */
export interface MigrationResult {
  readonly statements: number;
  readonly schemas: readonly string[];
  readonly users: readonly string[];
}

/** Where statements run and as whom. */
export interface MigrationTarget {
  readonly database: string;
  readonly workgroupName?: string;
  readonly clusterIdentifier?: string;
  readonly dbUser?: string;
  /** Secrets Manager ARN of the admin credentials; the Data API logs in with it. */
  readonly secretArn?: string;
}

/** Dependencies of {@link migrate}, injectable for tests. */
export interface MigrationDeps {
  readonly client: RedshiftDataClient;
  readonly target: MigrationTarget;
  /** Schemas of the models project. */
  readonly modelSchemas: readonly string[];
  readonly sleep?: (ms: number) => Promise<void>;
  /** Log lines (no SQL values, no secrets). */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The Redshift user the Data API logs an IAM role in as (folded to lower case, as Redshift does). */
export function roleUser(roleName: string): string {
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) throw new Error(`"${roleName}" is not an IAM role name`);
  return `iamr:${roleName.toLowerCase()}`;
}

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Grants of the pipeline group: create schemas in the database, use and create in every pipeline schema,
 * everything on the tables there now, and — as default privileges of the admin and of every member — on
 * every table created later, so a raw table created by load is readable by transform and monitor.
 */
export function accessGrants(
  database: string,
  schemas: readonly string[],
  users: readonly string[],
): string[] {
  const group = PIPELINE_GROUP;
  const schemaList = schemas.map((schema) => identifier(schema)).join(', ');
  return [
    `GRANT CREATE ON DATABASE ${quoted(database)} TO GROUP ${group}`,
    `GRANT USAGE, CREATE ON SCHEMA ${schemaList} TO GROUP ${group}`,
    `GRANT ALL ON ALL TABLES IN SCHEMA ${schemaList} TO GROUP ${group}`,
    `ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO GROUP ${group}`,
    ...users.map(
      (user) => `ALTER DEFAULT PRIVILEGES FOR USER ${quoted(user)} GRANT ALL ON TABLES TO GROUP ${group}`,
    ),
  ];
}

/** The users among `users` that exist already (a role that has called the Data API before has one). */
export function existingUsersQuery(users: readonly string[]): string {
  return `SELECT usename FROM pg_user WHERE usename IN (${users.map(literal).join(', ')})`;
}

/** The members of {@link PIPELINE_GROUP}. */
export const GROUP_MEMBERS_QUERY = `SELECT usename FROM pg_user, pg_group WHERE pg_user.usesysid = ANY(pg_group.grolist) AND pg_group.groname = ${literal(PIPELINE_GROUP)}`;

const TERMINAL = new Set(['FINISHED', 'FAILED', 'ABORTED']);
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs statements one at a time through the Data API and waits for each. */
class DataApiRunner {
  count = 0;
  constructor(private readonly deps: MigrationDeps) {}

  private targetFields() {
    const t = this.deps.target;
    return {
      Database: t.database,
      ...(t.workgroupName ? { WorkgroupName: t.workgroupName } : {}),
      ...(t.clusterIdentifier ? { ClusterIdentifier: t.clusterIdentifier } : {}),
      ...(t.secretArn ? { SecretArn: t.secretArn } : t.dbUser ? { DbUser: t.dbUser } : {}),
    };
  }

  /** Runs one statement; throws with Redshift's reason and the statement's first words when it fails. */
  async run(sql: string): Promise<string> {
    const started = await this.deps.client.send(
      new ExecuteStatementCommand({ ...this.targetFields(), Sql: sql, StatementName: 'sluice-migrate' }),
    );
    const id = started.Id;
    if (!id) throw new Error('the Data API returned no statement id');
    let delay = 100;
    for (;;) {
      const description = await this.deps.client.send(new DescribeStatementCommand({ Id: id }));
      const status = description.Status ?? 'SUBMITTED';
      if (TERMINAL.has(status)) {
        if (status !== 'FINISHED') {
          throw new Error(
            `migration statement ${status}: ${description.Error ?? 'no reason given'} (${sql.slice(0, 80)})`,
          );
        }
        this.count += 1;
        return id;
      }
      await (this.deps.sleep ?? realSleep)(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }

  /** Runs a query and returns its first column as strings. */
  async column(sql: string): Promise<string[]> {
    const id = await this.run(sql);
    const values: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.deps.client.send(
        new GetStatementResultCommand({ Id: id, ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
      for (const record of page.Records ?? []) {
        const value = record[0]?.stringValue;
        if (value !== undefined) values.push(value.trim());
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return values;
  }
}

/**
 * Applies the migration: the DDL, the model schemas and, with admin credentials, the group, the role users
 * and the grants. Every step is safe to repeat.
 */
export async function migrate(
  properties: MigrationProperties,
  deps: MigrationDeps,
): Promise<MigrationResult> {
  const runner = new DataApiRunner(deps);
  for (const statement of properties.Statements ?? []) await runner.run(statement);
  const modelSchemas = [...new Set(deps.modelSchemas.map((schema) => identifier(schema)))].sort();
  for (const schema of modelSchemas) await runner.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const schemas = [...new Set(['raw', 'ops', ...modelSchemas])];
  const users = deps.target.secretArn ? (properties.RoleNames ?? []).map(roleUser) : [];
  if (deps.target.secretArn) {
    const groups = await runner.column(
      `SELECT groname FROM pg_group WHERE groname = ${literal(PIPELINE_GROUP)}`,
    );
    if (groups.length === 0) await runner.run(`CREATE GROUP ${PIPELINE_GROUP}`);
    const existing = new Set(users.length === 0 ? [] : await runner.column(existingUsersQuery(users)));
    const members = new Set(await runner.column(GROUP_MEMBERS_QUERY));
    for (const user of users) {
      if (!existing.has(user))
        await runner.run(`CREATE USER ${quoted(user)} PASSWORD DISABLE IN GROUP ${PIPELINE_GROUP}`);
      else if (!members.has(user)) await runner.run(`ALTER GROUP ${PIPELINE_GROUP} ADD USER ${quoted(user)}`);
    }
    for (const statement of accessGrants(deps.target.database, schemas, users)) await runner.run(statement);
  }
  deps.log?.('warehouse migrated', { statements: runner.count, schemas, users: users.length });
  return { statements: runner.count, schemas, users };
}

/** The target from the function's environment (the same variables as every Data API function). */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): MigrationTarget {
  const database = requiredEnv('REDSHIFT_DATABASE', env);
  const secretArn = env['MIGRATE_ADMIN_SECRET_ARN'];
  const base = env['REDSHIFT_WORKGROUP']
    ? { database, workgroupName: requiredEnv('REDSHIFT_WORKGROUP', env) }
    : {
        database,
        clusterIdentifier: requiredEnv('REDSHIFT_CLUSTER_ID', env),
        dbUser: requiredEnv('REDSHIFT_DB_USER', env),
      };
  return secretArn ? { ...base, secretArn } : base;
}

/** The schemas of the models project in `directory` (where the models' relations live). */
export async function modelSchemasIn(directory: string): Promise<string[]> {
  const project = await Project.load(new FsModelSource(directory, 'models'), {
    dialect: 'redshift',
    runStartedAt: new Date(),
  });
  return [...new Set([...project.models.values()].map((model) => model.relation.schema))].sort();
}

/**
 * The ARN of the admin secret Redshift manages for a Serverless namespace (`manageAdminPassword`), which
 * CloudFormation does not expose; throws when the namespace has none, since the grants need the admin.
 */
export async function adminSecretArn(
  client: RedshiftServerlessClient,
  namespaceName: string,
): Promise<string> {
  const { namespace } = await client.send(new GetNamespaceCommand({ namespaceName }));
  const arn = namespace?.adminPasswordSecretArn;
  if (!arn) throw new Error(`namespace ${namespaceName} has no Redshift-managed admin secret`);
  return arn;
}

/** Physical id of the migration: one per database, so a property change updates it in place. */
export function physicalId(target: MigrationTarget): string {
  return `sluice-migration/${target.workgroupName ?? target.clusterIdentifier ?? 'warehouse'}/${target.database}`;
}

let client: RedshiftDataClient | undefined;
const { log } = observability('migrate');

/**
 * The Provider framework's `onEvent` handler: Create and Update migrate, Delete keeps the warehouse as it is.
 * A thrown error fails the deployment with its message, which CloudFormation shows.
 */
export async function handler(
  event: CloudFormationCustomResourceEvent,
): Promise<{ PhysicalResourceId: string; Data?: Record<string, string> }> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const namespace = process.env['REDSHIFT_NAMESPACE'];
  const target =
    namespace && !process.env['MIGRATE_ADMIN_SECRET_ARN']
      ? { ...targetFromEnv(), secretArn: await adminSecretArn(new RedshiftServerlessClient({}), namespace) }
      : targetFromEnv();
  const properties = event.ResourceProperties as unknown as MigrationProperties;
  const modelsDir =
    process.env['SLUICE_MODELS_DIR'] ?? join(process.env['LAMBDA_TASK_ROOT'] ?? process.cwd(), 'models');
  client ??= new RedshiftDataClient({});
  const result = await migrate(properties, {
    client,
    target,
    modelSchemas: await modelSchemasIn(modelsDir),
    log: (message, fields) => log.info(message, fields),
  });
  return {
    PhysicalResourceId: physicalId(target),
    Data: { Statements: String(result.statements), Schemas: result.schemas.join(',') },
  };
}
