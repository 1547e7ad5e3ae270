import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedConfig } from '../../lambdas/core/config/config-types.js';
import { SluiceIngest } from '../constructs/sluice-ingest.js';
import { SluiceLanding } from '../constructs/sluice-landing.js';
import { SluicePipeline } from '../constructs/sluice-pipeline.js';
import { SluiceWarehouse } from '../constructs/sluice-warehouse.js';

/** Properties of {@link SluiceStack}. */
export interface SluiceStackProps extends StackProps {
  /** The resolved `sluice.config.ts`. */
  readonly config: ResolvedConfig;
  /** Deployment stage (`dev`, `prod`, …): part of every name, so stages can share an account. */
  readonly stage: string;
  /**
   * Delete the landing zone and the warehouse with the stack. Refused for `prod`.
   * @default false
   */
  readonly destroyOnRemoval?: boolean;
}

/**
 * One stage of Sluice in one stack: landing zone, ingest (API, queue), warehouse and pipeline (land, load, bus).
 *
 * Why one stack rather than storage / ingest / warehouse / pipeline stacks: every piece references the others
 * at least once (the bucket and its key are used by all four, the queue by ingest and land, the warehouse by
 * load), so a split turns each reference into a cross-stack output that pins the producer until every consumer
 * is redeployed, and the stages could only be deployed in order. It also keeps security review exact: cdk-nag
 * v3 acknowledgments name each wildcard finding (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/landing/*]`), which
 * cross-stack references would render as opaque `Fn::GetStackOutput` objects. Stateful resources are protected
 * by their removal policies instead (bucket, key, namespace and workgroup are retained unless
 * `destroyOnRemoval`), and the constructs stay separable should a split ever pay off.
 */
export class SluiceStack extends Stack {
  /** The landing zone. */
  readonly landing: SluiceLanding;
  /** The HTTP entry and queue. */
  readonly ingest: SluiceIngest;
  /** The warehouse. */
  readonly warehouse: SluiceWarehouse;
  /** Land, load and the completion bus. */
  readonly pipeline: SluicePipeline;

  constructor(scope: Construct, id: string, props: SluiceStackProps) {
    super(scope, id, props);
    const { config, stage } = props;
    if (props.destroyOnRemoval && stage === 'prod') {
      throw new Error(
        'destroyOnRemoval is refused for the prod stage: the landing zone and warehouse hold the data',
      );
    }
    const resourceName = `${config.name}-${stage}`;
    const secretsPrefix = `${config.name}/${stage}/`;
    const destroyOnRemoval = props.destroyOnRemoval ?? false;
    Tags.of(this).add('sluice:project', config.name);
    Tags.of(this).add('sluice:stage', stage);

    this.landing = new SluiceLanding(this, 'Landing', { destroyOnRemoval });
    this.ingest = new SluiceIngest(this, 'Ingest', {
      config,
      bucket: this.landing.bucket,
      key: this.landing.key,
      secretsPrefix,
    });
    this.warehouse = new SluiceWarehouse(this, 'Warehouse', {
      redshift: config.warehouse.redshift,
      resourceName,
      bucket: this.landing.bucket,
      bucketKey: this.landing.key,
      destroyOnRemoval,
    });
    this.pipeline = new SluicePipeline(this, 'Pipeline', {
      config,
      bucket: this.landing.bucket,
      key: this.landing.key,
      queue: this.ingest.queue,
      deadLetterQueue: this.ingest.deadLetterQueue,
      warehouse: this.warehouse,
      eventBusName: resourceName,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.ingest.api.apiEndpoint,
      description: 'Base URL of the Sluice routes',
    });
    new CfnOutput(this, 'LandingBucketName', { value: this.landing.bucket.bucketName });
    new CfnOutput(this, 'QueueUrl', { value: this.ingest.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.ingest.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'EventBusName', { value: this.pipeline.bus.eventBusName });
    new CfnOutput(this, 'CopyRoleArn', {
      value: this.warehouse.copyRole.roleArn,
      description: 'Associate this role with an existing workgroup or cluster so COPY can read landing files',
    });
    new CfnOutput(this, 'SecretsPrefix', {
      value: secretsPrefix,
      description: 'Create each secret as <prefix><NAME>, e.g. <prefix>SLUICE_STRIPE_WEBHOOK_SECRET',
    });
  }
}
