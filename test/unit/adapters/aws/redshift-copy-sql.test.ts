import { describe, expect, it } from 'vitest';
import { copyStatement } from '../../../../lambdas/adapters/aws/redshift-copy-sql.js';
import { WarehouseError } from '../../../../lambdas/core/errors.js';
import type { BulkLoadRequest } from '../../../../lambdas/core/ports.js';

const request: BulkLoadRequest = {
  table: 'ops.stage_stripe',
  columns: [
    { name: 'event_id', type: 'text' },
    { name: 'occurred_at', type: 'timestamp' },
    { name: 'payload', type: 'json' },
  ],
  files: ['s3://bucket/landing/a.json.gz'],
  manifest: 's3://bucket/manifests/load-1.manifest',
};

describe('copyStatement', () => {
  it('renders a manifest COPY of gzip JSON matched by column name', () => {
    expect(copyStatement(request, 'arn:aws:iam::123456789012:role/sluice-copy')).toBe(
      "COPY ops.stage_stripe (event_id, occurred_at, payload) FROM 's3://bucket/manifests/load-1.manifest' " +
        "IAM_ROLE 'arn:aws:iam::123456789012:role/sluice-copy' FORMAT AS JSON 'auto' GZIP MANIFEST TIMEFORMAT 'auto'",
    );
  });

  it('doubles single quotes in the manifest location', () => {
    expect(copyStatement({ ...request, manifest: "s3://b/it's.manifest" }, 'arn')).toContain(
      "FROM 's3://b/it''s.manifest'",
    );
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => copyStatement({ ...request, table: 'raw.x; DROP TABLE y' }, 'arn')).toThrow(WarehouseError);
  });

  it('refuses a column name that is not a plain identifier', () => {
    expect(() => copyStatement({ ...request, columns: [{ name: 'a b', type: 'text' }] }, 'arn')).toThrow(
      WarehouseError,
    );
  });
});
