import { clearPageCaches, TtlCache } from '../../src/web/ttl-cache';

/** Issue 23 item 3: an erasure done in this process drops every page cache at once (web/ttl-cache.ts). */
describe('page caches', () => {
  it('answer from the cache within the TTL, and read again once clearPageCaches ran', async () => {
    let t = 0;
    let reads = 0;
    const load = async () => `read ${++reads}`;
    const tasks = new TtlCache<string>({ maxEntries: 10, ttlMs: () => 20_000, now: () => t });
    const report = new TtlCache<string>({ maxEntries: 10, ttlMs: () => 20_000, now: () => t });
    expect(await tasks.get('page', load)).toBe('read 1');
    expect(await report.get('page', load)).toBe('read 2');
    t = 19_000;
    expect(await tasks.get('page', load)).toBe('read 1');
    clearPageCaches();
    expect(await tasks.get('page', load)).toBe('read 3');
    expect(await report.get('page', load)).toBe('read 4');
    // Cached again after the clear.
    expect(await tasks.get('page', load)).toBe('read 3');
  });
});
