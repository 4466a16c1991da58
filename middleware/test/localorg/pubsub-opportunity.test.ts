import * as grpc from '@grpc/grpc-js';
import { type Connection } from 'jsforce';
import type { LocalOrg } from '@call-touchpoints/local-org';
import { avroType, decodeFieldBitmap, unwrapUnion } from '@call-touchpoints/pubsub-codec';
import { type FetchResponse, type PubSubClient } from '../../src/salesforce/cdc/pubsubClient';
import { startOrg } from '../../../packages/local-org/test/helpers';
import { orgPubSubClient, selectForCdc } from '../salesforce/helpers';
import { untilTruthy } from '../until';

jest.setTimeout(30_000);

interface Decoded {
  entity: string;
  type: string;
  ids: string[];
  changed: string[];
  body: Record<string, unknown>;
}

/**
 * The local org's change events for Opportunity, OpportunityContactRole and Lead (CDC Developer Guide:
 * header fields changeType, recordIds, changedFields; a lead conversion's Lead update), each on its own
 * channel, within the org's 5 entity selections.
 */
describe('local org Pub/Sub API: Opportunity, OpportunityContactRole and Lead change events', () => {
  let org: LocalOrg;
  let conn: Connection;
  let client: PubSubClient;

  beforeAll(async () => {
    ({ org, conn } = await startOrg({ preload: true }));
    client = orgPubSubClient(org);
  });
  afterAll(async () => {
    client?.close();
    await org?.close();
  });

  const subscribe = async (entity: string) => {
    const topic = `/data/${entity}ChangeEvent`;
    const info = await client.getTopic(topic);
    const schema = await client.getSchema(info.schema_id);
    const type = avroType(schema.schema_id, schema.schema_json);
    const names = type.getFields().map((f) => f.getName());
    const got: Decoded[] = [];
    const stream = client.subscribe();
    stream.on('data', (r: FetchResponse) => {
      for (const e of r.events) {
        const rec = avroType(e.event.schema_id).fromBuffer(e.event.payload);
        const h = rec.ChangeEventHeader as Record<string, unknown>;
        got.push({
          entity: String(h.entityName),
          type: String(h.changeType),
          ids: h.recordIds as string[],
          changed: decodeFieldBitmap(names, h.changedFields as string[]),
          body: Object.fromEntries(names.slice(1).map((n) => [n, unwrapUnion(rec[n]) ?? null])),
        });
      }
    });
    stream.on('error', () => undefined);
    stream.write({ topic_name: topic, replay_preset: 'LATEST', num_requested: 100 });
    await new Promise((r) => setTimeout(r, 100));
    return { got, close: () => stream.cancel() };
  };

  it('refuses a channel whose entity is not selected, and a sixth selection', async () => {
    await expect(client.getTopic('/data/OpportunityChangeEvent')).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    await selectForCdc(conn, ['Task', 'Opportunity', 'OpportunityContactRole', 'Lead', 'Contact']);
    const sixth = (await conn.metadata.upsert('PlatformEventChannelMember', {
      fullName: 'ChangeEvents_AccountChangeEvent',
      eventChannel: 'ChangeEvents',
      selectedEntity: 'AccountChangeEvent',
    } as never)) as unknown as { success: boolean | string; errors?: unknown };
    expect(String(sixth.success)).toBe('false');
    expect(JSON.stringify(sixth.errors)).toMatch(/already selected 5 of its 5.*LIMIT_EXCEEDED/);
  });

  it('publishes each entity on its own channel: changed fields, deletes, and a lead conversion', async () => {
    const opps = await subscribe('Opportunity');
    const roles = await subscribe('OpportunityContactRole');
    const leads = await subscribe('Lead');
    const tasks = await subscribe('Task');

    const account = ((await conn.sobject('Account').create({ Name: 'Acme' })) as { id: string }).id;
    const opp = (
      (await conn.sobject('Opportunity').create({
        Name: 'Deal',
        AccountId: account,
        StageName: 'Prospecting',
        CloseDate: '2026-03-20',
      })) as { id: string }
    ).id;
    await conn.sobject('Opportunity').update({ Id: opp, StageName: 'Closed Won' });
    const lead = (
      (await conn.sobject('Lead').create({ LastName: 'Able', Company: 'Acme' })) as { id: string }
    ).id;
    const converted: { contactId: string } = await (conn.soap as any).convertLead({
      leadId: lead,
      convertedStatus: 'Closed - Converted',
      accountId: account,
      doNotCreateOpportunity: true,
    });
    const role = (
      (await conn
        .sobject('OpportunityContactRole')
        .create({ OpportunityId: opp, ContactId: converted.contactId })) as {
        id: string;
      }
    ).id;
    await conn.sobject('OpportunityContactRole').destroy(role);

    await untilTruthy('Opportunity events', () => opps.got.length >= 2);
    await untilTruthy('role events', () => roles.got.length >= 2);
    await untilTruthy('Lead events', () => leads.got.length >= 2);
    expect(opps.got.map((e) => [e.entity, e.type, e.ids])).toEqual([
      ['Opportunity', 'CREATE', [opp]],
      ['Opportunity', 'UPDATE', [opp]],
    ]);
    expect(opps.got[1].changed).toEqual(expect.arrayContaining(['StageName', 'IsClosed', 'IsWon']));
    expect(opps.got[1].body.Name).toBeNull(); // an update carries only the changed fields
    expect(roles.got.map((e) => [e.type, e.ids])).toEqual([
      ['CREATE', [role]],
      ['DELETE', [role]],
    ]);
    expect(roles.got[0].body.OpportunityId).toBe(opp);
    // The conversion's Lead update: the conversion fields, not LastModifiedDate.
    const conversion = leads.got[1];
    expect(conversion.type).toBe('UPDATE');
    expect(conversion.changed).toEqual(
      expect.arrayContaining(['IsConverted', 'ConvertedContactId', 'ConvertedAccountId', 'ConvertedDate']),
    );
    expect(conversion.changed).not.toContain('LastModifiedDate');
    expect(conversion.body).toMatchObject({ IsConverted: true, ConvertedContactId: converted.contactId });
    expect(tasks.got).toEqual([]); // the Task channel carries Task changes only
    for (const s of [opps, roles, leads, tasks]) s.close();
  });
});
