import http from 'node:http';
import fc from 'fast-check';
import {
  BROWSER_UA,
  collect,
  pageView,
  request,
  startTrackingServer,
  visitorId,
  type TrackingServer,
} from './harness';

/**
 * Fuzz-style bad input for POST /collect, reproducible (fixed seed): a few thousand malformed
 * bodies get only 4xx answers, never 5xx or 2xx, the server stays up and nothing is stored.
 */
jest.setTimeout(120_000);

const SEED = 5_2026;
const CASES = 3000;

interface Case {
  kind: string;
  contentType?: string;
  body: string | Buffer;
}

const notHttpUrl = (s: string) => {
  try {
    return !['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return true;
  }
};
const huge = fc.integer({ min: 5000, max: 20_000 }).map((n) => 'x'.repeat(n));
const junk = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything(), { maxLength: 4 }),
  fc.object({ maxDepth: 4 }),
);
const base = {
  type: 'page_view',
  visitorId: 'a'.repeat(32),
  url: 'https://www.example.com/',
  referrer: '',
  eventId: 'evt_fuzz_0001',
};

/** Every mutation makes the event invalid, whatever else it holds. */
const badEvent: fc.Arbitrary<unknown> = fc.oneof(
  junk.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc
    .oneof(
      fc.string().filter((s) => s !== 'page_view' && s !== 'form_submit'),
      junk,
    )
    .map((type) => ({ ...base, type })),
  fc
    .oneof(
      fc.string().filter((s) => !/^[0-9a-f]{32}$/.test(s)),
      huge,
      fc.constant('A'.repeat(32)),
      junk,
    )
    .map((visitorId) => ({ ...base, visitorId })),
  fc.constant(null).map(() => {
    const { visitorId: _drop, ...rest } = base;
    return rest;
  }),
  fc
    .oneof(
      fc.string().filter(notHttpUrl),
      huge.map((x) => `https://www.example.com/?q=${x}`),
      junk,
    )
    .map((url) => ({ ...base, url })),
  fc
    .oneof(
      fc.string({ minLength: 1 }),
      fc.double().filter((d) => !Number.isInteger(d)),
      fc.constant(-5),
      fc.object(),
    )
    .map((clientTime) => ({ ...base, clientTime })),
  fc
    .oneof(fc.string({ maxLength: 7 }), fc.constant('x'.repeat(65)), fc.constant('bad id with spaces'), junk)
    .map((eventId) => ({ ...base, eventId })),
  fc
    .oneof(
      fc.constant('x'.repeat(400)),
      junk.filter((v) => v !== null),
    )
    .map((email) => ({ ...base, type: 'form_submit', email })),
  fc
    .oneof(
      fc.constant('not a url'),
      huge,
      junk.filter((v) => v !== null),
    )
    .map((referrer) => ({ ...base, referrer })),
);

const json = (v: unknown) => JSON.stringify(v) ?? 'undefined';
const caseArb: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(badEvent, { minLength: 1, maxLength: 8 })
      .map((events) => ({ kind: 'bad events', body: json({ events }) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .string({ maxLength: 200 })
      .filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      })
      .map((body) => ({ kind: 'invalid JSON', body })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.record({ events: junk.filter((v) => !Array.isArray(v)) }),
        fc.constant({ events: [] }),
      )
      .filter(
        (v) =>
          !(
            typeof v === 'object' &&
            v !== null &&
            Array.isArray((v as { events?: unknown }).events) &&
            (v as { events: unknown[] }).events.length > 0
          ),
      )
      .map((v) => ({ kind: 'wrong shape', body: json(v) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'image/png',
        'text/html',
        undefined,
      )
      .map((contentType) => ({ kind: 'wrong content type', contentType, body: json({ events: [base] }) })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 30_000 }).map((n) => ({
      kind: 'nested junk',
      body: `{"events":[${'['.repeat(n)}${']'.repeat(n)}]}`,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
      kind: 'invalid UTF-8',
      body: Buffer.concat([
        Buffer.from('{"events":["'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(bytes),
        Buffer.from('"]}'),
      ]),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 65 * 1024, max: 200 * 1024 }).map((n) => ({
      kind: 'too large',
      body: json({ events: [{ ...base, url: `https://www.example.com/?q=${'y'.repeat(n)}` }] }),
    })),
  },
);

describe('POST /collect under malformed input (fixed seed)', () => {
  let srv: TrackingServer;
  beforeAll(async () => {
    srv = await startTrackingServer();
  });
  afterAll(() => srv.close());

  test(`${CASES} malformed bodies: only 4xx, nothing stored, server alive`, async () => {
    const cases = fc.sample(caseArb, { seed: SEED, numRuns: CASES });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const byStatus = new Map<number, number>();
    const unexpected: { kind: string; status: number; body: string }[] = [];
    const run = async (c: Case) => {
      const res = await request(srv.url, {
        method: 'POST',
        path: '/collect',
        agent,
        headers: {
          'user-agent': BROWSER_UA,
          ...(c.contentType === undefined && c.kind === 'wrong content type'
            ? {}
            : { 'content-type': c.contentType ?? 'application/json' }),
        },
        body: c.body,
      });
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      const ok4xx = [400, 413, 415].includes(res.status);
      const nothingAccepted = res.status !== 400 || !('accepted' in res.json()) || res.json().accepted === 0;
      if (!ok4xx || !nothingAccepted)
        unexpected.push({ kind: c.kind, status: res.status, body: String(c.body).slice(0, 300) });
    };
    for (let i = 0; i < cases.length; i += 4) await Promise.all(cases.slice(i, i + 4).map(run));
    agent.destroy();

    expect(unexpected).toEqual([]);
    expect([...byStatus.keys()].sort()).toEqual([400, 413, 415]);
    expect(await srv.store.countEvents()).toBe(0);
    expect(await srv.store.countSessions()).toBe(0);
    // Still serving: a good event goes through.
    const v = visitorId();
    expect((await collect(srv.url, { events: [pageView(v)] })).status).toBe(204);
    expect(await srv.store.countEvents()).toBe(1);
  });
});
