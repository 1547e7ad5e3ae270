/**
 * Exact tail probabilities for counts. A window of a table's rows is a count: with a mean of 18 rows, seeing 0
 * has probability e⁻¹⁸ ≈ 1.5·10⁻⁸, which a normal approximation (4.2 deviations) badly understates, while 10
 * rows where 3 are usual is far likelier than the normal approximation says. The detector therefore judges
 * count windows by the negative binomial distribution (Poisson noise plus relative noise fitted to the
 * history; Poisson when there is no extra noise), and reports the evidence as the equivalent number of
 * standard normal deviations so every test speaks the same unit.
 */

/** Standard deviations beyond which a tail is reported as this many (the tail underflows anyway). */
const MAX_DEVIATIONS = 40;

/** Windows with a standard deviation above this are judged by the normal approximation (cost, not accuracy). */
const NORMAL_ABOVE_SD = 400;

/** Terms are summed until they fall below this share of the running sum. */
const NEGLIGIBLE = 1e-17;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i += 1) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln of the standard normal lower tail Φ(z), accurate far into the tail. */
function logNormalLowerTail(z: number): number {
  if (z > -5) return Math.log(0.5 * erfc(-z / Math.SQRT2));
  // Asymptotic series of Mills' ratio: Φ(z) ≈ φ(z)/|z| · (1 − 1/z² + 3/z⁴).
  const z2 = z * z;
  return -0.5 * z2 - Math.log(-z) - 0.5 * Math.log(2 * Math.PI) + Math.log(1 - 1 / z2 + 3 / (z2 * z2));
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2·10⁻⁷). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851973 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * How many standard normal deviations below the mean a lower tail of probability e^logTail lies (positive
 * number; 0 for tails of one half or more). Inverts {@link logNormalLowerTail} by bisection.
 */
export function deviationsOfLogTail(logTail: number): number {
  if (!(logTail < Math.log(0.5))) return 0;
  let low = 0;
  let high = MAX_DEVIATIONS;
  if (logNormalLowerTail(-high) >= logTail) return MAX_DEVIATIONS;
  for (let i = 0; i < 60; i += 1) {
    const mid = (low + high) / 2;
    if (logNormalLowerTail(-mid) > logTail) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** ln of the standard normal tail beyond `deviations` (one-sided). */
export function logTailOfDeviations(deviations: number): number {
  return logNormalLowerTail(-Math.abs(deviations));
}

/** A count's distribution: its mean and variance (variance ≥ mean; equal means Poisson). */
export interface CountDistribution {
  readonly mean: number;
  readonly variance: number;
}

/**
 * ln P(X ≤ sum) (side 'low') or ln P(X ≥ sum) (side 'high') for a negative binomial count with the given mean
 * and variance (Poisson when the variance does not exceed the mean), summed exactly from the probability of
 * `sum` outwards; the normal approximation with continuity correction for very wide distributions.
 */
export function logCountTail(distribution: CountDistribution, sum: number, side: 'low' | 'high'): number {
  const mean = Math.max(distribution.mean, 1e-9);
  const variance = Math.max(distribution.variance, mean);
  const k0 = side === 'low' ? Math.floor(sum + 1e-9) : Math.ceil(sum - 1e-9);
  if (side === 'low' && k0 < 0) return Number.NEGATIVE_INFINITY;
  if (side === 'high' && k0 <= 0) return 0;
  const sd = Math.sqrt(variance);
  if (sd > NORMAL_ABOVE_SD) {
    const z = side === 'low' ? (k0 + 0.5 - mean) / sd : (mean - (k0 - 0.5)) / sd;
    return logNormalLowerTail(z);
  }
  const poisson = variance <= mean * (1 + 1e-9);
  // Negative binomial with r successes and success probability p: mean r(1−p)/p, variance mean/p.
  const p = poisson ? 1 : mean / variance;
  const r = poisson ? Number.POSITIVE_INFINITY : (mean * p) / (1 - p);
  const logPmf = poisson
    ? k0 * Math.log(mean) - mean - logGamma(k0 + 1)
    : logGamma(k0 + r) - logGamma(k0 + 1) - logGamma(r) + r * Math.log(p) + k0 * Math.log(1 - p);
  /** P(k+1)/P(k). */
  const ratio = (k: number): number => (poisson ? mean / (k + 1) : ((k + r) / (k + 1)) * (1 - p));
  let total = 1;
  let term = 1;
  if (side === 'low') {
    for (let k = k0; k > 0; k -= 1) {
      term /= ratio(k - 1);
      total += term;
      if (term < NEGLIGIBLE * total) break;
    }
  } else {
    for (let k = k0; ; k += 1) {
      term *= ratio(k);
      total += term;
      if (term < NEGLIGIBLE * total && k > mean) break;
    }
  }
  return Math.min(0, logPmf + Math.log(total));
}

/**
 * Signed standard-normal-equivalent deviations of `sum` from a count distribution: negative when `sum` is
 * improbably low, positive when improbably high, 0 when it lies in the bulk.
 */
export function countDeviations(distribution: CountDistribution, sum: number): number {
  if (sum < distribution.mean) return -deviationsOfLogTail(logCountTail(distribution, sum, 'low'));
  if (sum > distribution.mean) return deviationsOfLogTail(logCountTail(distribution, sum, 'high'));
  return 0;
}

/**
 * The most extreme sums that do not reach `deviations`: every integer sum from `low` to `high` (inclusive)
 * has a tail probability above the one-sided normal tail of `deviations`; every sum outside has one at or
 * below it. `low` is 0 when even 0 would not be improbable enough.
 */
export function countBounds(
  distribution: CountDistribution,
  deviations: number,
): { readonly low: number; readonly high: number } {
  const limit = logTailOfDeviations(deviations);
  const mean = Math.max(distribution.mean, 0);
  // Lowest sum whose lower tail exceeds the limit.
  let low = 0;
  if (logCountTail(distribution, 0, 'low') <= limit) {
    let below = 0;
    let above = Math.max(1, Math.ceil(mean));
    while (logCountTail(distribution, above, 'low') <= limit) above *= 2;
    while (above - below > 1) {
      const mid = Math.floor((below + above) / 2);
      if (logCountTail(distribution, mid, 'low') <= limit) below = mid;
      else above = mid;
    }
    low = above;
  }
  // Highest sum whose upper tail exceeds the limit.
  let inside = Math.max(0, Math.floor(mean));
  while (logCountTail(distribution, inside, 'high') <= limit && inside > 0) inside = Math.floor(inside / 2);
  let outside = Math.max(inside + 1, Math.ceil(mean) + 1);
  while (logCountTail(distribution, outside, 'high') > limit) outside = outside * 2 + 1;
  while (outside - inside > 1) {
    const mid = Math.floor((inside + outside) / 2);
    if (logCountTail(distribution, mid, 'high') > limit) inside = mid;
    else outside = mid;
  }
  return { low, high: inside };
}
