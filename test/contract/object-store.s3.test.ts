/**
 * Runs the ObjectStore contract against {@link S3ObjectStore} talking HTTP to a real S3 protocol peer: s3rver
 * on 127.0.0.1 with a random port and a temp folder, so request signing, XML parsing, paging and error codes
 * are the SDK's own. Each case gets a bucket of its own.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { S3ObjectStore } from '../../lambdas/adapters/aws/s3-object-store.js';
import { objectStoreContract } from './suites/object-store-contract.js';

/** The part of s3rver's (untyped) API these tests use. */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
}) => S3rverServer;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

let directory: string;
let server: S3rverServer;
let client: S3Client;
let buckets = 0;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'sluice-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

objectStoreContract('S3 (s3rver)', async () => {
  buckets += 1;
  const bucket = `sluice-contract-${buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { store: new S3ObjectStore({ client, bucket }), teardown: async () => {} };
});
