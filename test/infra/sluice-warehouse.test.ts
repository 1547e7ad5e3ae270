import * as iam from 'aws-cdk-lib/aws-iam';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { RedshiftConfig } from '../../lambdas/core/config/config-types.js';
import { SluiceLanding } from '../../lib/constructs/sluice-landing.js';
import { SluiceWarehouse } from '../../lib/constructs/sluice-warehouse.js';
import { testStack } from './support/sluice-app.js';

/** A warehouse in a test stack, with a stand-in Data API caller whose policy the tests inspect. */
function warehouse(redshift: RedshiftConfig): { template: Template; construct: SluiceWarehouse } {
  const stack = testStack();
  const landing = new SluiceLanding(stack, 'Landing');
  const construct = new SluiceWarehouse(stack, 'Warehouse', {
    redshift,
    resourceName: 'sluice-dev',
    bucket: landing.bucket,
    bucketKey: landing.key,
  });
  const caller = new iam.Role(stack, 'Caller', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  construct.grantDataApi(caller);
  return { template: Template.fromStack(stack), construct };
}

/** The statements of the stand-in caller's policy. */
function callerStatements(
  template: Template,
): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }] },
  });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const serverless = warehouse({ mode: 'serverless' });

describe('SluiceWarehouse in serverless mode', () => {
  it('creates a workgroup that is not publicly accessible', () => {
    serverless.template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      PubliclyAccessible: false,
      EnhancedVpcRouting: true,
    });
  });

  it('uses a base capacity of 8 RPUs by default', () => {
    serverless.template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { BaseCapacity: 8 });
  });

  it('uses the base capacity of the config', () => {
    warehouse({ mode: 'serverless', baseCapacity: 32 }).template.hasResourceProperties(
      'AWS::RedshiftServerless::Workgroup',
      { BaseCapacity: 32 },
    );
  });

  it('places the workgroup in three isolated subnets', () => {
    const subnets = serverless.template.findResources('AWS::EC2::Subnet');
    expect(Object.keys(subnets)).toHaveLength(3);
    for (const subnet of Object.values(subnets)) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    serverless.template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    serverless.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    serverless.template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      SubnetIds: Object.keys(subnets).map((id) => ({ Ref: id })),
    });
  });

  it('gives the workgroup a security group without any ingress rule', () => {
    serverless.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('workgroup'),
      SecurityGroupIngress: Match.absent(),
    });
    serverless.template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('routes COPY traffic to S3 through a gateway endpoint', () => {
    serverless.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('\\.s3$')])] },
    });
  });

  it('records VPC flow logs', () => {
    serverless.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });

  it('lets Secrets Manager manage the admin password and encrypts the namespace with its own key', () => {
    serverless.template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
      ManageAdminPassword: true,
      AdminUserPassword: Match.absent(),
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseKey'), 'Arn'] },
      DbName: 'sluice',
      IamRoles: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseCopyRole'), 'Arn'] }],
    });
  });

  it('hands the workgroup, database and COPY role to the pipeline', () => {
    expect(serverless.construct.environment).toMatchObject({
      REDSHIFT_WORKGROUP: 'sluice-dev',
      REDSHIFT_DATABASE: 'sluice',
    });
    expect(serverless.construct.environment['REDSHIFT_COPY_ROLE_ARN']).toBe(
      serverless.construct.copyRole.roleArn,
    );
  });

  it('scopes ExecuteStatement and GetCredentials to the workgroup ARN', () => {
    const scoped = callerStatements(serverless.template).find((s) =>
      [s.Action].flat().includes('redshift-data:ExecuteStatement'),
    );
    expect([scoped?.Action].flat()).toEqual(
      expect.arrayContaining(['redshift-data:BatchExecuteStatement', 'redshift-serverless:GetCredentials']),
    );
    expect(scoped?.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^WarehouseWorkgroup/), 'Workgroup.WorkgroupArn'],
    });
  });

  it('limits statement reads to the statements the caller ran', () => {
    const follow = callerStatements(serverless.template).find((s) =>
      [s.Action].flat().includes('redshift-data:GetStatementResult'),
    );
    expect(follow?.Resource).toBe('*');
    expect(follow?.Condition).toEqual({
      StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' },
    });
  });
});

describe('SluiceWarehouse COPY role', () => {
  const policies = serverless.template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^WarehouseCopyRole') }] },
  });
  const statements = Object.values(policies).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
  );

  it('is assumed by Redshift and Redshift Serverless only', () => {
    serverless.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Principal: { Service: ['redshift-serverless.amazonaws.com', 'redshift.amazonaws.com'] },
          }),
        ],
      },
      Description: Match.stringLikeRegexp('COPY'),
    });
  });

  it('reads objects only under landing/, quarantine/ and manifests/', () => {
    const reads = statements.filter((s) => [s.Action].flat().includes('s3:GetObject'));
    const resources = reads.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(3);
    expect(resources.some((r) => r.includes('/landing/*'))).toBe(true);
    expect(resources.some((r) => r.includes('/quarantine/*'))).toBe(true);
    expect(resources.some((r) => r.includes('/manifests/*'))).toBe(true);
  });

  it('cannot write, delete or tag anything', () => {
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => /Put|Delete|Tag|\*/.test(a))).toEqual([]);
  });

  it('decrypts with the landing key only through S3', () => {
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
      }),
    );
  });
});

describe('SluiceWarehouse with an existing workgroup', () => {
  const existing = warehouse({ mode: 'existing-workgroup', workgroupName: 'analytics', database: 'dev' });

  it('creates no Redshift, VPC or key resource', () => {
    existing.template.resourceCountIs('AWS::RedshiftServerless::Namespace', 0);
    existing.template.resourceCountIs('AWS::RedshiftServerless::Workgroup', 0);
    existing.template.resourceCountIs('AWS::Redshift::Cluster', 0);
    existing.template.resourceCountIs('AWS::EC2::VPC', 0);
    existing.template.resourceCountIs('AWS::KMS::Key', 1);
  });

  it('hands the configured workgroup and database to the pipeline', () => {
    expect(existing.construct.environment).toMatchObject({
      REDSHIFT_WORKGROUP: 'analytics',
      REDSHIFT_DATABASE: 'dev',
    });
  });

  it('still creates the COPY role to associate with the workgroup', () => {
    existing.template.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('COPY'),
    });
  });

  it('scopes the Data API to this account and region workgroups', () => {
    const scoped = callerStatements(existing.template).find((s) =>
      [s.Action].flat().includes('redshift-data:ExecuteStatement'),
    );
    expect(JSON.stringify(scoped?.Resource)).toMatch(/:redshift-serverless:.*:workgroup\/\*/);
  });
});

describe('SluiceWarehouse with an existing cluster', () => {
  const cluster = warehouse({
    mode: 'existing-cluster',
    clusterIdentifier: 'bi',
    database: 'warehouse',
    dbUser: 'sluice',
  });

  it('creates no Redshift resource', () => {
    cluster.template.resourceCountIs('AWS::Redshift::Cluster', 0);
    cluster.template.resourceCountIs('AWS::RedshiftServerless::Workgroup', 0);
  });

  it('hands the cluster, database user and database to the pipeline', () => {
    expect(cluster.construct.environment).toMatchObject({
      REDSHIFT_CLUSTER_ID: 'bi',
      REDSHIFT_DB_USER: 'sluice',
      REDSHIFT_DATABASE: 'warehouse',
    });
    expect(cluster.construct.environment['REDSHIFT_WORKGROUP']).toBeUndefined();
  });

  it('scopes GetClusterCredentials to the configured database user and database', () => {
    const credentials = callerStatements(cluster.template).find((s) =>
      [s.Action].flat().includes('redshift:GetClusterCredentials'),
    );
    const resources = JSON.stringify(credentials?.Resource);
    expect(resources).toContain(':dbuser:bi/sluice');
    expect(resources).toContain(':dbname:bi/warehouse');
  });
});
