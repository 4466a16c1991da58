import crypto from 'node:crypto';
import fc from 'fast-check';
import type { Connection } from 'jsforce';
import Database from 'better-sqlite3';
import path from 'node:path';
import { SQLITE_FILE } from '../../src/store/sqlite';
import { CALL_OUTBOX_KIND } from '../../src/vendors/normalized-call';
import { serveDuringSuite } from './helpers';

/**
 * Prototype keys (`__proto__`, `constructor`, `prototype`, nested and bracketed)
 * in paths, query strings, JSON and form bodies, sent to every route of a running `serve` (real HTTP,
 * SQLite, embedded local org). The server must stay up, /healthz stay 200, Object.prototype stay
 * clean (the app runs in this process, so pollution would show here), and no stored call, event or
 * Task may carry the value a pollution would have planted.
 */
jest.setTimeout(180_000);

const SEED = 12_2026;
/** A valid-looking visitor id: pollution would make it every call's BizibleId. */
const MARKER = 'deadbeef'.repeat(4);
const SECRETS = {
  GENERIC_WEBHOOK_TOKEN: 'generic-fuzz-token-0123456789abcdefghij',
  DIALOGTECH_WEBHOOK_TOKEN: 'dialogtech-fuzz-token-0123456789abcdefgh',
  INVOCA_WEBHOOK_TOKEN: 'invoca-fuzz-token-0123456789abcdefghijkl',
  CTM_WEBHOOK_SECRET: 'ctm-fuzz-secret-0123456789abcdef',
  CALLRAIL_SIGNING_KEY: '072e77e426f92738a72fe23c4d1953b4',
};
const ctx = serveDuringSuite('proto', {
  env: { ...SECRETS, ADMIN_TOKEN: 'admin-fuzz-token-0123456789abcdefghijk', AUTH_FAILURE_LIMIT: '1000000' },
});

const PROTO = ['__proto__', 'constructor', 'prototype'];
const protoKey = fc.constantFrom(
  '__proto__[_biz_uid]',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'constructor[prototype][_biz_uid]',
  '__proto__.polluted',
  'prototype[polluted]',
  'custom[__proto__][polluted]',
  'custom_data[constructor][prototype][_biz_uid]',
  '__proto__',
  'constructor',
  'prototype',
);
const protoJson = fc.constantFrom(
  `{"__proto__":{"polluted":"${MARKER}","_biz_uid":"${MARKER}"}}`,
  `{"constructor":{"prototype":{"polluted":"${MARKER}","_biz_uid":"${MARKER}"}}}`,
  `{"custom":{"__proto__":{"_biz_uid":"${MARKER}"}},"custom_data":{"__proto__":{"polluted":"${MARKER}"}}}`,
  `{"events":[{"__proto__":{"polluted":"${MARKER}"}}],"__proto__":{"polluted":"${MARKER}"}}`,
  `{"prototype":{"polluted":"${MARKER}"},"toString":"${MARKER}","hasOwnProperty":"${MARKER}"}`,
);
const segment = fc.constantFrom(...PROTO, 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__');
const ROUTES = [
  '/webhooks/generic',
  '/webhooks/dialogtech',
  '/webhooks/invoca',
  '/webhooks/callrail',
  '/webhooks/calltrackingmetrics',
  '/webhooks/:seg',
  '/collect',
  '/api/visitors/:seg/sessions',
  '/demo/site/:seg',
  '/demo/search',
  '/demo/api/simulate-call',
  '/tasks',
  '/tasks/:seg',
  '/tasks/by-call/:seg/:seg',
  '/reports/calls-by-channel',
  '/healthz',
  '/metrics',
  '/t.js',
  '/:seg',
];

interface Probe {
  method: 'GET' | 'POST';
  route: string;
  seg: string;
  queryKey: string;
  bodyKind: 'json' | 'beacon' | 'form' | 'none';
  json: string;
  formKey: string;
}

const probe: fc.Arbitrary<Probe> = fc.record({
  method: fc.constantFrom('GET' as const, 'POST' as const),
  route: fc.constantFrom(...ROUTES),
  seg: segment,
  queryKey: protoKey,
  bodyKind: fc.constantFrom('json' as const, 'beacon' as const, 'form' as const, 'none' as const),
  json: protoJson,
  formKey: protoKey,
});

let callNo = 0;

async function send(p: Probe): Promise<number> {
  const base = ctx.server.url;
  const routePath = p.route.replace(/:seg/g, encodeURIComponent(p.seg));
  const n = ++callNo;
  // A call the generic/DialogTech adapters would store: pollution would fill its missing visitor id.
  const valid = `call_id=P${n}&start_time=2026-03-10T12:00:00Z&duration=12`;
  const query = `token=${p.route.includes('dialogtech') ? SECRETS.DIALOGTECH_WEBHOOK_TOKEN : SECRETS.GENERIC_WEBHOOK_TOKEN}&${valid}&${encodeURIComponent(p.queryKey).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${MARKER}`;
  let body: string | undefined;
  const headers: Record<string, string> = {
    'x-webhook-token': p.route.includes('invoca')
      ? SECRETS.INVOCA_WEBHOOK_TOKEN
      : SECRETS.GENERIC_WEBHOOK_TOKEN,
    authorization: 'Bearer admin-fuzz-token-0123456789abcdefghijk',
  };
  if (p.method === 'POST' && (p.bodyKind === 'json' || p.bodyKind === 'beacon')) {
    // Keep the call's own fields so the adapter gets past validation to where lookups happen.
    body = p.json.replace(
      /^\{/,
      `{"call_id":"J${n}","start_time":"2026-03-10T12:00:00Z","id":"CAL${n}","resource_id":"CAL${n}","complete_call_id":"I${n}",`,
    );
    // sendBeacon posts JSON as text/plain: the parsers must not depend on the content type.
    headers['content-type'] = p.bodyKind === 'json' ? 'application/json' : 'text/plain;charset=UTF-8';
  } else if (p.method === 'POST' && p.bodyKind === 'form') {
    body = `${valid.replace(`P${n}`, `F${n}`)}&${p.formKey}=${MARKER}`;
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (body !== undefined && p.route === '/webhooks/callrail') {
    headers.signature = crypto.createHmac('sha1', SECRETS.CALLRAIL_SIGNING_KEY).update(body).digest('base64');
  }
  const res = await fetch(`${base}${routePath}?${query}`, { method: p.method, headers, body });
  await res.arrayBuffer();
  return res.status;
}

test('prototype keys in paths, queries, JSON and form bodies never crash serve or pollute what it stores', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(probe, async (p) => {
      const status = await send(p);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // No 5xx: a prototype key is bad input (4xx) or an ignored extra field (2xx).
      expect(status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>)._biz_uid).toBeUndefined();
    }),
    { seed: SEED, numRuns: 400 },
  );
  // Many probes were accepted as calls, so the stored-record check below means something.
  expect(statuses.get(202) ?? 0).toBeGreaterThan(20);

  const health = await fetch(`${ctx.server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');

  // Let the calls pipeline turn the accepted calls into Tasks first.
  const deadline = Date.now() + 60_000;
  while ((await ctx.server.store.due(CALL_OUTBOX_KIND, Number.MAX_SAFE_INTEGER, 1)).length > 0) {
    if (Date.now() > deadline) throw new Error('the outbox did not drain within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }

  // Nothing stored carries the planted value: not the outbox, not the events, not a Task.
  const db = new Database(path.join(ctx.dir, SQLITE_FILE), { readonly: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all();
      expect({ table, hit: JSON.stringify(rows).includes(MARKER) }).toEqual({ table, hit: false });
    }
  } finally {
    db.close();
  }
  const org = ctx.server.org.conn as Connection;
  const tasks = await org.query<Record<string, unknown>>('SELECT Id, BizibleId__c, Subject FROM Task');
  expect(tasks.records.length).toBeGreaterThan(0);
  expect(JSON.stringify(tasks.records)).not.toContain(MARKER);
});
