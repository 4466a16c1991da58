import { simulate } from '../../src/cli/commands/simulate';
import { InMemoryPort } from '../salesforce/in-memory-port';
import { runJoinOnce } from '../../src/join';
import type { SalesforcePort } from '../../src/salesforce/port';
import type { Store } from '../../src/store';
import { tempStore } from '../salesforce/helpers';
import {
  eventsFile,
  expectOrgMatchesPlan,
  taskInputs,
  tasksNdjson,
  trackedEvents,
} from '../salesforce/fixtures';

/**
 * For the enclosing describe: an in-memory port holding the fixture Tasks (their ids in `taskIds`) and
 * a temp store of the fixture events, closed after its tests.
 */
function fixtureJoin(prefix: string): { port: InMemoryPort; store: Store; taskIds: string[] } {
  const fx = { taskIds: [] as string[] } as { port: InMemoryPort; store: Store; taskIds: string[] };
  let temp: Awaited<ReturnType<typeof tempStore>> | undefined;
  beforeAll(async () => {
    fx.port = InMemoryPort.withDataModel();
    temp = await tempStore(prefix, trackedEvents());
    fx.store = temp.store;
    for (const t of taskInputs()) fx.taskIds.push((await fx.port.for('deploy').create('Task', t)).id);
  });
  afterAll(async () => {
    await temp?.close();
    fx.port?.close();
  });
  return fx;
}

/**
 * The join pipeline against the in-memory SalesforcePort (test/salesforce/in-memory-port.ts): the same
 * read → plan → diff → write → ledger as against the local org over HTTP (join.test.ts), with no
 * server, so what the pipeline sends is counted exactly.
 */
describe('join through the in-memory port (no HTTP)', () => {
  const fx = fixtureJoin('ct-join-memory-');

  it('writes what simulate predicts, in one Task read and one composite write', async () => {
    const result = simulate({
      events: eventsFile(),
      tasks: { name: 'tasks.ndjson', text: await tasksNdjson(fx.port.for('deploy')) },
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const join = fx.port.for('join');

    const summary = await runJoinOnce({ gateway: join, store: fx.store });
    expect(summary.failed).toEqual([]);
    expect(summary).toMatchObject({ merged: 2, standalone: 2, missingId: 1 });
    expect(summary.apiRequestsByKind).toEqual({ query: 1, composite: 1 });
    await expectOrgMatchesPlan(fx.port.for('deploy'), result.plan);
    // Counted under the join's purpose only; the test's own reads are the 'deploy' view's.
    expect(fx.port.tally().find((t) => t.purpose === 'join' && t.kind === 'composite')?.count).toBe(1);
  });

  it('a re-run writes nothing and costs the one read', async () => {
    const summary = await runJoinOnce({ gateway: fx.port.for('join'), store: fx.store });
    expect(summary.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
    expect(summary.apiRequestsByKind).toEqual({ query: 1 });
  });
});

describe('a join read in pages (in-memory port)', () => {
  const fx = fixtureJoin('ct-join-pages-');

  it('the first run of a new store, read two Tasks a page, writes what one whole read would', async () => {
    const result = simulate({
      events: eventsFile(),
      tasks: { name: 'tasks.ndjson', text: await tasksNdjson(fx.port.for('deploy')) },
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const summary = await runJoinOnce({ gateway: fx.port.for('join'), store: fx.store, readPageSize: 2 });
    expect(summary.failed).toEqual([]);
    expect(summary).toMatchObject({ merged: 2, standalone: 2, missingId: 1 });
    expect(summary.apiRequestsByKind.query).toBeGreaterThan(2); // one read per page, not one for all
    await expectOrgMatchesPlan(fx.port.for('deploy'), result.plan);
    // Every page moved the watermark: a re-run finds nothing left to write.
    const again = await runJoinOnce({ gateway: fx.port.for('join'), store: fx.store, readPageSize: 2 });
    expect(again.written).toMatchObject({ webSessions: 0, touchpoints: 0, tasks: 0 });
  });
});

describe('one bad record in a join write (in-memory port)', () => {
  const fx = fixtureJoin('ct-join-memory-bad-');

  it('fails alone with its reason; the rest is written and the next run does not redo it', async () => {
    const join = fx.port.for('join');
    const gone = fx.taskIds[0];
    // A rep deletes a call Task between the join's read and its write.
    const racing: SalesforcePort = Object.assign(Object.create(join) as SalesforcePort, {
      write: async (...args: Parameters<SalesforcePort['write']>) => {
        await fx.port.for('deploy').write([{ kind: 'delete', ids: [gone] }]);
        return join.write(...args);
      },
    });
    const first = await runJoinOnce({ gateway: racing, store: fx.store });
    expect(first.failed).toEqual([
      { sobject: 'Task', key: gone, errors: expect.stringMatching(/^INVALID_CROSS_REFERENCE_KEY/) },
    ]);
    expect(first.written.tasks).toBe(first.tasksPlanned - 1);
    expect(first.written.touchpoints).toBeGreaterThan(0);

    // The deleted Task is not read again; everything else is in the ledger: nothing left to write.
    const second = await runJoinOnce({ gateway: join, store: fx.store });
    expect(second.failed).toEqual([]);
    expect(second.written.tasks).toBe(0);
  });
});
