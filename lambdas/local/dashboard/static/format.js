/** Number and time formatting for the dashboard. */

const integer = new Intl.NumberFormat('en-US');
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** `12,345`; `–` for null. */
export function count(n) {
  return n === null || n === undefined ? '–' : integer.format(n);
}

/** `3.5`; `–` for null. */
export function rate(n) {
  return n === null || n === undefined ? '–' : decimal.format(n);
}

/** `1.2 s`, `340 ms`, `2.5 min`. */
export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${decimal.format(ms / 1000)} s`;
  return `${decimal.format(ms / 60_000)} min`;
}

/** `12 s ago`, `4 min ago`, `3 h ago`, `2 d ago`; `never` for null. */
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${decimal.format(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** `14:05:09` local time, with the full ISO time as a tooltip by the caller. */
export function clock(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
}

/** Minutes as `45 min` or `3.2 h`. */
export function minutes(m) {
  if (m === null || m === undefined) return '–';
  return m < 120 ? `${decimal.format(m)} min` : `${decimal.format(m / 60)} h`;
}

/** Bytes as `12 KB`, `3.4 MB`. */
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${decimal.format(n / 1024)} KB`;
  return `${decimal.format(n / 1024 ** 2)} MB`;
}
