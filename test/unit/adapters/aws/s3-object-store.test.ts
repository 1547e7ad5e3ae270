import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../../lambdas/adapters/aws/s3-object-store.js';

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const s3 = mockClient(client);

const body = (bytes: number[]): GetObjectCommandOutput['Body'] =>
  ({ transformToByteArray: async () => new Uint8Array(bytes) }) as unknown as GetObjectCommandOutput['Body'];

describe('S3ObjectStore', () => {
  let store: S3ObjectStore;

  beforeEach(() => {
    s3.reset();
    store = new S3ObjectStore({ client, bucket: 'landing-bucket', prefix: 'env/' });
  });

  it('puts an object under the prefixed key with its content type and encoding', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('landing/a.json.gz', new Uint8Array([1, 2]), {
      contentType: 'application/x-ndjson',
      contentEncoding: 'gzip',
    });
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: 'landing-bucket',
        Key: 'env/landing/a.json.gz',
        Body: new Uint8Array([1, 2]),
        ContentType: 'application/x-ndjson',
        ContentEncoding: 'gzip',
      },
    ]);
  });

  it('leaves server-side encryption to the bucket default', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('k', 'v');
    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input?.ServerSideEncryption).toBeUndefined();
    expect(input?.SSEKMSKeyId).toBeUndefined();
  });

  it('sends a string body as its UTF-8 bytes', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('text.txt', 'héllo');
    const sent = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body as Uint8Array;
    expect(Buffer.from(sent).toString('utf8')).toBe('héllo');
  });

  it('reads the bytes of an object', async () => {
    s3.on(GetObjectCommand, { Bucket: 'landing-bucket', Key: 'env/a.bin' }).resolves({
      Body: body([7, 8, 9]),
    });
    expect(Array.from((await store.get('a.bin')) ?? [])).toEqual([7, 8, 9]);
  });

  it('reads a missing key as undefined', async () => {
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
    );
    expect(await store.get('missing')).toBeUndefined();
  });

  it('rethrows any other read error', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'Access Denied',
        $metadata: {},
      }),
    );
    await expect(store.get('forbidden')).rejects.toThrow('Access Denied');
  });

  it('lists every page by following the continuation token, keys relative to the prefix', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      IsTruncated: true,
      NextContinuationToken: 'page-2',
      Contents: [
        { Key: 'env/p/a', Size: 1, LastModified: at },
        { Key: 'env/p/b', Size: 2, LastModified: at },
      ],
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'page-2' }).resolves({
      IsTruncated: false,
      Contents: [{ Key: 'env/p/c', Size: 3, LastModified: at }],
    });
    expect(await store.list('p/')).toEqual([
      { key: 'p/a', size: 1, lastModified: at },
      { key: 'p/b', size: 2, lastModified: at },
      { key: 'p/c', size: 3, lastModified: at },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'landing-bucket', Prefix: 'env/p/', ContinuationToken: undefined },
      { Bucket: 'landing-bucket', Prefix: 'env/p/', ContinuationToken: 'page-2' },
    ]);
  });

  it('lists keys in ascending byte order', async () => {
    const at = new Date(0);
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'env/b', Size: 1, LastModified: at },
        { Key: 'env/a', Size: 1, LastModified: at },
      ],
    });
    expect((await store.list('')).map((info) => info.key)).toEqual(['a', 'b']);
  });

  it('lists nothing when the bucket holds no matching object', async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    expect(await store.list('none/')).toEqual([]);
  });

  it('deletes the prefixed key', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    await store.delete('landing/a.json.gz');
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'landing-bucket', Key: 'env/landing/a.json.gz' },
    ]);
  });

  it('locates a key as an s3:// URL of the bucket and prefixed key', () => {
    expect(store.locate('landing/a.json.gz')).toBe('s3://landing-bucket/env/landing/a.json.gz');
  });

  it('uses keys as given when no prefix is configured', () => {
    expect(new S3ObjectStore({ client, bucket: 'b' }).locate('k/x')).toBe('s3://b/k/x');
  });
});
