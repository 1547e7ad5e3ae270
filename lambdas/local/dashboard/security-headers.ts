/**
 * The Content-Security-Policy of every dashboard answer: scripts, styles and data only from the dashboard
 * itself, no inline script or style, no frames, no forms. The page is plain files plus uPlot served from
 * `node_modules`, so nothing else is ever needed; anything injected into the page could not run or call out.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers of every dashboard answer: the CSP, no MIME sniffing, no framing, no referrer, no caching (the data
 * is live) and same-origin-only resource sharing.
 */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}
