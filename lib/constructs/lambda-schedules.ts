import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './acknowledge.js';

/** Properties of {@link LambdaSchedules}. */
export interface LambdaSchedulesProps {
  /** The one function these schedules may invoke. */
  readonly function: lambda.IFunction;
  /** What the function is, for the role's description (`the transform function`). */
  readonly purpose: string;
}

/** One schedule of {@link LambdaSchedules.add}. */
export interface LambdaScheduleOptions {
  /** EventBridge Scheduler expression: `rate(…)`, `cron(…)` or `at(…)`. */
  readonly expression: string;
  /** The event the function receives (an EventBridge-shaped object, so handlers need one input shape). */
  readonly input: Readonly<Record<string, unknown>>;
  /** Shown in the console. */
  readonly description: string;
}

/**
 * EventBridge Scheduler schedules that invoke one function, sharing one role that can invoke nothing else.
 *
 * Why an explicit role: the scheduler target's default role is a stack-wide singleton that accumulates invoke
 * rights on every scheduled function; one role per function keeps each grant next to what it is for. The
 * role trusts `scheduler.amazonaws.com` only for schedules of this account (`aws:SourceAccount`). Schedules
 * invoke asynchronously with no Scheduler retry: Lambda's own async retries and the function's dead-letter
 * queue handle failures, so a failure is recorded once.
 */
export class LambdaSchedules extends Construct {
  /** The role Scheduler assumes. */
  readonly role: iam.Role;
  /** The schedules, by id. */
  readonly schedules: Record<string, scheduler.Schedule> = {};
  readonly #function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: LambdaSchedulesProps) {
    super(scope, id);
    this.#function = props.function;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `Sluice: lets EventBridge Scheduler invoke ${props.purpose}`,
    });
    acknowledgeWildcardResources(
      this.role,
      `EventBridge Scheduler may invoke any version of ${props.purpose} (the target grants the function ARN and its versions, ARN:*), nothing else.`,
      `${props.function.functionArn}:*`,
    );
  }

  /** Adds one schedule. */
  add(id: string, options: LambdaScheduleOptions): scheduler.Schedule {
    const schedule = new scheduler.Schedule(this, id, {
      schedule: scheduler.ScheduleExpression.expression(options.expression),
      description: options.description,
      target: new LambdaInvoke(this.#function, {
        input: scheduler.ScheduleTargetInput.fromObject(options.input),
        retryAttempts: 0,
        role: this.role,
      }),
    });
    this.schedules[id] = schedule;
    return schedule;
  }
}
