import fc from 'fast-check';
import type { ServerHandle } from '../../src/server/start';
import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';
import { CALL_OUTBOX_KIND } from '../../src/vendors/normalized-call';
import { startTestServer, suiteTempDirs, TEST_ADMIN_TOKEN } from '../server/helpers';
import { BROWSER_UA } from '../tracking/harness';
import { note as testNote } from '../note';

/**
 * Issue 24's seeded fuzz: for a bounded number of rounds, every route gets random and hostile
 * values (NUL, lone surrogates, control characters, strings up to 10 MB, extreme numbers and dates,
 * odd unicode) against serve on PostgreSQL. Nothing answers 5xx (503 only under real overload, which
 * this test does not create), /healthz stays 200, every event answered 2xx is stored and every call
 * answered 202 becomes a Task (or is parked with its reason), and a good call sent during the fuzz
 * reaches Merged.
 */
jest.setTimeout(240_000);

const SEED = 24_2026;
const ROUNDS = 150;
const TOKEN = 'generic-fuzz-token-0123456789abcdefghijklm';
const GOOD_VISITOR = 'f0000000000000000000000000000024';
const newDir = suiteTempDirs();

/** Mostly plausible, sometimes hostile: enough gets through to check that what is accepted is kept. */
function mostly<T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad });
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00y',
    '\u0007\u001b[31m',
    '\r\n',
    '\u202e',
    '=HYPERLINK("http://evil.example")',
    '+1-2',
    '@SUM(A1)',
    '\ufeff',
    '😀'.repeat(200),
  ),
  fc.integer({ min: 300, max: 70_000 }).map((n) => 'x'.repeat(n)),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(1e20, 2 ** 31, 2 ** 53, -1, 1e308, -0, 0.5, Number.MAX_SAFE_INTEGER + 2),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const hostileDate = fc.oneof(
  fc.constantFrom(
    '+010000-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1699-12-31T23:59:59Z',
    '4001-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '9999-12-31',
    '2026-01-01T00:00:00.123456789Z',
    '1e20',
    '',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  hostileText,
);
const anyValue = fc.oneof(hostileText, hostileNumber, hostileDate, fc.constant(null), fc.boolean());
/** Every byte percent-encoded (encodeURIComponent throws on a lone surrogate). */
const percent = (t: string) =>
  [...Buffer.from(t, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const seq = { n: 0 };
const uniq = () => `${process.pid}${(seq.n += 1)}`;

type Step =
  | { route: 'collect'; events: Record<string, unknown>[] }
  | { route: 'webhook'; body: Record<string, unknown> }
  | { route: 'get'; path: string }
  | { route: 'big'; bytes: number };

const visitor = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[0-9a-f]{32}$/) },
  { weight: 1, arbitrary: hostileText },
);
const event = fc.record({
  type: mostly(fc.constantFrom('page_view', 'form_submit'), fc.constant('x')),
  visitorId: visitor,
  url: mostly(
    hostileText.map((t) => `https://www.example.com/?utm_campaign=${percent(t.slice(0, 500))}`),
    fc.oneof(
      hostileText.map((t) => `https://www.example.com/${t}`),
      hostileText,
    ),
  ),
  referrer: mostly(fc.constantFrom('', null, 'https://www.google.com/'), hostileText),
  clientTime: mostly(fc.constant(null), hostileNumber),
  email: mostly(fc.constant('a@b.example'), hostileText),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(event, { minLength: 1, maxLength: 6 })
      .map((events) => ({ route: 'collect' as const, events })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        start_time: mostly(fc.constant(new Date(Date.now() - 60_000).toISOString()), hostileDate),
        duration: mostly(fc.integer({ min: 0, max: 100_000 }), fc.oneof(hostileNumber, hostileText)),
        caller_number: mostly(fc.constant('+14155550100'), hostileText),
        source: anyValue,
        campaign: anyValue,
        recording_url: anyValue,
        visitor_id: fc.oneof(visitor, anyValue),
        direction: mostly(fc.constant('inbound'), hostileText),
        outcome: mostly(fc.constant('answered'), hostileText),
      })
      .map((body) => ({ route: 'webhook' as const, body })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          '/tasks/by-call/callrail/',
          '/tasks/',
          '/tasks/record/',
          '/reports/calls-by-channel?to=',
          '/reports/calls-by-channel?from=',
          '/api/visitors/',
          '/t.js?',
          '/demo/',
        ),
        fc.oneof(hostileText, hostileDate).map((t) => percent(t.slice(0, 3000))),
        fc.constantFrom('', '/panel.json', '/sessions'),
      )
      .map(([p, v, suffix]) => ({ route: 'get' as const, path: `${p}${v}${p.includes('?') ? '' : suffix}` })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(1 << 20, 10 << 20).map((bytes) => ({ route: 'big' as const, bytes })),
  },
);

const pgRun = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) console.log('hostile fuzz skipped: set DATABASE_URL=postgres://… to run it');

pgRun('seeded hostile fuzz on every route (PostgreSQL)', () => {
  let db: TempDatabase;
  let server: ServerHandle;
  beforeAll(async () => {
    db = await createTempDatabase(process.env.DATABASE_URL!, 'ct_fuzz');
    server = await startTestServer(newDir('fuzz'), {
      env: {
        DATABASE_URL: db.url,
        GENERIC_WEBHOOK_TOKEN: TOKEN,
        COLLECT_RATE_LIMIT: '1000000',
        COLLECT_NEW_VISITORS_PER_MINUTE: '0',
        CALL_BATCH_WINDOW_MS: '200',
      },
      joinIntervalMs: 3_600_000,
    });
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('no 5xx, /healthz 200 throughout, every 2xx stored or written, a good call reaches Merged', async () => {
    const url = server.url;
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const statuses = new Map<string, number[]>();
    const note = (what: string, status: number) =>
      statuses.set(what, [...(statuses.get(what) ?? []), status]);
    const accepted = { events: new Set<string>(), calls: new Set<string>() };
    const health: number[] = [];
    let goodCall: string | null = null;

    const run = async (s: Step, round: number) => {
      if (s.route === 'collect') {
        const events = s.events.map((e) => ({ ...e, eventId: `evt_fuzz_${uniq()}` }));
        const res = await fetch(`${url}/collect`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
          body: JSON.stringify({ events }),
        });
        note('POST /collect', res.status);
        const body = res.status === 204 ? null : await res.json().catch(() => null);
        const refused = new Set<number>((body?.rejected ?? []).map((r: { index: number }) => r.index));
        if (res.status === 204 || (res.status === 400 && body?.accepted !== undefined))
          events.forEach((e, i) => !refused.has(i) && accepted.events.add(e.eventId));
      } else if (s.route === 'webhook') {
        const body = { ...s.body, call_id: `fuzz-${uniq()}` };
        const res = await fetch(`${url}/webhooks/generic`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-webhook-token': TOKEN },
          body: JSON.stringify(body),
        });
        note('POST /webhooks/generic', res.status);
        if (res.status === 202) accepted.calls.add(`generic:${body.call_id}`);
      } else if (s.route === 'get') {
        const res = await fetch(`${url}${s.path}`, { headers: { ...admin, accept: 'application/json' } });
        note(`GET ${s.path.split(/[?%]/)[0].split('/').slice(0, 3).join('/')}`, res.status);
        await res.arrayBuffer();
      } else {
        const res = await fetch(`${url}/collect`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
          body: `{"events":[{"url":"${'x'.repeat(s.bytes)}"}]}`,
        }).catch(() => null);
        note('POST /collect (big)', res?.status ?? 413);
      }
      if (round % 10 === 0) health.push((await fetch(`${url}/healthz`)).status);
      if (round === Math.floor(ROUNDS / 2)) {
        // The good call, in the middle of the fuzz: its visitor browsed just before.
        const page = await fetch(`${url}/collect`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
          body: JSON.stringify({
            events: [
              {
                type: 'page_view',
                visitorId: GOOD_VISITOR,
                url: 'https://www.example.com/pricing?utm_source=google',
              },
            ],
          }),
        });
        expect(page.status).toBe(204);
        goodCall = `fuzz-good-${uniq()}`;
        const res = await fetch(`${url}/webhooks/generic`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-webhook-token': TOKEN },
          body: JSON.stringify({
            call_id: goodCall,
            start_time: new Date(Date.now() + 1_000).toISOString(),
            duration: 42,
            outcome: 'answered',
            visitor_id: GOOD_VISITOR,
          }),
        });
        expect(res.status).toBe(202);
      }
    };

    const steps = fc.sample(step, { seed: SEED, numRuns: ROUNDS });
    for (let i = 0; i < steps.length; i++) await run(steps[i], i);

    const fivexx = [...statuses].flatMap(([what, list]) =>
      list.filter((s) => s >= 500).map((s) => `${what} ${s}`),
    );
    expect(fivexx).toEqual([]);
    expect(health.filter((s) => s !== 200)).toEqual([]);

    // The good call: Merged in its usual time (the batch window, then one join).
    const conn = server.org.conn;
    const until = Date.now() + 30_000;
    let status = '';
    while (status !== 'Merged' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      const q = await conn.query<{ Call_Join_Status__c: string }>(
        `SELECT Call_Join_Status__c FROM Task WHERE Vendor_Call_Id__c = 'generic:${goodCall}'`,
      );
      status = q.records[0]?.Call_Join_Status__c ?? '';
    }
    expect(status).toBe('Merged');

    // Every event answered 2xx is stored; every call answered 202 is a Task or parked with a reason.
    expect(await server.store.countEvents()).toBeGreaterThanOrEqual(accepted.events.size);
    const callsDone = Date.now() + 60_000;
    let missing: string[] = [...accepted.calls];
    while (missing.length && Date.now() < callsDone) {
      await new Promise((r) => setTimeout(r, 500));
      const written = new Set<string>();
      const ids = [...accepted.calls];
      for (let i = 0; i < ids.length; i += 100) {
        const list = ids
          .slice(i, i + 100)
          .map((id) => `'${id}'`)
          .join(',');
        const q = await conn.query<{ Vendor_Call_Id__c: string }>(
          `SELECT Vendor_Call_Id__c FROM Task WHERE Vendor_Call_Id__c IN (${list})`,
        );
        q.records.forEach((r) => written.add(r.Vendor_Call_Id__c));
      }
      const parked = new Set((await server.store.parked(CALL_OUTBOX_KIND, 10_000)).map((p) => p.key));
      missing = ids.filter((id) => !written.has(id) && !parked.has(id));
    }
    expect(missing).toEqual([]);
    testNote(
      `hostile fuzz: ${ROUNDS} rounds; ${accepted.events.size} events and ${accepted.calls.size} calls accepted; answers: ${JSON.stringify(Object.fromEntries([...statuses].map(([k, v]) => [k, [...new Set(v)].sort()])))}`,
    );
  });
});
