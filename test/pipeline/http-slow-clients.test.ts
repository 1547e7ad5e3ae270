import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonResponse } from '../../lambdas/core/ingest/http-types.js';
import { createHttpServer, MAX_HEADER_BYTES } from '../../lambdas/local/http-server.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server answering every request 200, with a short header timeout so the test does not wait 10 s. */
async function start(): Promise<number> {
  const server = createHttpServer(async () => jsonResponse(200, { ok: true }), { headersMs: 600 });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** A slow-loris client: sends the request line and one header, then a byte now and then, never finishing. */
function slowClient(port: number): Promise<{ closed: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      const drip = setInterval(() => socket.writable && socket.write('a'), 150);
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      const closed = new Promise<string>((done) =>
        socket.once('close', () => {
          clearInterval(drip);
          done(answer);
        }),
      );
      resolve({ closed });
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  });
}

describe('the local HTTP server under slow and oversized clients', () => {
  it('keeps answering other clients while many slow-loris connections are open', async () => {
    const port = await start();
    const slow = await Promise.all(Array.from({ length: 100 }, () => slowClient(port)));
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
    await Promise.all(slow.map((s) => s.closed));
  });

  it('closes a connection whose headers never finish with 408', async () => {
    const port = await start();
    const { closed } = await slowClient(port);
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 431 to headers larger than the limit and goes on serving', async () => {
    const port = await start();
    const big = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
      method: 'POST',
      headers: { 'x-padding': 'a'.repeat(MAX_HEADER_BYTES + 1) },
      body: '{}',
    });
    expect(big.status).toBe(431);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});
