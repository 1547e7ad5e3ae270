import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A seeded pseudo-random generator (sfc32: small, fast, good statistical quality) with the draws the simulator
 * needs. Determinism is the point: the same seed and labels give the same sequence on every machine, so a
 * simulated company — its ids, payloads and ground truth — can be reproduced byte for byte.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds the generator from 16 bytes (use {@link rngFor} rather than calling this directly). */
  constructor(state: Uint8Array) {
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    this.a = view.getUint32(0);
    this.b = view.getUint32(4);
    this.c = view.getUint32(8);
    this.d = view.getUint32(12);
    for (let i = 0; i < 12; i += 1) this.next();
  }

  /** A uniform float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** One value of `[value, weight]` pairs, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** An exponentially distributed wait with the given mean (inter-arrival times of a Poisson process). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A normally distributed value (Box–Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normally distributed value whose median is `median` (durations: reply times, resolution times). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** A Poisson-distributed count with mean `lambda` (Knuth's method; the simulator's lambdas are small). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k += 1;
      p *= this.next();
    }
    return k;
  }

  /** `length` random characters of `[0-9A-Za-z]`, as vendor ids use. */
  base62(length: number): string {
    let text = '';
    for (let i = 0; i < length; i += 1) text += BASE62.charAt(Math.floor(this.next() * 62));
    return text;
  }

  /** `length` random digits, the first not zero (numeric vendor ids). */
  digits(length: number): string {
    let text = String(this.int(1, 9));
    for (let i = 1; i < length; i += 1) text += String(this.int(0, 9));
    return text;
  }

  /** `length` random lower-case hex digits. */
  hex(length: number): string {
    let text = '';
    for (let i = 0; i < length; i += 1) text += Math.floor(this.next() * 16).toString(16);
    return text;
  }

  /** A version-4-shaped UUID (what Segment's SDKs use as `messageId`). */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/**
 * A generator for one purpose of one simulation: the seed and the labels are hashed into its state, so that
 * separate streams (one per account, per account and day, per id kind) never shift one another when one of
 * them draws more or less.
 */
export function rngFor(seed: number | string, ...labels: readonly (string | number)[]): Rng {
  const digest = createHash('sha256')
    .update([String(seed), ...labels.map(String)].join('\u0000'))
    .digest();
  return new Rng(digest.subarray(0, 16));
}
