import { join } from 'node:path';
import pkg from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { FsModelSource } from '../../../lambdas/adapters/local/fs-model-source.js';
import { projectTests } from '../../../lambdas/core/transform/generic-tests.js';
import { Project, type ModelNode } from '../../../lambdas/core/transform/project.js';

const MODELS = join(import.meta.dirname, '..', '..', '..', 'models');
const NOW = new Date('2026-11-25T12:00:00.000Z');
const source = new FsModelSource(MODELS, 'models');
const redshift = await Project.load(source, { dialect: 'redshift', runStartedAt: NOW });
const duckdb = await Project.load(source, { dialect: 'duckdb', runStartedAt: NOW });
const parser = new pkg.Parser();

/**
 * Models whose Redshift SQL node-sql-parser cannot read, and why. Everything else must parse in its Redshift
 * mode: a cheap check that the Redshift rendering is well-formed SQL, since no Redshift runs in the tests.
 */
const PARSER_GAPS: Readonly<Record<string, string>> = {
  stg_stripe__subscription_events: 'SUPER navigation through an array index (items."data"[0]."price")',
};

/** Every starter model, and its incremental variant when it has one. */
const variants = [...redshift.models.values()]
  .filter((m) => m.config.materialized !== 'ephemeral')
  .flatMap(
    (m) =>
      (m.config.materialized === 'incremental'
        ? [
            [m, false],
            [m, true],
          ]
        : [[m, false]]) as [ModelNode, boolean][],
  );

describe('the starter models', () => {
  it('are all there', () => {
    expect([...redshift.models.keys()].sort()).toEqual([
      'customer_health',
      'dim_accounts',
      'fct_mrr_movements',
      'fct_product_usage',
      'fct_subscriptions',
      'fct_tickets',
      'int_segment_account_users',
      'int_segment_user_accounts',
      'int_stripe_customer_accounts',
      'stg_salesforce__accounts',
      'stg_salesforce__opportunities',
      'stg_segment__groups',
      'stg_segment__pages',
      'stg_segment__tracks',
      'stg_stripe__customers',
      'stg_stripe__invoices',
      'stg_stripe__subscription_events',
      'stg_stripe__subscriptions',
      'stg_zendesk__organizations',
      'stg_zendesk__satisfaction_ratings',
      'stg_zendesk__ticket_events',
      'stg_zendesk__tickets',
    ]);
  });

  it.each(variants.map(([m, inc]) => [`${m.name}${inc ? ' (incremental)' : ''}`, m, inc] as const))(
    'render %s for Redshift as in its snapshot',
    async (_label, model, incremental) => {
      await expect(redshift.renderModel(model, incremental)).toMatchFileSnapshot(
        join('__snapshots__', 'redshift', `${model.name}${incremental ? '.incremental' : ''}.sql`),
      );
    },
  );

  it.each(
    variants
      .filter(([m]) => !(m.name in PARSER_GAPS))
      .map(([m, inc]) => [`${m.name}${inc ? ' (incremental)' : ''}`, m, inc] as const),
  )('render %s for Redshift as SQL the parser reads', (_label, model, incremental) => {
    expect(() =>
      parser.astify(redshift.renderModel(model, incremental), { database: 'Redshift' }),
    ).not.toThrow();
  });

  it('render their custom tests for Redshift as SQL the parser reads', () => {
    const custom = projectTests(redshift).filter((t) => t.kind === 'custom');
    expect(
      custom
        .map((t) => t.name)
        .filter((name) => {
          try {
            parser.astify(custom.find((t) => t.name === name)?.sql() ?? '', { database: 'Redshift' });
            return false;
          } catch {
            return true;
          }
        }),
    ).toEqual([]);
  });

  it('navigate SUPER with quoted keys on Redshift and read JSON with json_extract_string on DuckDB', () => {
    const name = (p: Project) => p.models.get('stg_salesforce__accounts')?.compiledSql ?? '';
    expect([
      name(redshift).includes('e.payload."sObject"."Sluice_Account_Id__c"'),
      name(duckdb).includes("json_extract_string(e.payload, '$.sObject.Sluice_Account_Id__c')"),
    ]).toEqual([true, true]);
  });

  it('render for DuckDB without any Redshift-only syntax', () => {
    const redshiftOnly = /GETDATE|DATEADD\(|JSON_TYPEOF|JSON_SERIALIZE|LISTAGG|WITH NO SCHEMA BINDING/;
    expect(
      [...duckdb.models.values()].filter((m) => redshiftOnly.test(m.compiledSql)).map((m) => m.name),
    ).toEqual([]);
  });
});
