import { isLoopback } from '../admin-auth.js';

/** Host names the dashboard answers to; any other `Host` header is refused (DNS rebinding). */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a dashboard request must be refused, or `undefined` when it may be answered. The dashboard shows the
 * warehouse's contents, so it answers only a browser on this machine: the socket must be loopback, and the
 * `Host` header must name loopback too, or a web page on another origin could rebind its DNS name to 127.0.0.1
 * and read the API from the victim's browser.
 */
export function refusal(remoteAddress: string | undefined, host: string | undefined): string | undefined {
  if (!isLoopback(remoteAddress)) return 'the dashboard answers loopback only';
  if (!isLocalHost(host)) return 'the dashboard answers Host localhost, 127.0.0.1 or [::1] only';
  return undefined;
}

/** Whether a `Host` header (`localhost:4000`, `[::1]:4000`, `127.0.0.1`) names this machine's loopback. */
export function isLocalHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return match !== null && LOCAL_HOSTS.has(match[1] ?? '');
}
