import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on `scope` and everything under it, with the reason recorded in the construct
 * metadata (and so in the audit trail). cdk-nag v3 reads CDK's native `Validations` acknowledgments, one rule
 * id at a time.
 */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the `AwsSolutions-IAM5` finding of each wildcard resource ARN granted under `scope`, naming the
 * exact finding cdk-nag reports (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/landing/*]`): the ARN is resolved
 * and flattened with cdk-nag's own function, so a reviewer sees precisely which wildcard was accepted and any
 * other wildcard still fails the check. Only valid for ARNs of resources in the same stack as `scope`.
 */
export function acknowledgeWildcardResources(scope: IConstruct, reason: string, ...arns: string[]): void {
  const stack = Stack.of(scope);
  for (const arn of arns) {
    acknowledge(scope, reason, `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`);
  }
}
