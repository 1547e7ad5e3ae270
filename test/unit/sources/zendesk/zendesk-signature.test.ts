import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../../lambdas/core/errors.js';
import { verifyZendeskSignature } from '../../../../lambdas/sources/zendesk/zendesk-signature.js';
import { ZENDESK_SECRET, zendeskHeaders } from '../../../support/zendesk-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const BODY = '{"say":"hello"}';

function codeOf(headers: Record<string, string>, body = BODY, now = NOW): string | undefined {
  try {
    verifyZendeskSignature(headers, Buffer.from(body), ZENDESK_SECRET, now);
    return undefined;
  } catch (error) {
    if (error instanceof RejectedError && error.status === 401) return error.code;
    throw error;
  }
}

describe('Zendesk signature verification', () => {
  it('accepts base64 HMAC-SHA256 of the timestamp followed by the body, computed independently', () => {
    const timestamp = '2026-11-25T10:14:58Z';
    const signature = createHmac('sha256', ZENDESK_SECRET)
      .update(timestamp + BODY)
      .digest('base64');
    expect(
      codeOf({
        'x-zendesk-webhook-signature': signature,
        'x-zendesk-webhook-signature-timestamp': timestamp,
      }),
    ).toBeUndefined();
  });

  it('rejects a missing signature header with missing_signature', () => {
    const { 'x-zendesk-webhook-signature': _omit, ...headers } = zendeskHeaders(BODY, NOW);
    expect(codeOf(headers)).toBe('missing_signature');
  });

  it('rejects a missing timestamp header with missing_timestamp', () => {
    const { 'x-zendesk-webhook-signature-timestamp': _omit, ...headers } = zendeskHeaders(BODY, NOW);
    expect(codeOf(headers)).toBe('missing_timestamp');
  });

  it('rejects a timestamp that is not ISO 8601 with malformed_timestamp', () => {
    expect(
      codeOf({ ...zendeskHeaders(BODY, NOW), 'x-zendesk-webhook-signature-timestamp': '1795601700' }),
    ).toBe('malformed_timestamp');
  });

  it('rejects a signature that is not a base64 SHA-256 digest with malformed_signature', () => {
    expect(codeOf({ ...zendeskHeaders(BODY, NOW), 'x-zendesk-webhook-signature': 'sha256=abc' })).toBe(
      'malformed_signature',
    );
  });

  it('rejects a body changed after signing with signature_mismatch', () => {
    expect(codeOf(zendeskHeaders(BODY, NOW), '{"say":"goodbye"}')).toBe('signature_mismatch');
  });

  it('rejects a timestamp changed after signing with signature_mismatch', () => {
    const headers = zendeskHeaders(BODY, NOW);
    expect(codeOf({ ...headers, 'x-zendesk-webhook-signature-timestamp': '2026-11-25T10:14:59Z' })).toBe(
      'signature_mismatch',
    );
  });

  it('rejects a signature made with another secret with signature_mismatch', () => {
    expect(codeOf(zendeskHeaders(BODY, NOW, 'another-secret'))).toBe('signature_mismatch');
  });

  it('accepts an authentic request signed ten minutes ago', () => {
    expect(codeOf(zendeskHeaders(BODY, new Date(NOW.getTime() - 600_000)))).toBeUndefined();
  });

  it('rejects an authentic request signed more than ten minutes ago with timestamp_expired', () => {
    expect(codeOf(zendeskHeaders(BODY, new Date(NOW.getTime() - 601_000)))).toBe('timestamp_expired');
  });

  it('rejects an authentic request stamped more than ten minutes ahead with timestamp_in_future', () => {
    expect(codeOf(zendeskHeaders(BODY, new Date(NOW.getTime() + 601_000)))).toBe('timestamp_in_future');
  });
});
