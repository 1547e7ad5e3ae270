import { ArnFormat, Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './acknowledge.js';
import type { RedshiftConfig } from '../../lambdas/core/config/config-types.js';
import { LANDING_KEY_PREFIXES } from './sluice-landing.js';

/** Default base capacity of a new Redshift Serverless workgroup, in RPUs (the config's default too). */
export const DEFAULT_BASE_CAPACITY = 8;

/** Default database of a new namespace (the config's default too). */
export const DEFAULT_DATABASE = 'sluice';

/** Properties of {@link SluiceWarehouse}. */
export interface SluiceWarehouseProps {
  /** `config.warehouse.redshift`: which Redshift to create or use. */
  readonly redshift: RedshiftConfig;
  /**
   * Name of the namespace and workgroup created in `serverless` mode (lower-case letters, digits and `-`,
   * 3 to 64 characters); unique per account and region, so it should include the stage.
   */
  readonly resourceName: string;
  /** The landing bucket; COPY may read its `landing/` and `manifests/` prefixes only. */
  readonly bucket: s3.IBucket;
  /** The landing bucket's key; COPY may decrypt with it through S3 only. */
  readonly bucketKey: kms.IKey;
  /**
   * Delete the namespace (its data) and the warehouse key when the stack is deleted. Only for throw-away stages.
   * @default false (retained)
   */
  readonly destroyOnRemoval?: boolean;
  /** Admin user of a new namespace; its password is generated and kept by Secrets Manager. @default 'sluice_admin' */
  readonly adminUsername?: string;
  /** CIDR of the warehouse VPC created in `serverless` mode. @default '10.42.0.0/16' */
  readonly vpcCidr?: string;
  /** Retention of the VPC flow logs. @default RetentionDays.THREE_MONTHS */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** What a Data API caller is allowed to reach: the statement target and the credential resources. */
interface DataApiTarget {
  readonly statementResources: string[];
  readonly credentialActions: string[];
  readonly credentialResources: string[];
}

/**
 * The warehouse side of the pipeline. In `serverless` mode it creates a Redshift Serverless namespace (data
 * encrypted with its own rotated key, admin password generated and held by Secrets Manager, audit logs
 * exported) and a private workgroup in isolated subnets with enhanced VPC routing, so COPY traffic reaches S3
 * through a gateway endpoint and never the internet. In `existing-workgroup` / `existing-cluster` mode it
 * creates no Redshift resource and only carries the identifiers. In every mode it owns the COPY role, which can
 * read nothing but the landing and manifest prefixes, and {@link grantDataApi} scopes Data API access to the
 * one workgroup or cluster.
 */
export class SluiceWarehouse extends Construct {
  /** The role Redshift assumes to COPY landing files (associate it yourself in the `existing-*` modes). */
  readonly copyRole: iam.Role;
  /** The namespace, in `serverless` mode. */
  readonly namespace?: redshiftserverless.CfnNamespace;
  /** The workgroup, in `serverless` mode. */
  readonly workgroup?: redshiftserverless.CfnWorkgroup;
  /** The isolated VPC of the workgroup, in `serverless` mode. */
  readonly vpc?: ec2.Vpc;
  /** The workgroup's security group (no ingress), in `serverless` mode; add rules for in-VPC SQL clients. */
  readonly securityGroup?: ec2.SecurityGroup;
  /** The key of the namespace's data and admin secret, in `serverless` mode. */
  readonly key?: kms.Key;
  /** Database the pipeline writes to. */
  readonly database: string;
  /**
   * The variables the load function needs to reach the warehouse: `REDSHIFT_WORKGROUP` or
   * `REDSHIFT_CLUSTER_ID` + `REDSHIFT_DB_USER`, `REDSHIFT_DATABASE` and `REDSHIFT_COPY_ROLE_ARN`.
   */
  readonly environment: Readonly<Record<string, string>>;
  private readonly target: DataApiTarget;
  private readonly mode: RedshiftConfig['mode'];

  constructor(scope: Construct, id: string, props: SluiceWarehouseProps) {
    super(scope, id);
    const redshift = props.redshift;
    this.mode = redshift.mode;
    this.copyRole = this.createCopyRole(props);

    if (redshift.mode === 'serverless') {
      this.database = redshift.database ?? DEFAULT_DATABASE;
      const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
      this.key = new kms.Key(this, 'Key', {
        description: 'Sluice Redshift Serverless namespace and admin secret',
        enableKeyRotation: true,
        removalPolicy,
      });
      this.vpc = this.createVpc(props);
      this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: this.vpc,
        description:
          'Sluice Redshift Serverless workgroup: no ingress; HTTPS egress to the S3 gateway endpoint',
        allowAllOutbound: false,
      });
      // Isolated subnets have no route to the internet: 443 egress can only reach the S3 gateway endpoint.
      this.securityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'COPY from S3 via the gateway endpoint',
      );

      this.namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
        namespaceName: props.resourceName,
        dbName: this.database,
        adminUsername: props.adminUsername ?? 'sluice_admin',
        manageAdminPassword: true,
        adminPasswordSecretKmsKeyId: this.key.keyArn,
        kmsKeyId: this.key.keyArn,
        iamRoles: [this.copyRole.roleArn],
        defaultIamRoleArn: this.copyRole.roleArn,
        logExports: ['userlog', 'connectionlog', 'useractivitylog'],
      });
      this.namespace.applyRemovalPolicy(removalPolicy);

      this.workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
        workgroupName: props.resourceName,
        namespaceName: this.namespace.namespaceName,
        baseCapacity: redshift.baseCapacity ?? DEFAULT_BASE_CAPACITY,
        publiclyAccessible: false,
        enhancedVpcRouting: true,
        subnetIds: this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
        securityGroupIds: [this.securityGroup.securityGroupId],
        configParameters: [
          { parameterKey: 'require_ssl', parameterValue: 'true' },
          { parameterKey: 'enable_user_activity_logging', parameterValue: 'true' },
        ],
      });
      this.workgroup.node.addDependency(this.namespace);
      this.workgroup.applyRemovalPolicy(removalPolicy);

      const workgroupArn = this.workgroup.attrWorkgroupWorkgroupArn;
      this.target = {
        statementResources: [workgroupArn],
        credentialActions: ['redshift-serverless:GetCredentials'],
        credentialResources: [workgroupArn],
      };
      this.environment = {
        REDSHIFT_WORKGROUP: props.resourceName,
        REDSHIFT_DATABASE: this.database,
        REDSHIFT_COPY_ROLE_ARN: this.copyRole.roleArn,
      };
    } else if (redshift.mode === 'existing-workgroup') {
      this.database = redshift.database;
      // A workgroup ARN ends in its generated id, which the config does not know: scope to this account's workgroups.
      const workgroupArns = Stack.of(this).formatArn({
        service: 'redshift-serverless',
        resource: 'workgroup',
        resourceName: '*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      this.target = {
        statementResources: [workgroupArns],
        credentialActions: ['redshift-serverless:GetCredentials'],
        credentialResources: [workgroupArns],
      };
      this.environment = {
        REDSHIFT_WORKGROUP: redshift.workgroupName,
        REDSHIFT_DATABASE: this.database,
        REDSHIFT_COPY_ROLE_ARN: this.copyRole.roleArn,
      };
    } else {
      this.database = redshift.database;
      const stack = Stack.of(this);
      const redshiftArn = (resource: string, resourceName: string): string =>
        stack.formatArn({
          service: 'redshift',
          resource,
          resourceName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
      this.target = {
        statementResources: [redshiftArn('cluster', redshift.clusterIdentifier)],
        credentialActions: ['redshift:GetClusterCredentials'],
        credentialResources: [
          redshiftArn('dbuser', `${redshift.clusterIdentifier}/${redshift.dbUser}`),
          redshiftArn('dbname', `${redshift.clusterIdentifier}/${redshift.database}`),
        ],
      };
      this.environment = {
        REDSHIFT_CLUSTER_ID: redshift.clusterIdentifier,
        REDSHIFT_DB_USER: redshift.dbUser,
        REDSHIFT_DATABASE: this.database,
        REDSHIFT_COPY_ROLE_ARN: this.copyRole.roleArn,
      };
    }
  }

  /**
   * Lets `grantee` run SQL through the Redshift Data API on this warehouse only: `ExecuteStatement` and
   * `BatchExecuteStatement` on the workgroup or cluster, and the temporary credentials of that target.
   * `DescribeStatement`, `GetStatementResult`, `CancelStatement` and `ListStatements` support no resource-level
   * permissions (a statement id is not an ARN), so they get `Resource: "*"` narrowed by the
   * `redshift-data:statement-owner-iam-userid` condition: the grantee only sees the statements it ran.
   */
  grantDataApi(grantee: iam.IGrantable): iam.Grant {
    const run = iam.Grant.addToPrincipal({
      grantee,
      actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
      resourceArns: this.target.statementResources,
    });
    const credentials = iam.Grant.addToPrincipal({
      grantee,
      actions: this.target.credentialActions,
      resourceArns: this.target.credentialResources,
    });
    const follow = iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'redshift-data:DescribeStatement',
        'redshift-data:GetStatementResult',
        'redshift-data:CancelStatement',
        'redshift-data:ListStatements',
      ],
      resourceArns: ['*'],
      conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
    });
    if (grantee.grantPrincipal instanceof iam.Role) {
      acknowledge(
        grantee.grantPrincipal,
        'DescribeStatement, GetStatementResult, CancelStatement and ListStatements take statement ids, not ARNs, so they only accept Resource "*"; the redshift-data:statement-owner-iam-userid condition limits them to the statements this role ran.',
        'AwsSolutions-IAM5[Resource::*]',
      );
      if (this.mode === 'existing-workgroup') {
        acknowledgeWildcardResources(
          grantee.grantPrincipal,
          'An existing workgroup is configured by name, but its ARN ends in a generated id unknown at synth time; access is limited to the workgroups of this account and region.',
          ...this.target.statementResources,
        );
      }
    }
    return run.combine(credentials).combine(follow);
  }

  /**
   * The role Redshift assumes for COPY: read-only on `landing/*`, `quarantine/*` (schema-failed events bound
   * for `ops.quarantine`) and `manifests/*`, decrypt through S3 only.
   */
  private createCopyRole(props: SluiceWarehouseProps): iam.Role {
    const landingObjects = [
      props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.landing}*`),
      props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.quarantine}*`),
      props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.manifests}*`),
    ];
    const role = new iam.Role(this, 'CopyRole', {
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('redshift.amazonaws.com'),
        new iam.ServicePrincipal('redshift-serverless.amazonaws.com'),
      ),
      description:
        'Sluice: lets Redshift COPY landing files (read-only, landing/, quarantine/ and manifests/ only)',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadLandingFilesAndManifests',
        actions: ['s3:GetObject'],
        resources: landingObjects,
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListLandingPrefixes',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: {
          StringLike: {
            's3:prefix': [
              `${LANDING_KEY_PREFIXES.landing}*`,
              `${LANDING_KEY_PREFIXES.quarantine}*`,
              `${LANDING_KEY_PREFIXES.manifests}*`,
            ],
          },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LocateLandingBucket',
        actions: ['s3:GetBucketLocation'],
        resources: [props.bucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptLandingFilesThroughS3',
        actions: ['kms:Decrypt'],
        resources: [props.bucketKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    acknowledgeWildcardResources(
      role,
      'COPY reads landing files, quarantine files and manifests whose keys are generated per batch; the grant is read-only and limited to the landing/, quarantine/ and manifests/ prefixes.',
      ...landingObjects,
    );
    return role;
  }

  /** Three isolated subnets in three AZs (what Redshift Serverless asks for), flow logs and an S3 gateway endpoint. */
  private createVpc(props: SluiceWarehouseProps): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr ?? '10.42.0.0/16'),
      // Env-agnostic stacks only know two AZ tokens; select three from the region's list at deploy time.
      availabilityZones: [0, 1, 2].map((index) => Fn.select(index, Fn.getAzs())),
      natGateways: 0,
      subnetConfiguration: [{ name: 'warehouse', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: {
        S3: {
          service: ec2.GatewayVpcEndpointAwsService.S3,
          subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
        },
      },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    return vpc;
  }
}
