import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { SluiceLanding } from '../../../lib/constructs/sluice-landing.js';
import { SluiceSecrets } from '../../../lib/constructs/sluice-secrets.js';
import { SluiceWarehouse } from '../../../lib/constructs/sluice-warehouse.js';
import { testStack } from './sluice-app.js';

/** What a construct under test is wired to: the pieces the stack would hand it. */
export interface ConstructDeps {
  readonly stack: Stack;
  readonly landing: SluiceLanding;
  readonly warehouse: SluiceWarehouse;
  readonly bus: events.EventBus;
  readonly secrets: SluiceSecrets;
}

/**
 * A bare stack with a landing zone, an existing-workgroup warehouse (no VPC, so the template stays small), a
 * bus and a secrets registry, for testing one of the step constructs on its own.
 */
export function constructStack(): ConstructDeps {
  const stack = testStack();
  const landing = new SluiceLanding(stack, 'Landing');
  const warehouse = new SluiceWarehouse(stack, 'Warehouse', {
    redshift: { mode: 'existing-workgroup', workgroupName: 'analytics', database: 'dev' },
    resourceName: 'sluice-test',
    bucket: landing.bucket,
    bucketKey: landing.key,
  });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'sluice-test' });
  const secrets = new SluiceSecrets(stack, 'Secrets', { prefix: 'sluice/test/' });
  return { stack, landing, warehouse, bus, secrets };
}

/**
 * A template as JSON with content hashes (asset keys, DDL and models hashes: 64 hex digits) replaced and the
 * migration's DDL left out (its statements come from the steps' modules and are asserted on their own), so a
 * snapshot changes when the resources change and not when an unrelated source file does.
 */
export function stableTemplate(template: { toJSON(): Record<string, unknown> }): unknown {
  const json = JSON.parse(JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}/g, '<hash>')) as {
    Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  for (const resource of Object.values(json.Resources ?? {}))
    if (resource.Type === 'Custom::SluiceMigration' && resource.Properties)
      resource.Properties['Statements'] = '<statements>';
  return json;
}

/** Statements of the inline policies attached to the role `roleId`. */
export function statementsOfRole(
  template: Template,
  roleId: string,
): { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties['Roles'] as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(
      (p) =>
        (p.Properties['PolicyDocument'] as { Statement: never[] }).Statement as {
          Sid?: string;
          Action: string | string[];
          Resource: unknown;
        }[],
    );
}

/** The logical id of the role of the function with Powertools service name `service`. */
export function roleOfService(template: Template, service: string): string {
  const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
    (f) =>
      (f.Properties['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[
        'POWERTOOLS_SERVICE_NAME'
      ] === service,
  );
  if (!fn) throw new Error(`no function with service ${service}`);
  return (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}
