import { buildProgram } from '../../src/cli/main';
import { EmptyMemoryError, runJoinOnce } from '../../src/join';
import { cli } from '../cli-in-process';
import { createTasks, taskInputs } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';
import { startTestServer, suiteTempDirs } from '../server/helpers';

jest.setTimeout(60_000);

/**
 * Issue 24 item 5: a store that never joined must not re-plan the Tasks an org already shows as
 * joined (it would turn Merged calls into Standalone ones with a second touchpoint each).
 */
describe('a new, empty store against an org whose calls are already joined', () => {
  let session: JoinSession;
  const newDir = suiteTempDirs();
  const orgEnv = (): Record<string, string> => ({
    SF_INSTANCE_URL: session.org.instanceUrl,
    SF_ACCESS_TOKEN: session.org.accessToken,
    TASK_DISCOVERY: 'polling',
  });
  /** The CLI reads process.env: a DATABASE_URL of the shell must not replace the data dir's store. */
  const cliEnv = (dataDir: string) => ({
    ...orgEnv(),
    DATABASE_URL: undefined,
    CALL_TOUCHPOINTS_DATA_DIR: dataDir,
  });
  /** What a user sees in the org: each joined Task's status, and how many touchpoints there are. */
  const orgState = async () => {
    const tasks = await session.gateway.query<{ Id: string; Call_Join_Status__c: string }>(
      'SELECT Id, Call_Join_Status__c FROM Task WHERE Call_Join_Status__c != null ORDER BY Id',
    );
    const touchpoints = await session.gateway.query<{ Id: string }>('SELECT Id FROM Touchpoint__c');
    return { tasks: tasks.map((t) => `${t.Id} ${t.Call_Join_Status__c}`), touchpoints: touchpoints.length };
  };
  let joined: Awaited<ReturnType<typeof orgState>>;

  beforeAll(async () => {
    // The first store joins the fixture calls (merged and standalone ones) with its events.
    session = await joinSession('ct-adopt-');
    await createTasks(session.conn, taskInputs());
    const first = await runJoinOnce({ gateway: session.gateway, store: session.store });
    expect(first).toMatchObject({ merged: 2, standalone: 2, failed: [] });
    joined = await orgState();
    expect(joined.touchpoints).toBeGreaterThan(0);
  });
  afterAll(() => session?.close());

  it('join --once refuses (exit 2) naming --adopt, with one org request and nothing written', async () => {
    session.org.resetApiRequests();
    const r = await cli(['join', '--once'], cliEnv(newDir('join')));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/never joined, but the org already has call Tasks joined/);
    expect(r.err).toMatch(/--adopt/);
    expect(session.org.apiRequests()).toBe(1);
    expect(await orgState()).toEqual(joined);
  });

  it('serve refuses to start, naming --adopt', async () => {
    const start = startTestServer(newDir('serve'), { env: orgEnv() });
    await expect(start).rejects.toBeInstanceOf(EmptyMemoryError);
    await expect(start).rejects.toThrow(/--adopt/);
    expect(await orgState()).toEqual(joined);
  });

  it('serve --adopt leaves every joined Task and touchpoint as it is, and still joins a new call', async () => {
    const dir = newDir('adopt');
    const server = await startTestServer(dir, { env: orgEnv(), adopt: true });
    try {
      const idle = await server.join.trigger();
      expect(idle.written).toEqual({
        webSessions: 0,
        touchpoints: 0,
        opportunityTouchpoints: 0,
        tasks: 0,
        deleted: 0,
      });
      expect(await orgState()).toEqual(joined);

      // A call that arrives afterwards is joined (no sessions in this store: Standalone, one touchpoint).
      const [newCall] = await createTasks(session.conn, [
        {
          Subject: 'New call',
          Type: 'Call',
          TaskSubtype: 'Call',
          BizibleId__c: 'a00000000000000000000000000000ad',
        },
      ]);
      const s = await server.join.trigger();
      expect(s.failed).toEqual([]);
      const after = await orgState();
      expect(after.tasks).toEqual([...joined.tasks, `${newCall} Standalone`].sort());
      expect(after.touchpoints).toBe(joined.touchpoints + 1);
    } finally {
      await server.close();
    }
    // The adopted store now has its own memory: the next start needs no --adopt.
    const again = await cli(['join', '--once'], cliEnv(dir));
    expect([again.code, again.err]).toEqual([0, '']);
  });

  it('--adopt is in the --help of serve and join; join refuses it with --full', async () => {
    const program = buildProgram();
    for (const name of ['serve', 'join'])
      expect(program.commands.find((c) => c.name() === name)!.helpInformation()).toMatch(/--adopt\s/);
    const r = await cli(['join', '--once', '--adopt', '--full'], cliEnv(newDir('full')));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--adopt .* --full .*choose one/);
  });
});
