import { simulate } from '../../src/cli/commands/simulate';
import type { LocalOrg } from '@call-touchpoints/local-org';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { runJoinOnce } from '../../src/join';
import type { Store } from '../../src/store';
import {
  createTasks,
  eventsFile,
  expectOrgMatchesPlan,
  taskInputs,
  tasksNdjson,
} from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

jest.setTimeout(60_000);

/** An admin adds a required field to Web_Session__c that the join does not fill: session creates fail. */
const REQUIRED = 'Web_Session__c.Review_Code__c';

describe('join writes one cycle in one composite request', () => {
  let org: LocalOrg;
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  let session: JoinSession;

  beforeAll(async () => {
    session = await joinSession('ct-join-composite-');
    ({ org, conn, gateway, store } = session);
    await createTasks(conn, taskInputs());
  });
  afterAll(() => session?.close());

  it('a touchpoint whose session failed in the same composite fails per record and is written on the next run', async () => {
    const added: any = await conn.conn.metadata.upsert('CustomField', {
      fullName: REQUIRED,
      label: 'Review code',
      type: 'Text',
      length: 10,
      required: true,
    } as never);
    expect(added.success).toBe(true);

    org.resetApiRequests();
    const first = await runJoinOnce({ gateway, store });
    // One read, one composite: sessions, touchpoints and Task updates together; nothing retried in-run.
    expect(first.apiRequests).toBe(2);
    expect(org.apiRequests()).toBe(2);
    const sessions = first.failed.filter((f) => f.sobject === 'Web_Session__c');
    const touchpoints = first.failed.filter((f) => f.sobject === 'Touchpoint__c');
    expect(sessions.length).toBeGreaterThan(0);
    for (const f of sessions) expect(f.errors).toMatch(/^REQUIRED_FIELD_MISSING/);
    expect(touchpoints.length).toBeGreaterThan(0);
    for (const f of touchpoints)
      expect(f.errors).toMatch(/^INVALID_FIELD: Foreign key external ID: .* not found/);
    expect(first.written.webSessions).toBe(0);
    expect(first.written.tasks).toBeGreaterThan(0); // the other records of the same request got through

    const removed: any = await conn.conn.metadata.delete('CustomField', REQUIRED);
    expect(removed.success).toBe(true);

    // The failed visitors kept their old input hashes: the next run plans and writes them again.
    const second = await runJoinOnce({ gateway, store });
    expect(second.failed).toEqual([]);
    expect(second.written.webSessions).toBe(sessions.length);
    expect(second.written.touchpoints).toBeGreaterThanOrEqual(touchpoints.length);
    expect(second.apiRequests).toBe(2);

    const result = simulate({
      events: eventsFile(),
      tasks: { name: 'tasks.ndjson', text: await tasksNdjson(gateway) },
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    await expectOrgMatchesPlan(gateway, result.plan);

    const third = await runJoinOnce({ gateway, store });
    expect(third.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
  });
});
