import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../user-error';

/**
 * serve takes its port first, before the store, the org and the metadata check (several seconds):
 * a busy PORT is reported at once, naming the variable and the fix (issue 27), and nothing else has
 * started. Until the app is ready the port answers 503 "starting" with Retry-After, so a load
 * balancer's probe or an early browser gets an answer instead of a refused connection.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface EarlyListener {
  server: Server;
  port: number;
  /** From now on requests go to `handler` (the express app). */
  serve(handler: Handler): void;
}

function starting(_req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 503;
  res.setHeader('Retry-After', '2');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('call-touchpoints is starting; try again in a moment\n');
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  if (err.code === 'EADDRINUSE')
    return new UserError(
      `port ${port} on ${host} is already in use: stop the other process or choose another port (PORT or --port)`,
    );
  if (err.code === 'EACCES')
    return new UserError(
      `port ${port} on ${host} needs privileges this process does not have: choose a port from 1024 up (PORT or --port) and let a proxy take ${port}`,
    );
  if (err.code === 'EADDRNOTAVAIL')
    return new UserError(
      `${host} is not an address of this machine: set HOST (or --host) to one of its interfaces, 127.0.0.1 or 0.0.0.0`,
    );
  return err;
}

export function listenEarly(port: number, host: string): Promise<EarlyListener> {
  let handler: Handler = starting;
  const server = http.createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(listenError(err, port, host));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        serve: (h) => {
          handler = h;
        },
      });
    });
  });
}
