import { registry } from '../../src/metrics';
import { collect, pageView, startTrackingServer, visitorId, type TrackingServer } from './harness';

/** The dropped-events counter as /metrics shows it. */
async function droppedByCap(): Promise<number> {
  const text = await registry.metrics();
  const m = /call_touchpoints_events_dropped_total\{reason="visitor_daily_cap"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

describe('VISITOR_DAILY_EVENT_CAP: one visitor id cannot fill the store', () => {
  let srv: TrackingServer;
  beforeAll(async () => {
    srv = await startTrackingServer({ VISITOR_DAILY_EVENT_CAP: '5' });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('events past the cap answer 204, are not stored and are counted; other visitors are unaffected', async () => {
    const flooder = visitorId();
    const other = visitorId();
    const before = await droppedByCap();
    const first = await collect(srv.url, { events: Array.from({ length: 4 }, () => pageView(flooder)) });
    const second = await collect(srv.url, {
      events: [...Array.from({ length: 4 }, () => pageView(flooder)), pageView(other)],
    });
    const third = await collect(srv.url, { events: [pageView(flooder)] });
    expect([first.status, second.status, third.status]).toEqual([204, 204, 204]);
    expect(await srv.store.countEvents()).toBe(6); // 5 of the flooder's 9, and the other visitor's
    const [session] = await srv.store.sessionsForVisitor(flooder);
    expect(session.pageViews).toBe(5);
    expect(await srv.store.sessionsForVisitor(other)).toHaveLength(1);
    expect((await droppedByCap()) - before).toBe(4);
  });

  it('0 turns the cap off; a bad value is refused naming the variable', async () => {
    const { loadConfig } = await import('../../src/config');
    expect(loadConfig({ VISITOR_DAILY_EVENT_CAP: '0' }).tracking.visitorDailyEventCap).toBe(0);
    expect(loadConfig({}).tracking.visitorDailyEventCap).toBe(1000);
    expect(() => loadConfig({ VISITOR_DAILY_EVENT_CAP: 'lots' })).toThrow(
      /VISITOR_DAILY_EVENT_CAP must be a whole number/,
    );
    expect(() => loadConfig({ EVENT_RETENTION_DAYS: '-1' })).toThrow(
      /EVENT_RETENTION_DAYS must be a whole number of days/,
    );
    expect(loadConfig({}).storage.eventRetentionDays).toBe(365);
  });
});
