import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { sluiceStage } from './support/sluice-app.js';

const { template, stack } = sluiceStage();
const STATEMENT_NAME = `${stack.stackName}-load`;

function functionId(service: string): string {
  return template.getResourceId('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) } },
  });
}

const loadArn = { 'Fn::GetAtt': [functionId('sluice-load'), 'Arn'] };

/** Statements of the policies attached to the role of a function. */
function roleStatements(service: string): { Sid?: string; Action: string | string[]; Resource: unknown }[] {
  const fn = template.findResources('AWS::Lambda::Function')[functionId(service)];
  const roleId = (fn?.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: { Action: string | string[] }[]) =>
  statements.flatMap((s) => [s.Action].flat()).sort();

function statementRuleId(): string {
  return template.getResourceId('AWS::Events::Rule', {
    Properties: {
      EventPattern: Match.objectLike({
        source: ['aws.redshift-data'],
        detail: { statementName: [STATEMENT_NAME] },
      }),
    },
  });
}

describe('SluicePipeline', () => {
  it('resumes the load function when one of its Redshift statements ends, on the default bus', () => {
    const rule = template.findResources('AWS::Events::Rule')[statementRuleId()];
    expect(rule?.Properties.EventBusName).toBeUndefined();
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.redshift-data'],
      'detail-type': ['Redshift Data Statement Status Change'],
      detail: { statementName: [STATEMENT_NAME] },
    });
    expect(rule?.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: loadArn,
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
      }),
    ]);
  });

  it('names the load function statements as the rule expects', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'sluice-load',
          LOAD_STATEMENT_NAME: STATEMENT_NAME,
        }),
      },
    });
  });

  it('lets only that rule invoke the load function from EventBridge for statement events', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: loadArn,
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [statementRuleId(), 'Arn'] },
    });
  });

  it('gives the load function a timeout well inside Lambda’s 15 minutes', () => {
    const fn = template.findResources('AWS::Lambda::Function')[functionId('sluice-load')];
    expect(fn?.Properties.Timeout).toBe(300);
  });

  it('lets the load function keep its state under loads/ and nowhere else', () => {
    const keep = roleStatements('sluice-load').find((s) => s.Sid === 'KeepLoadState');
    expect(actionsOf(keep ? [keep] : [])).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    expect(keep?.Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LandingBucket/), 'Arn'] }, '/loads/*']],
    });
    const deletes = roleStatements('sluice-load').filter((s) =>
      [s.Action].flat().includes('s3:DeleteObject'),
    );
    expect(deletes).toEqual([keep]);
  });

  it('lets the load function list loads/ besides the landing and quarantine files', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ListLandingFilesAndLoadState',
            Action: 's3:ListBucket',
            Condition: { StringLike: { 's3:prefix': ['landing/*', 'quarantine/*', 'loads/*'] } },
          }),
        ]),
      },
    });
  });

  it('lets the load function decrypt its state through S3 only', () => {
    const kms = roleStatements('sluice-load').find((s) => s.Sid === 'UseLandingKeyThroughS3') as
      { Action: string[]; Condition: unknown } | undefined;
    expect(kms?.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(kms?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
  });

  it('lets the load function look at its own statements, which is how it resumes them', () => {
    const follow = roleStatements('sluice-load').find((s) =>
      [s.Action].flat().includes('redshift-data:DescribeStatement'),
    ) as { Condition?: unknown } | undefined;
    expect(follow?.Condition).toEqual({
      StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' },
    });
  });

  it('gives the land function no access to the load state', () => {
    const resources = JSON.stringify(roleStatements('sluice-land').map((s) => s.Resource));
    expect(resources).not.toContain('/loads/');
  });
});
