import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { V, call, startOrg } from './helpers';

/**
 * Composite Graph (POST /composite/graph) as the REST API Developer Guide documents it: one API
 * request, each graph all-or-nothing, references between the nodes of a graph, and its limits.
 */
let org: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  ({ org, conn } = await startOrg({ preload: true }));
});
afterAll(() => org.close());
afterEach(() => org.clearFaults());

type Node = { body: any; httpStatusCode: number; referenceId: string };
type Answer = {
  graphs: { graphId: string; isSuccessful: boolean; graphResponse: { compositeResponse: Node[] } }[];
};

function graph(body: unknown): Promise<Answer> {
  return conn.request({
    method: 'POST',
    url: `${V}/composite/graph`,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

/** A call's records as one graph: Task, its session, the touchpoint naming the Task, the join fields. */
const callGraph = (graphId: string, key: string, landingPage: string) => ({
  graphId,
  compositeRequest: [
    {
      method: 'POST',
      url: `${V}/sobjects/Task`,
      referenceId: 'task',
      body: { Subject: `Call ${key}`, TaskSubtype: 'Call' },
    },
    {
      method: 'PATCH',
      url: `${V}/sobjects/Web_Session__c/Session_Key__c/${key}`,
      referenceId: 'ws',
      body: { Landing_Page__c: landingPage },
    },
    {
      method: 'PATCH',
      url: `${V}/sobjects/Touchpoint__c/Touchpoint_Key__c/tp-${key}`,
      referenceId: 'tp',
      body: { Task_Id__c: '@{task.id}', Web_Session__r: { Session_Key__c: key } },
    },
    {
      method: 'PATCH',
      url: `${V}/sobjects/Task/@{task.id}`,
      referenceId: 'join',
      body: { Call_Join_Status__c: 'Merged', Call_Touchpoint__r: { Touchpoint_Key__c: `tp-${key}` } },
    },
  ],
});

const count = async (soql: string) => (await conn.query(soql)).totalSize;

describe('Composite Graph resource (POST /composite/graph)', () => {
  test('two graphs in one API request; the one with a bad value is rolled back alone', async () => {
    org.resetApiRequests();
    const out = await graph({
      graphs: [callGraph('g1', 'graph-ok', '/pricing'), callGraph('g2', 'graph-bad', `/${'x'.repeat(300)}`)],
    });
    expect(org.apiRequests()).toBe(1);
    expect((await call(org, 'GET', '/_local/requests')).json.byKind).toEqual({ graph: 1 });

    const [ok, badGraph] = out.graphs;
    expect(ok.isSuccessful).toBe(true);
    expect(ok.graphResponse.compositeResponse.map((n) => n.httpStatusCode)).toEqual([201, 201, 201, 204]);
    const taskId = ok.graphResponse.compositeResponse[0].body.id;
    const tp = await conn.query<any>(
      `SELECT Task_Id__c FROM Touchpoint__c WHERE Touchpoint_Key__c = 'tp-graph-ok'`,
    );
    expect(tp.records[0].Task_Id__c).toBe(taskId);
    const task = await conn.query<any>(`SELECT Call_Join_Status__c FROM Task WHERE Id = '${taskId}'`);
    expect(task.records[0].Call_Join_Status__c).toBe('Merged');

    // The session's landing page is too long: that graph's Task (created before it) is gone too.
    expect(badGraph.isSuccessful).toBe(false);
    const codes = badGraph.graphResponse.compositeResponse.map(
      (n) => n.body?.[0]?.errorCode ?? n.httpStatusCode,
    );
    expect(codes).toEqual(['PROCESSING_HALTED', 'STRING_TOO_LONG', 'PROCESSING_HALTED', 'PROCESSING_HALTED']);
    expect(await count(`SELECT Id FROM Task WHERE Subject = 'Call graph-bad'`)).toBe(0);
    expect(await count(`SELECT Id FROM Web_Session__c WHERE Session_Key__c = 'graph-bad'`)).toBe(0);
  });

  test('a row lock fails its graph only', async () => {
    org.setFaults({ lockRowRate: 1 });
    const out = await graph({ graphs: [callGraph('g1', 'graph-locked', '/')] });
    expect(out.graphs[0].isSuccessful).toBe(false);
    expect(out.graphs[0].graphResponse.compositeResponse[0].body[0].errorCode).toBe('UNABLE_TO_LOCK_ROW');
    expect(await count(`SELECT Id FROM Task WHERE Subject = 'Call graph-locked'`)).toBe(0);
  });

  test('limits and resources outside a graph are refused before anything runs', async () => {
    const tooMany = { graphs: Array.from({ length: 76 }, (_, i) => callGraph(`g${i}`, `many-${i}`, '/')) };
    await expect(graph(tooMany)).rejects.toMatchObject({ errorCode: 'LIMIT_EXCEEDED' });
    const withQuery = {
      graphs: [
        {
          graphId: 'q',
          compositeRequest: [{ method: 'GET', url: `${V}/query?q=SELECT+Id+FROM+Task`, referenceId: 'q' }],
        },
      ],
    };
    await expect(graph(withQuery)).rejects.toMatchObject({ errorCode: 'INVALID_INPUT' });
    expect(await count(`SELECT Id FROM Task WHERE Subject LIKE 'Call many-%'`)).toBe(0);
  });
});
