import { simulate } from '../../src/cli/commands/simulate';
import { InMemoryPort } from '../salesforce/in-memory-port';
import { runJoinOnce } from '../../src/join';
import type { SalesforcePort } from '../../src/salesforce/port';
import type { Store } from '../../src/store';
import { tempStore } from '../salesforce/helpers';
import {
  eventLines,
  expectOrgMatchesPlan,
  taskInputs,
  tasksNdjson,
  trackedEvents,
} from '../salesforce/fixtures';

/**
 * The join pipeline against the in-memory SalesforcePort (test/salesforce/in-memory-port.ts): the same
 * read → plan → diff → write → ledger as against the local org over HTTP (join.test.ts), with no
 * server, so what the pipeline sends is counted exactly.
 */
describe('join through the in-memory port (no HTTP)', () => {
  let port: InMemoryPort;
  let store: Store;
  let temp: Awaited<ReturnType<typeof tempStore>>;

  beforeAll(async () => {
    port = InMemoryPort.withDataModel();
    temp = await tempStore('ct-join-memory-', trackedEvents());
    store = temp.store;
    const setup = port.for('deploy');
    for (const t of taskInputs()) await setup.create('Task', t);
  });
  afterAll(async () => {
    await temp?.close();
    port?.close();
  });

  it('writes what simulate predicts, in one Task read and one composite write', async () => {
    const events = eventLines()
      .map((l) => JSON.stringify(l))
      .join('\n');
    const result = simulate({
      events: { name: 'events.ndjson', text: events },
      tasks: { name: 'tasks.ndjson', text: await tasksNdjson(port.for('deploy')) },
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const join = port.for('join');

    const summary = await runJoinOnce({ gateway: join, store });
    expect(summary.failed).toEqual([]);
    expect(summary).toMatchObject({ merged: 2, standalone: 2, missingId: 1 });
    expect(summary.apiRequestsByKind).toEqual({ query: 1, composite: 1 });
    await expectOrgMatchesPlan(port.for('deploy'), result.plan);
    // Counted under the join's purpose only; the test's own reads are the 'deploy' view's.
    expect(port.tally().find((t) => t.purpose === 'join' && t.kind === 'composite')?.count).toBe(1);
  });

  it('a re-run writes nothing and costs the one read', async () => {
    const summary = await runJoinOnce({ gateway: port.for('join'), store });
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
  let port: InMemoryPort;
  let store: Store;
  let temp: Awaited<ReturnType<typeof tempStore>>;

  beforeAll(async () => {
    port = InMemoryPort.withDataModel();
    temp = await tempStore('ct-join-pages-', trackedEvents());
    store = temp.store;
    const setup = port.for('deploy');
    for (const t of taskInputs()) await setup.create('Task', t);
  });
  afterAll(async () => {
    await temp?.close();
    port?.close();
  });

  it('the first run of a new store, read two Tasks a page, writes what one whole read would', async () => {
    const result = simulate({
      events: {
        name: 'events.ndjson',
        text: eventLines()
          .map((l) => JSON.stringify(l))
          .join('\n'),
      },
      tasks: { name: 'tasks.ndjson', text: await tasksNdjson(port.for('deploy')) },
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const summary = await runJoinOnce({ gateway: port.for('join'), store, readPageSize: 2 });
    expect(summary.failed).toEqual([]);
    expect(summary).toMatchObject({ merged: 2, standalone: 2, missingId: 1 });
    expect(summary.apiRequestsByKind.query).toBeGreaterThan(2); // one read per page, not one for all
    await expectOrgMatchesPlan(port.for('deploy'), result.plan);
    // Every page moved the watermark: a re-run finds nothing left to write.
    const again = await runJoinOnce({ gateway: port.for('join'), store, readPageSize: 2 });
    expect(again.written).toMatchObject({ webSessions: 0, touchpoints: 0, tasks: 0 });
  });
});

describe('one bad record in a join write (in-memory port)', () => {
  let port: InMemoryPort;
  let store: Store;
  let temp: Awaited<ReturnType<typeof tempStore>>;
  let taskIds: string[];

  beforeAll(async () => {
    port = InMemoryPort.withDataModel();
    temp = await tempStore('ct-join-memory-bad-', trackedEvents());
    store = temp.store;
    taskIds = [];
    for (const t of taskInputs()) taskIds.push((await port.for('deploy').create('Task', t)).id);
  });
  afterAll(async () => {
    await temp?.close();
    port?.close();
  });

  it('fails alone with its reason; the rest is written and the next run does not redo it', async () => {
    const join = port.for('join');
    const gone = taskIds[0];
    // A rep deletes a call Task between the join's read and its write.
    const racing: SalesforcePort = Object.assign(Object.create(join) as SalesforcePort, {
      write: async (...args: Parameters<SalesforcePort['write']>) => {
        await port.for('deploy').write([{ kind: 'delete', ids: [gone] }]);
        return join.write(...args);
      },
    });
    const first = await runJoinOnce({ gateway: racing, store });
    expect(first.failed).toEqual([
      { sobject: 'Task', key: gone, errors: expect.stringMatching(/^INVALID_CROSS_REFERENCE_KEY/) },
    ]);
    expect(first.written.tasks).toBe(first.tasksPlanned - 1);
    expect(first.written.touchpoints).toBeGreaterThan(0);

    // The deleted Task is not read again; everything else is in the ledger: nothing left to write.
    const second = await runJoinOnce({ gateway: join, store });
    expect(second.failed).toEqual([]);
    expect(second.written.tasks).toBe(0);
  });
});
