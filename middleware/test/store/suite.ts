import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import fc from 'fast-check';
import { sessionize } from '../../src/domain';
import { InMemoryPort } from '../salesforce/in-memory-port';
import { createHealthRouter } from '../../src/server/health';
import type { TrackedEvent, WebSession } from '../../src/domain/types';
import type { SessionizerOptions, Store } from '../../src/store';
import { automatedVisitors, markAutomated } from '../../src/store/automated';
import type { DeferredSessionizing } from '../../src/store/sessionizer';
import { ledgerTests } from './ledger-suite';

/**
 * The one store test suite, run against every implementation (store.test.ts). `open` gives a
 * fresh, migrated store in a new database (with optional background-sessionizer timing);
 * `reopen` opens the same database again after closing the store — normally, or like a crash
 * (no final sessionizing). Stores from `open`/`reopen` are closed by the test that made them.
 */
export interface StoreHarness {
  open(sessionizer?: Partial<SessionizerOptions>): Promise<Store>;
  reopen(store: Store, how: 'close' | 'crash', sessionizer?: Partial<SessionizerOptions>): Promise<Store>;
  cleanup(): Promise<void>;
}

/** Background sessionizing off: only reads (and close) fold pending events into sessions. */
const NO_TIMER: Partial<SessionizerOptions> = { intervalMs: 0 };
const deferred = (s: Store) => s as Store & DeferredSessionizing;

const MIN = 60_000;
const T0 = Date.parse('2026-03-10T12:00:00Z');
let visitorSeq = 0;
/** A fresh 32-hex visitor id per test, so tests and property runs share one store. */
export function newVisitor(): string {
  visitorSeq += 1;
  return (Date.now().toString(16) + visitorSeq.toString(16).padStart(8, '0')).padStart(32, 'a').slice(-32);
}

let eventSeq = 0;
function ev(visitorId: string, atMin: number, over: Partial<TrackedEvent> = {}): TrackedEvent {
  eventSeq += 1;
  return {
    eventId: `e${eventSeq}-${visitorId.slice(-8)}`,
    type: 'page_view',
    visitorId,
    url: 'https://www.example.com/page',
    referrer: null,
    receivedAt: T0 + atMin * MIN,
    clientTime: null,
    email: null,
    ...over,
  };
}

const byStart = (a: WebSession, b: WebSession) =>
  a.startedAt - b.startedAt || a.sessionKey.localeCompare(b.sessionKey);
const normalize = (list: WebSession[]) =>
  [...list].sort(byStart).map((s) => ({ ...s, eventIds: [...s.eventIds].sort() }));

export function runStoreSuite(name: string, harness: () => StoreHarness): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;

    beforeAll(async () => {
      h = harness();
      store = await h.open();
    });
    afterAll(async () => {
      await store?.close();
      await h?.cleanup();
    });

    test('migrate is idempotent and ping answers', async () => {
      await store.migrate();
      await store.migrate();
      await expect(store.ping()).resolves.toBeUndefined();
      expect(store.kind).toBe(name);
      expect(store.description).not.toMatch(/password|secret/i);
    });

    test('appending the same events again stores nothing new (dedupe by eventId)', async () => {
      const v = newVisitor();
      const first = [ev(v, 0), ev(v, 5), ev(v, 10, { type: 'form_submit', email: 'a@b.co' })];
      const before = await store.countEvents();
      const r1 = await store.appendEvents(first);
      expect(r1).toEqual({ inserted: 3, duplicates: 0, visitorsTouched: [v] });
      const extra = ev(v, 12);
      const r2 = await store.appendEvents([...first, extra, extra]);
      expect(r2.inserted).toBe(1);
      expect(r2.duplicates).toBe(4);
      const r3 = await store.appendEvents(first);
      expect(r3).toEqual({ inserted: 0, duplicates: 3, visitorsTouched: [] });
      expect(await store.countEvents()).toBe(before + 4);
      const sessions = await store.sessionsForVisitor(v);
      expect(sessions).toHaveLength(1);
      expect(sessions[0].pageViews).toBe(3);
      expect(sessions[0].formSubmits).toBe(1);
      expect(sessions[0].forms[0].email).toBe('a@b.co');
    });

    test('events of an open session extend it; a 30-minute gap starts a new one (R4)', async () => {
      const v = newVisitor();
      await store.appendEvents([ev(v, 0)]);
      await store.appendEvents([ev(v, 20)]);
      let s = await store.sessionsForVisitor(v);
      expect(s).toHaveLength(1);
      expect(s[0].lastActivityAt).toBe(T0 + 20 * MIN);
      await store.appendEvents([ev(v, 20 + 31)]);
      s = await store.sessionsForVisitor(v);
      expect(s.map((x) => x.pageViews)).toEqual([2, 1]);
    });

    test('a late event re-sessionizes the affected part: it bridges two sessions into one', async () => {
      const v = newVisitor();
      await store.appendEvents([ev(v, 0), ev(v, 10), ev(v, 60)]);
      expect(await store.sessionsForVisitor(v)).toHaveLength(2);
      const sessionsBefore = await store.countSessions();
      await store.appendEvents([ev(v, 35)]);
      const s = await store.sessionsForVisitor(v);
      expect(s).toHaveLength(1);
      expect(s[0].startedAt).toBe(T0);
      expect(s[0].lastActivityAt).toBe(T0 + 60 * MIN);
      expect(s[0].pageViews).toBe(4);
      expect(await store.countSessions()).toBe(sessionsBefore - 1);
    });

    test('a late event far in the past leaves later sessions untouched and adds its own', async () => {
      const v = newVisitor();
      await store.appendEvents([ev(v, 3000), ev(v, 3010)]);
      const [later] = await store.sessionsForVisitor(v);
      await store.appendEvents([
        ev(v, 0, { url: 'https://www.example.com/?utm_source=news&utm_medium=email' }),
      ]);
      const s = await store.sessionsForVisitor(v);
      expect(s).toHaveLength(2);
      expect(s[0].utmSource).toBe('news');
      expect(s[1]).toEqual(later);
    });

    test('range queries return the sessions overlapping [from, to], ordered by start', async () => {
      const v = newVisitor();
      await store.appendEvents([ev(v, 0), ev(v, 10), ev(v, 100), ev(v, 200), ev(v, 205)]);
      const all = await store.sessionsForVisitor(v);
      expect(all.map((s) => s.startedAt)).toEqual([T0, T0 + 100 * MIN, T0 + 200 * MIN]);
      // Overlap, not containment: a window touching the end of the first session finds it.
      const mid = await store.sessionsForVisitor(v, T0 + 10 * MIN, T0 + 100 * MIN);
      expect(mid.map((s) => s.startedAt)).toEqual([T0, T0 + 100 * MIN]);
      expect(await store.sessionsForVisitor(v, T0 + 11 * MIN, T0 + 99 * MIN)).toEqual([]);
      expect((await store.sessionsForVisitor(v, T0 + 150 * MIN)).map((s) => s.startedAt)).toEqual([
        T0 + 200 * MIN,
      ]);
      expect(await store.sessionsForVisitor(newVisitor())).toEqual([]);

      const other = newVisitor();
      await store.appendEvents([ev(other, 0)]);
      const unknown = newVisitor();
      const map = await store.sessionsForVisitors([v, other, unknown, v]);
      expect(map.get(v)).toEqual(all);
      expect(map.get(other)).toHaveLength(1);
      expect(map.get(unknown)).toEqual([]);
    });

    test('one batch for several visitors sessionizes each on its own', async () => {
      const a = newVisitor();
      const b = newVisitor();
      const r = await store.appendEvents([ev(a, 0), ev(b, 0), ev(a, 5), ev(b, 50)]);
      expect([...r.visitorsTouched].sort()).toEqual([a, b].sort());
      expect((await store.sessionsForVisitor(a)).map((s) => s.pageViews)).toEqual([2]);
      expect((await store.sessionsForVisitor(b)).map((s) => s.pageViews)).toEqual([1, 1]);
    });

    test('concurrent appends (same visitors, overlapping batches) each get their own result and the sessions are right', async () => {
      const a = newVisitor();
      const b = newVisitor();
      const events = [0, 5, 10, 50, 55, 200].flatMap((m) => [ev(a, m), ev(b, m + 1)]);
      const batches = [events.slice(0, 4), events.slice(2, 8), events.slice(6, 12), events.slice(0, 2)];
      const results = await Promise.all(batches.map((batch) => store.appendEvents(batch)));
      expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(12);
      results.forEach((r, i) => expect(r.inserted + r.duplicates).toBe(batches[i].length));
      for (const v of [a, b]) {
        const expected = sessionize(events.filter((e) => e.visitorId === v));
        expect(normalize(await store.sessionsForVisitor(v))).toEqual(normalize(expected));
      }
      expect((await store.sessionsForVisitor(a)).map((x) => x.pageViews)).toEqual([3, 2, 1]);
    });

    test('property: incremental sessionization in any arrival order, interleaved with reads and background passes, equals sessionizing everything at once', async () => {
      const sources = [
        { url: 'https://www.example.com/a', referrer: null },
        { url: 'https://www.example.com/b', referrer: 'https://www.example.com/a' },
        {
          url: 'https://www.example.com/?utm_source=google&utm_medium=cpc&gclid=abc',
          referrer: 'https://www.google.com/',
        },
        { url: 'https://www.example.com/?utm_source=news&utm_medium=email', referrer: null },
        { url: 'https://www.example.com/c', referrer: 'https://www.bing.com/' },
      ];
      const eventArb = fc.record({
        visitor: fc.integer({ min: 0, max: 2 }),
        // Minutes over ~3 days, clustered so gaps both under and over 30 min and the 24 h split occur.
        at: fc.oneof(fc.integer({ min: 0, max: 4 * 24 * 60 }), fc.integer({ min: 0, max: 90 })),
        source: fc.integer({ min: 0, max: sources.length - 1 }),
        form: fc.boolean(),
        // Client clock offset in seconds (R4 skew rule: used only when at most 5 min early).
        clientOffset: fc.option(fc.integer({ min: -600, max: 600 })),
      });
      // Background passes only when the test runs them (deterministic), two visitors per transaction.
      const s = deferred(await h.open({ intervalMs: 0, batchSize: 2 }));
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(eventArb, { minLength: 1, maxLength: 40 }),
            fc.integer({ min: 1, max: 6 }),
            fc.infiniteStream(fc.nat()),
            async (raw, batches, order) => {
              const visitors = [newVisitor(), newVisitor(), newVisitor()];
              const events = raw.map((r) =>
                ev(visitors[r.visitor], r.at, {
                  ...sources[r.source],
                  type: r.form ? 'form_submit' : 'page_view',
                  clientTime: r.clientOffset === null ? null : T0 + r.at * MIN + r.clientOffset * 1000,
                }),
              );
              // Random arrival order, split into `batches` appends; one event resent as a duplicate.
              const shuffled = events
                .map((e) => ({ e, k: order.next().value }))
                .sort((x, y) => x.k - y.k)
                .map((x) => x.e);
              const size = Math.ceil(shuffled.length / batches);
              const chunks: TrackedEvent[][] = [];
              for (let i = 0; i < shuffled.length; i += size) chunks.push(shuffled.slice(i, i + size));
              chunks.push([shuffled[0]]);
              const acknowledged: TrackedEvent[] = [];
              for (const chunk of chunks) {
                const v = visitors[order.next().value % visitors.length];
                const step = order.next().value % 5;
                switch (step) {
                  case 0:
                    await s.appendEvents(chunk);
                    break;
                  case 1: // a background pass after the append
                    await s.appendEvents(chunk);
                    await s.sessionizePass();
                    break;
                  case 2: // a read right after the append sees every acknowledged event
                    await s.appendEvents(chunk);
                    acknowledged.push(...chunk);
                    expect(normalize(await s.sessionsForVisitor(v))).toEqual(
                      normalize(sessionize(dedupe(acknowledged).filter((e) => e.visitorId === v))),
                    );
                    break;
                  case 3: // a background pass running while the append commits
                    await Promise.all([s.appendEvents(chunk), s.sessionizePass()]);
                    break;
                  default: // a read (of all three) running while the append commits
                    await Promise.all([s.appendEvents(chunk), s.sessionsForVisitors(visitors)]);
                }
                if (step !== 2) acknowledged.push(...chunk);
              }
              for (const v of visitors) {
                expect(normalize(await s.sessionsForVisitor(v))).toEqual(
                  normalize(sessionize(events.filter((e) => e.visitorId === v))),
                );
              }
            },
          ),
          { seed: 20260310, numRuns: name === 'postgres' ? 40 : 120 },
        );
      } finally {
        await s.close();
      }
    });

    test('a read right after an append includes the new events (no background pass in between)', async () => {
      const s = deferred(await h.open(NO_TIMER));
      try {
        const [a, b, c] = [newVisitor(), newVisitor(), newVisitor()];
        await s.appendEvents([ev(a, 0), ev(a, 5), ev(b, 0), ev(b, 60), ev(c, 0)]);
        expect(await s.pendingVisitors()).toBe(3); // nothing sessionized yet: the reads must do it
        expect((await s.sessionsForVisitor(a)).map((x) => x.pageViews)).toEqual([2]);
        expect((await s.sessionsForVisitors([b])).get(b)!.map((x) => x.pageViews)).toEqual([1, 1]);
        expect(await s.countSessions()).toBe(4);
        await s.appendEvents([ev(a, 10, { type: 'form_submit', email: 'a@b.co' })]);
        const [session] = await s.sessionsForVisitor(a, T0 + 10 * MIN, T0 + 10 * MIN);
        expect(session).toMatchObject({ pageViews: 2, formSubmits: 1, lastActivityAt: T0 + 10 * MIN });
        expect(await s.pendingVisitors()).toBe(0);
      } finally {
        await s.close();
      }
    });

    test('a /metrics scrape with many events pending reports the stored sessions and sessionizes nothing', async () => {
      const s = deferred(await h.open(NO_TIMER));
      const org = InMemoryPort.withDataModel();
      const server = express()
        .use(createHealthRouter({ store: s, salesforce: org }))
        .listen(0, '127.0.0.1');
      try {
        await once(server, 'listening');
        const { port } = server.address() as AddressInfo;
        const scrape = async () => {
          const res = await fetch(`http://127.0.0.1:${port}/metrics`);
          expect(res.status).toBe(200);
          return Number(/^call_touchpoints_sessions (\d+)$/m.exec(await res.text())?.[1]);
        };
        const [first, ...rest] = Array.from({ length: 300 }, () => newVisitor());
        await s.appendEvents([ev(first, 0)]);
        await s.sessionsForVisitor(first); // one session stored
        await s.appendEvents(rest.flatMap((v) => [ev(v, 0), ev(v, 5)]));
        expect(await scrape()).toBe(1);
        // The scrape left every pending visitor to the background sessionizer (off here).
        expect(await s.pendingVisitors()).toBe(299);
        expect(await s.countSessions()).toBe(300);
        expect(await scrape()).toBe(300);
      } finally {
        server.close();
        org.close();
        await s.close();
      }
    });

    test('a crash after appends were acknowledged loses nothing: the reopened store has the sessions', async () => {
      let s = deferred(await h.open(NO_TIMER));
      const v = newVisitor();
      const w = newVisitor();
      const events = [ev(v, 0), ev(v, 10), ev(v, 100, { type: 'form_submit', email: 'a@b.co' }), ev(w, 0)];
      try {
        await s.appendEvents(events.slice(0, 2));
        expect(await s.sessionsForVisitor(v)).toHaveLength(1); // this part was sessionized
        await s.appendEvents(events.slice(2)); // this part was pending at the crash
        s = deferred(await h.reopen(s, 'crash', NO_TIMER));
        expect(await s.pendingVisitors()).toBe(2);
        // Read-triggered for v, a background pass for w.
        expect(normalize(await s.sessionsForVisitor(v))).toEqual(
          normalize(sessionize(events.filter((e) => e.visitorId === v))),
        );
        await s.sessionizePass();
        expect(await s.pendingVisitors()).toBe(0);
        expect((await s.sessionsForVisitor(w)).map((x) => x.pageViews)).toEqual([1]);
      } finally {
        await s.close();
      }
    });

    test('close() sessionizes what is pending, so the next opener finds nothing left to do', async () => {
      let s = deferred(await h.open(NO_TIMER));
      const v = newVisitor();
      try {
        await s.appendEvents([ev(v, 0), ev(v, 50)]);
        expect(await s.pendingVisitors()).toBe(1);
        s = deferred(await h.reopen(s, 'close', NO_TIMER));
        expect(await s.pendingVisitors()).toBe(0);
        expect((await s.sessionsForVisitor(v)).map((x) => x.pageViews)).toEqual([1, 1]);
      } finally {
        await s.close();
      }
    });

    test('the background sessionizer catches up without any read: on its timer, and early once enough visitors are dirty', async () => {
      for (const opts of [{ intervalMs: 20 }, { intervalMs: 3_600_000, dirtyThreshold: 3 }]) {
        const s = deferred(await h.open(opts));
        try {
          const vs = [newVisitor(), newVisitor(), newVisitor()];
          await s.appendEvents(vs.map((v) => ev(v, 0)));
          await waitFor(async () => (await s.pendingVisitors()) === 0);
          for (const v of vs) expect((await s.sessionsForVisitor(v)).map((x) => x.pageViews)).toEqual([1]);
        } finally {
          await s.close();
        }
      }
    });

    test('state: missing key is null; set overwrites', async () => {
      const key = `watermark-${newVisitor()}`;
      expect(await store.getState(key)).toBeNull();
      await store.setState(key, '2026-03-10T12:00:00.000Z');
      await store.setState(key, '2026-03-10T13:00:00.000Z');
      expect(await store.getState(key)).toBe('2026-03-10T13:00:00.000Z');
    });

    test('visitors dropped as automated traffic are remembered (first drop kept) across a reopen', async () => {
      const [bot, person] = [newVisitor(), newVisitor()];
      expect(await automatedVisitors(store, [bot, person])).toEqual(new Set());
      await markAutomated(store, [bot, bot], T0);
      await markAutomated(store, [bot], T0 + MIN);
      store = await h.reopen(store, 'close');
      expect(await automatedVisitors(store, [bot, person])).toEqual(new Set([bot]));
      expect(await store.getState(`tracking.automated.${bot}`)).toBe(new Date(T0).toISOString());
    });

    test('outbox: same key twice keeps one row with the newer payload; a worker holding the old id cannot drop it', async () => {
      const kind = `calls-${newVisitor()}`;
      const first = await store.enqueue(kind, 'callrail:1', '{"v":1}', 1000);
      expect(first).toMatchObject({
        kind,
        key: 'callrail:1',
        payload: '{"v":1}',
        attempts: 0,
        nextAttemptAt: 1000,
        createdAt: 1000,
      });
      const [claimed] = await store.due(kind, 1000, 10);
      const second = await store.enqueue(kind, 'callrail:1', '{"v":2}', 2000);
      expect(await store.outboxDepth(kind)).toBe(1);
      expect(second.payload).toBe('{"v":2}');
      expect(second.createdAt).toBe(1000);
      // The worker finishes the old version: the new payload must stay queued.
      await store.complete(claimed.id);
      await store.retryLater(claimed.id, 'stale', 99_999);
      const due = await store.due(kind, 2000, 10);
      expect(due.map((i) => i.payload)).toEqual(['{"v":2}']);
      expect(due[0].attempts).toBe(0);
      await store.complete(due[0].id);
      expect(await store.outboxDepth(kind)).toBe(0);
    });

    test('outbox: due returns items whose time has come, earliest first; retryLater counts attempts and reschedules', async () => {
      const kind = `calls-${newVisitor()}`;
      const a = await store.enqueue(kind, 'a', 'A', 100);
      const b = await store.enqueue(kind, 'b', 'B', 200);
      const c = await store.enqueue(kind, 'c', 'C', 300);
      expect(await store.due(kind, 50, 10)).toEqual([]);
      expect((await store.due(kind, 250, 10)).map((i) => i.key)).toEqual(['a', 'b']);
      expect((await store.due(kind, 1000, 2)).map((i) => i.key)).toEqual(['a', 'b']);
      await store.retryLater(a.id, 'UNABLE_TO_LOCK_ROW', 500);
      expect((await store.due(kind, 400, 10)).map((i) => i.key)).toEqual(['b', 'c']);
      const all = await store.due(kind, 1000, 10);
      expect(all.map((i) => i.key)).toEqual(['b', 'c', 'a']);
      expect(all[2]).toMatchObject({ attempts: 1, lastError: 'UNABLE_TO_LOCK_ROW', nextAttemptAt: 500 });
      expect(await store.due(`other-${kind}`, 1000, 10)).toEqual([]);
      const depthAll = await store.outboxDepth();
      expect(depthAll).toBeGreaterThanOrEqual(3);
      await store.complete(b.id);
      await store.complete(c.id);
      expect(await store.outboxDepth(kind)).toBe(1);
    });

    test('events, sessions, state and the outbox survive closing and reopening the store', async () => {
      const v = newVisitor();
      await store.appendEvents([ev(v, 0), ev(v, 1)]);
      await store.setState('reopen-key', 'kept');
      const kind = `calls-${newVisitor()}`;
      await store.enqueue(kind, 'k', 'payload', 1);
      const sessions = await store.sessionsForVisitor(v);
      store = await h.reopen(store, 'close');
      expect(await store.sessionsForVisitor(v)).toEqual(sessions);
      expect(await store.getState('reopen-key')).toBe('kept');
      expect((await store.due(kind, 10, 10)).map((i) => i.payload)).toEqual(['payload']);
      // Appending after reopen still extends the stored session.
      await store.appendEvents([ev(v, 2)]);
      expect((await store.sessionsForVisitor(v))[0].pageViews).toBe(3);
    });

    describe('retention (pruneExpired)', () => {
      /** The join ledger says the visitor has a call (and so records in Salesforce). */
      const joined = (v: string) =>
        own.commitJoinLedger({ visitors: new Map([[v, { tasks: [`00T${v.slice(-12)}`], records: {} }]]) });
      const DAY = 24 * 60 * MIN;
      let own: Store;
      beforeEach(async () => {
        own = await h.open(NO_TIMER);
      });
      afterEach(async () => {
        await own.close();
      });

      test('expired sessions lose their events; kept visitors keep a sealed summary, others lose the session', async () => {
        const called = newVisitor();
        const anonymous = newVisitor();
        // 400 days ago (the first session of both), then a recent session of each.
        const old = -400 * 24 * 60;
        await own.appendEvents([
          ev(called, old, { url: 'https://www.example.com/?utm_source=google&utm_medium=cpc' }),
          ev(called, old + 5),
          ev(anonymous, old),
          ev(called, 0),
          ev(anonymous, 0),
        ]);
        await joined(called);
        const before = await own.sessionsForVisitor(called);
        expect(before).toHaveLength(2);
        await own.countSessions(); // sessionizes the anonymous visitor too

        const r = await own.pruneExpired({ before: T0 - 365 * DAY, limit: 100 });
        expect(r).toEqual({ eventsDeleted: 3, sessionsDeleted: 1, sessionsSealed: 1, more: false });
        expect(await own.countEvents()).toBe(2);
        // The kept visitor's first session is still there, as it was, without its event ids.
        const after = await own.sessionsForVisitor(called);
        expect(after).toEqual([{ ...before[0], eventIds: [] }, before[1]]);
        expect((await own.sessionsForVisitor(anonymous)).map((s) => s.startedAt)).toEqual([T0]);
        // A second pass finds nothing left to do.
        expect(await own.pruneExpired({ before: T0 - 365 * DAY, limit: 100 })).toEqual({
          eventsDeleted: 0,
          sessionsDeleted: 0,
          sessionsSealed: 0,
          more: false,
        });
      });

      test('a sealed session is final: later events, even right after it, never rebuild or drop it', async () => {
        const v = newVisitor();
        await own.appendEvents([ev(v, 0), ev(v, 10)]);
        await joined(v);
        const [first] = await own.sessionsForVisitor(v);
        await own.pruneExpired({ before: T0 + 60 * MIN, limit: 100 });
        // Within 30 minutes of its last activity: unsealed, this event would extend the session.
        await own.appendEvents([ev(v, 20), ev(v, 500)]);
        const s = await own.sessionsForVisitor(v);
        expect(s[0]).toEqual({ ...first, eventIds: [] });
        expect(s.slice(1).map((x) => x.pageViews)).toEqual([1, 1]);
        expect(s).toHaveLength(3);
      });

      test('visitors with events not yet sessionized are left for a later pass; batches report more', async () => {
        const pending = newVisitor();
        const others = [newVisitor(), newVisitor(), newVisitor()];
        await own.appendEvents(others.map((v) => ev(v, 0)));
        await own.countSessions(); // sessionizes those three
        await own.appendEvents([ev(pending, 0)]); // stays pending (no timer, no read)
        const cut = { before: T0 + DAY };
        expect(await own.pruneExpired({ ...cut, limit: 2 })).toMatchObject({
          sessionsDeleted: 2,
          more: true,
        });
        expect(await own.pruneExpired({ ...cut, limit: 2 })).toMatchObject({
          sessionsDeleted: 1,
          more: false,
        });
        expect(await own.countEvents()).toBe(1);
        expect(await own.sessionsForVisitor(pending)).toHaveLength(1);
        expect(await own.pruneExpired({ ...cut, limit: 2 })).toMatchObject({ sessionsDeleted: 1 });
        expect(await own.countEvents()).toBe(0);
      });

      test('probeWrite succeeds and sizeBytes counts the stored data', async () => {
        await expect(own.probeWrite()).resolves.toBeUndefined();
        expect(await own.sizeBytes()).toBeGreaterThan(0);
      });
    });

    ledgerTests(() => h);

    describe('outbox claims and locks, as two replicas use them', () => {
      test('claimed items are not due for another claimer until completed, released or the lease ends', async () => {
        const kind = `claims-${newVisitor()}`;
        for (const k of ['a', 'b', 'c']) await store.enqueue(kind, k, k, 100);
        const first = await store.claimDue(kind, 1000, 2, 5000);
        const second = await store.claimDue(kind, 1000, 2, 5000);
        expect(first.map((i) => i.key)).toEqual(['a', 'b']);
        expect(second.map((i) => i.key)).toEqual(['c']);
        expect(await store.claimDue(kind, 1000, 10, 5000)).toEqual([]);
        await store.release([first[1].id], 2000);
        expect((await store.claimDue(kind, 2000, 10, 5000)).map((i) => i.key)).toEqual(['b']);
        // The claimer of 'a' died: after the lease it is due again.
        expect((await store.claimDue(kind, 6001, 10, 5000)).map((i) => i.key)).toEqual(['a', 'c']);
      });

      test('concurrent claims never hand out the same item twice', async () => {
        const kind = `claims-${newVisitor()}`;
        for (let i = 0; i < 40; i++) await store.enqueue(kind, `k${i}`, 'p', 1);
        const claims = await Promise.all(
          Array.from({ length: 8 }, () => store.claimDue(kind, 10, 10, 60_000)),
        );
        const ids = claims.flat().map((i) => i.id);
        expect(ids).toHaveLength(40);
        expect(new Set(ids).size).toBe(40);
      });

      test('withLock runs holders of one name one at a time', async () => {
        const log: string[] = [];
        const hold = (tag: string) =>
          store.withLock('suite-lock', async () => {
            log.push(`${tag}+`);
            await new Promise((r) => setTimeout(r, 30));
            log.push(`${tag}-`);
          });
        await Promise.all([hold('a'), hold('b'), hold('c')]);
        expect(log).toHaveLength(6);
        for (let i = 0; i < 6; i += 2) expect(log[i + 1]).toBe(log[i].replace('+', '-'));
        const aborted = new AbortController();
        let holding!: () => void;
        const held = new Promise<void>((r) => (holding = r));
        const holder = store.withLock('suite-lock', async () => {
          holding();
          await new Promise((r) => setTimeout(r, 200));
        });
        await held;
        const waiter = store.withLock('suite-lock', async () => 'ran', aborted.signal);
        aborted.abort();
        await expect(waiter).rejects.toThrow(/stopped while waiting/);
        await holder;
      });
    });
  });
}

/** The first of each eventId (what the store keeps). */
function dedupe(events: TrackedEvent[]): TrackedEvent[] {
  return [...new Map(events.map((e) => [e.eventId, e])).values()];
}

/** Polls until `done` (a liveness check, not a timing assertion); fails after 20 s. */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the background sessionizer did not catch up within 20 s');
}
