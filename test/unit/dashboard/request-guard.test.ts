import { describe, expect, it } from 'vitest';
import { isLocalHost, refusal } from '../../../lambdas/local/dashboard/request-guard.js';

describe('dashboard request guard', () => {
  it('answers a loopback socket asking for localhost', () => {
    expect(refusal('127.0.0.1', 'localhost:4000')).toBeUndefined();
  });

  it('refuses a socket from another machine', () => {
    expect(refusal('192.168.1.20', 'localhost:4000')).toMatch(/loopback only/);
  });

  it('refuses a loopback socket whose Host names another site (DNS rebinding)', () => {
    expect(refusal('127.0.0.1', 'evil.example:4000')).toMatch(/Host/);
  });

  it('refuses a request without a Host header', () => {
    expect(refusal('::1', undefined)).toMatch(/Host/);
  });

  it('accepts the three loopback names with or without a port', () => {
    expect(['localhost', '127.0.0.1:4000', '[::1]:4000', 'LOCALHOST'].map(isLocalHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('does not take a look-alike host for loopback', () => {
    expect(['localhost.evil.example', '127.0.0.1.nip.io', 'localhost:4000@evil'].map(isLocalHost)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
