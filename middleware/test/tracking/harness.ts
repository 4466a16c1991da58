import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { loadConfig, type Config } from '../../src/config';
import { defaultChannelRules } from '../../src/domain';
import { silentLogger } from '../../src/log';
import { createStore, type Store } from '../../src/store';
import { createAdminRouter, createTrackingRouter } from '../../src/tracking';

/** A real tracking server on 127.0.0.1 (free port) over a temp SQLite store. */
export interface TrackingServer {
  url: string;
  port: number;
  store: Store;
  config: Config;
  app: express.Express;
  close(): Promise<void>;
}

export async function startTrackingServer(
  env: Record<string, string> = {},
  extra?: (app: express.Express) => void,
): Promise<TrackingServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-tracking-'));
  const config = loadConfig({
    CALL_TOUCHPOINTS_DATA_DIR: dir,
    COLLECT_RATE_LIMIT: '1000000',
    COLLECT_NEW_VISITORS_PER_MINUTE: '0',
    ...env,
  });
  const store = await createStore({ dataDir: config.dataDir });
  const app = express();
  app.use(createTrackingRouter({ store, config, logger: silentLogger }));
  app.use(createAdminRouter({ store, config, rules: defaultChannelRules() }));
  extra?.(app);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    config,
    app,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json(): any;
}

/** A raw HTTP request with full control over headers and body bytes (fetch forbids some). */
export function request(
  base: string,
  opts: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: http.Agent;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(opts.path, base);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: opts.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body,
            json: () => JSON.parse(body.toString('utf8')),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** POST /collect with a JSON body and a browser user agent. */
export function collect(
  base: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return request(base, {
    method: 'POST',
    path: '/collect',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

let n = 0;
export function visitorId(): string {
  n += 1;
  return (Date.now().toString(16) + n.toString(16).padStart(6, '0')).padStart(32, 'c').slice(-32);
}

export function pageView(visitor: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    type: 'page_view',
    visitorId: visitor,
    url: 'https://www.example.com/?utm_source=google&utm_medium=cpc&gclid=Cj0abc',
    referrer: 'https://www.google.com/',
    eventId: `evt_${Date.now().toString(36)}_${n}`,
    ...over,
  };
}
