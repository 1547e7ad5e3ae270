import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { IngestRequest, IngestResponse } from '../core/ingest/http-types.js';
import { errorResponse } from '../core/ingest/http-types.js';

/** Largest request body the server reads before answering 413 (the routes' own limits are lower). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** Routes one runtime-neutral request; `remoteAddress` lets admin routes insist on loopback. */
export type RequestHandler = (
  request: IngestRequest,
  remoteAddress: string | undefined,
) => Promise<IngestResponse>;

/** How long a client may take; the defaults suit real senders, tests shorten them. */
export interface HttpTimeouts {
  /** To send the request line and headers (default 10 s): what a slow-loris client stretches. */
  readonly headersMs?: number;
  /** To send the whole request, body included (default 30 s). */
  readonly requestMs?: number;
  /** An idle keep-alive connection stays open this long (default 5 s). */
  readonly keepAliveMs?: number;
}

/** Headers larger than this are answered 431 (Node's own default, stated so it cannot drift). */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * The local HTTP entry: a plain Node server that reads each body (bounded), hands it to the core as an
 * {@link IngestRequest} and writes the answer. Header and request timeouts bound slow clients so a slow-loris
 * sender cannot hold sockets open: Node checks them every `connectionsCheckingInterval` (30 s unless set), so
 * the check runs at a quarter of the header timeout and a stalled connection is closed (408) soon after it.
 */
export function createHttpServer(handle: RequestHandler, timeouts: HttpTimeouts = {}): Server {
  const headersMs = timeouts.headersMs ?? 10_000;
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      connectionsCheckingInterval: Math.max(100, Math.floor(headersMs / 4)),
    },
    (req, res) => {
      void serve(req, res, handle);
    },
  );
  server.headersTimeout = headersMs;
  server.requestTimeout = Math.max(headersMs, timeouts.requestMs ?? 30_000);
  server.keepAliveTimeout = timeouts.keepAliveMs ?? 5_000;
  return server;
}

async function serve(req: IncomingMessage, res: ServerResponse, handle: RequestHandler): Promise<void> {
  let answer: IngestResponse;
  try {
    const body = await readBody(req);
    if (body === undefined) {
      answer = errorResponse(413, 'payload_too_large', `the body exceeds ${MAX_REQUEST_BYTES} bytes`);
    } else {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      answer = await handle(
        { method: req.method ?? 'GET', path: url.pathname, headers, body },
        req.socket.remoteAddress,
      );
    }
  } catch {
    answer = errorResponse(400, 'bad_request', 'the request could not be read');
  }
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** Reads the whole body, or `undefined` once it passes {@link MAX_REQUEST_BYTES} (the rest is discarded). */
function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BYTES) {
      req.resume();
      req.once('end', () => resolve(undefined));
      req.once('error', reject);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) over = true;
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
