/**
 * The AWS landing zone: an {@link ObjectStore} over one S3 bucket, so the land step writes the partitioned
 * `landing/…/<batch>.json.gz` files that Redshift `COPY` then reads straight from S3.
 *
 * IAM actions it needs:
 * - `s3:PutObject`, `s3:GetObject`, `s3:DeleteObject` on `arn:aws:s3:::<bucket>/<prefix>*`;
 * - `s3:ListBucket` on `arn:aws:s3:::<bucket>` (for `list`; without it S3 also answers a `get` of a missing
 *   key with `AccessDenied` instead of `NoSuchKey`, which would surface as an error instead of `undefined`);
 * - `kms:GenerateDataKey` / `kms:Decrypt` on the bucket's key when its default encryption is SSE-KMS.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectStore, PutOptions } from '../../core/ports.js';

/** How to reach the bucket. */
export interface S3ObjectStoreOptions {
  /** The S3 client; injected so that tests can mock it and composition roots can share one per process. */
  readonly client: S3Client;
  /** Bucket holding the objects. */
  readonly bucket: string;
  /**
   * Prepended verbatim to every key (e.g. `tenant-a/`), so that several deployments can share a bucket; keys
   * the store hands back are relative to it. Default: none.
   */
  readonly prefix?: string;
}

/** Compares keys by their UTF-8 bytes, the order S3 lists in. */
const byteOrder = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const isNoSuchKey = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');

/**
 * An {@link ObjectStore} over S3. Every write is a single `PutObject`, which S3 makes atomic and durable once
 * it answers, and reads and listings are strongly consistent, so the port's guarantees hold as they are.
 * Server-side encryption is left to the bucket's default encryption (the stack sets it), so this adapter
 * never names a key or algorithm.
 */
export class S3ObjectStore implements ObjectStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3ObjectStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? '';
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#prefix + key,
        Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
        ContentType: options.contentType,
        ContentEncoding: options.contentEncoding,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }),
      );
      return output.Body === undefined ? new Uint8Array(0) : await output.Body.transformToByteArray();
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const infos: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: this.#prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        infos.push({
          key: object.Key.slice(this.#prefix.length),
          size: object.Size ?? 0,
          lastModified: object.LastModified ?? new Date(0),
        });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return infos.sort((a, b) => byteOrder(a.key, b.key));
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that does not exist, so a missing key needs no special case.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
  }

  locate(key: string): string {
    return `s3://${this.#bucket}/${this.#prefix}${key}`;
  }
}
