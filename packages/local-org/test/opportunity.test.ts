import { Connection, OAuth2 } from 'jsforce';
import type { LocalOrg } from '../src';
import { startOrg } from './helpers';

/**
 * Opportunities, contact roles, Lead conversion and audit fields through jsforce, as Salesforce answers
 * them (packages/local-org/src/opportunityRules.ts and leadConvert.ts cite the docs).
 */
const CLIENT = { clientId: 'local-client', clientSecret: 'local-secret' };

let org: LocalOrg;
let conn: Connection;
beforeAll(async () => {
  ({ org, conn } = await startOrg(CLIENT));
});
afterAll(() => org.close());

async function newAccount(name = 'Acme'): Promise<string> {
  return ((await conn.sobject('Account').create({ Name: name })) as { id: string }).id;
}
async function newContact(accountId: string, lastName: string): Promise<string> {
  return (
    (await conn.sobject('Contact').create({ LastName: lastName, AccountId: accountId })) as { id: string }
  ).id;
}
async function newOpportunity(fields: Record<string, unknown>): Promise<string> {
  const created = (await conn
    .sobject('Opportunity')
    .create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-03-31', ...fields })) as {
    id: string;
  };
  return created.id;
}

describe('Opportunity', () => {
  test('IsClosed and IsWon follow StageName and cannot be set directly', async () => {
    const id = await newOpportunity({ AccountId: await newAccount(), Amount: 100000 });
    const read = async () =>
      (
        await conn.query<any>(
          `SELECT Amount, StageName, CloseDate, IsClosed, IsWon, AccountId FROM Opportunity WHERE Id = '${id}'`,
        )
      ).records[0];
    expect(await read()).toMatchObject({
      Amount: 100000,
      CloseDate: '2026-03-31',
      IsClosed: false,
      IsWon: false,
    });
    await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' });
    expect(await read()).toMatchObject({ StageName: 'Closed Won', IsClosed: true, IsWon: true });
    await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Lost' });
    expect(await read()).toMatchObject({ IsClosed: true, IsWon: false });
    await expect(conn.sobject('Opportunity').update({ Id: id, IsWon: true })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
  });

  test('StageName and CloseDate are required', async () => {
    await expect(conn.sobject('Opportunity').create({ Name: 'No stage' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
    });
  });
});

describe('OpportunityContactRole', () => {
  test('one primary per Opportunity: marking a second role primary clears the first', async () => {
    const account = await newAccount();
    const [a, b] = [await newContact(account, 'A'), await newContact(account, 'B')];
    const opp = await newOpportunity({ AccountId: account });
    const roleA = (await conn
      .sobject('OpportunityContactRole')
      .create({ OpportunityId: opp, ContactId: a, IsPrimary: true })) as {
      id: string;
    };
    await conn
      .sobject('OpportunityContactRole')
      .create({ OpportunityId: opp, ContactId: b, IsPrimary: true, Role: 'Decision Maker' });
    const roles = await conn.query<any>(
      `SELECT ContactId, IsPrimary, Role FROM OpportunityContactRole WHERE OpportunityId = '${opp}' ORDER BY ContactId`,
    );
    expect(roles.records.map((r) => [r.ContactId, r.IsPrimary])).toEqual([
      [a, false],
      [b, true],
    ]);
    await expect(
      conn.sobject('OpportunityContactRole').update({ Id: roleA.id, OpportunityId: opp }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
  });
});

describe('convertLead (SOAP Partner API)', () => {
  test('a Lead becomes an Account, a Contact and an Opportunity with the Contact as primary role', async () => {
    const lead = (await conn.sobject('Lead').create({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Company: 'Engines Ltd',
      Email: 'ada@example.com',
    })) as {
      id: string;
    };
    const result: any = await conn.soap.convertLead({
      leadId: lead.id,
      convertedStatus: 'Closed - Converted',
      doNotCreateOpportunity: false,
      overwriteLeadSource: false,
      sendNotificationEmail: false,
    });
    expect(result).toMatchObject({
      success: true,
      leadId: lead.id,
      accountId: expect.stringMatching(/^001/),
      contactId: expect.stringMatching(/^003/),
      opportunityId: expect.stringMatching(/^006/),
    });
    const [converted] = (
      await conn.query<any>(
        `SELECT IsConverted, Status, ConvertedContactId, ConvertedAccountId, ConvertedOpportunityId, ConvertedDate FROM Lead WHERE Id = '${lead.id}'`,
      )
    ).records;
    expect(converted).toMatchObject({
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedContactId: result.contactId,
      ConvertedAccountId: result.accountId,
      ConvertedOpportunityId: result.opportunityId,
      ConvertedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const contact = await conn.sobject('Contact').retrieve(result.contactId);
    expect(contact).toMatchObject({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
      AccountId: result.accountId,
    });
    const opp = await conn.sobject('Opportunity').retrieve(result.opportunityId);
    expect(opp).toMatchObject({ Name: 'Engines Ltd', AccountId: result.accountId, IsClosed: false });
    const roles = await conn.query<any>(
      `SELECT ContactId, IsPrimary FROM OpportunityContactRole WHERE OpportunityId = '${result.opportunityId}'`,
    );
    expect(roles.records).toEqual([
      expect.objectContaining({ ContactId: result.contactId, IsPrimary: true }),
    ]);
  });

  test('into an existing Account and Contact, without an Opportunity', async () => {
    const account = await newAccount('Existing');
    const contact = await newContact(account, 'Known');
    const lead = (await conn.sobject('Lead').create({ LastName: 'Known', Company: 'Existing' })) as {
      id: string;
    };
    const result: any = await conn.soap.convertLead({
      leadId: lead.id,
      convertedStatus: 'Closed - Converted',
      accountId: account,
      contactId: contact,
      doNotCreateOpportunity: true,
      overwriteLeadSource: false,
      sendNotificationEmail: false,
    });
    expect(result).toMatchObject({
      success: true,
      accountId: account,
      contactId: contact,
      opportunityId: null,
    });
  });

  test('errors per item: a wrong status and an already converted Lead fail, the other item converts', async () => {
    const lead = (await conn.sobject('Lead').create({ LastName: 'Twice', Company: 'Co' })) as { id: string };
    const base = { doNotCreateOpportunity: true, overwriteLeadSource: false, sendNotificationEmail: false };
    const [first]: any = await conn.soap.convertLead([
      { ...base, leadId: lead.id, convertedStatus: 'Closed - Converted' },
    ]);
    expect(first.success).toBe(true);
    const other = (await conn.sobject('Lead').create({ LastName: 'Other', Company: 'Co' })) as { id: string };
    const results: any = await conn.soap.convertLead([
      { ...base, leadId: lead.id, convertedStatus: 'Closed - Converted' },
      { ...base, leadId: other.id, convertedStatus: 'Working - Contacted' },
      { ...base, leadId: other.id, convertedStatus: 'Closed - Converted' },
    ]);
    expect(results.map((r: any) => [r.success, r.errors?.[0]?.statusCode ?? null])).toEqual([
      [false, 'CANNOT_UPDATE_CONVERTED_LEAD'],
      [false, 'INVALID_STATUS'],
      [true, null],
    ]);
    const accounts = await conn.query(`SELECT Id FROM Account WHERE Name = 'Co'`);
    expect(accounts.totalSize).toBe(2); // the failed items left nothing behind
  });
  test('a converted Lead is read-only (CANNOT_UPDATE_CONVERTED_LEAD) but can be deleted and hard-deleted', async () => {
    const lead = (await conn
      .sobject('Lead')
      .create({ LastName: 'Done', Company: 'Co', Phone: '(415) 555-0000' })) as {
      id: string;
    };
    const [converted]: any = await conn.soap.convertLead([
      { leadId: lead.id, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true },
    ]);
    expect(converted.success).toBe(true);
    await expect(conn.sobject('Lead').update({ Id: lead.id, Phone: null })).rejects.toMatchObject({
      errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD',
    });
    const kept = await conn.query<any>(`SELECT Phone FROM Lead WHERE Id = '${lead.id}'`);
    expect(kept.records[0].Phone).toBe('(415) 555-0000');
    const removed: any = await conn.sobject('Lead').destroy(lead.id);
    expect(removed.success).toBe(true);
    const emptied: any = await conn.soap.emptyRecycleBin([lead.id]);
    expect([emptied].flat().map((r: any) => String(r.success))).toEqual(['true']);
    const all = await conn.query<any>(`SELECT Id FROM Lead WHERE Id = '${lead.id}'`, { scanAll: true });
    expect(all.totalSize).toBe(0);
  });
});

describe('Partner endpoint', () => {
  test('answers an unknown session with the INVALID_SESSION_ID fault and converts nothing', async () => {
    const lead = (await conn.sobject('Lead').create({ LastName: 'Nosession', Company: 'Co' })) as {
      id: string;
    };
    const stranger = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: 'not-a-session',
      version: '62.0',
    });
    await expect(
      stranger.soap.convertLead({
        leadId: lead.id,
        convertedStatus: 'Closed - Converted',
        doNotCreateOpportunity: true,
        overwriteLeadSource: false,
        sendNotificationEmail: false,
      }),
    ).rejects.toThrow(/INVALID_SESSION_ID/);
    expect(((await conn.sobject('Lead').retrieve(lead.id)) as any).IsConverted).toBe(false);
  });
});

describe('CreatedDate on insert ("Set Audit Fields upon Record Creation")', () => {
  test('the admin user may set CreatedDate when creating a record, never when updating it', async () => {
    const id = await newOpportunity({ CreatedDate: '2025-11-02T09:30:00.000Z' });
    const [opp] = (await conn.query<any>(`SELECT CreatedDate FROM Opportunity WHERE Id = '${id}'`)).records;
    expect(opp.CreatedDate).toBe('2025-11-02T09:30:00.000+0000');
    await expect(
      conn.sobject('Opportunity').update({ Id: id, CreatedDate: '2025-01-01T00:00:00.000Z' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
  });

  test("another user gets Salesforce's error, until a permission set grants the permission", async () => {
    const profile = (await conn.query<any>('SELECT Id FROM Profile LIMIT 1')).records[0]?.Id ?? null;
    const user = (await conn.sobject('User').create({
      Username: 'rep@example.com.local',
      LastName: 'Rep',
      Email: 'rep@example.com',
      Alias: 'rep',
      ...(profile ? { ProfileId: profile } : {}),
    })) as { id: string };
    const oauth2 = new OAuth2({ loginUrl: org.loginUrl, ...CLIENT });
    const token: any = await oauth2.authenticate('rep@example.com.local', 'any');
    const rep = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: token.access_token,
      version: '62.0',
    });
    const dated = {
      Name: 'Backdated',
      StageName: 'Prospecting',
      CloseDate: '2026-03-31',
      CreatedDate: '2025-11-02T09:30:00.000Z',
    };
    await expect(rep.sobject('Opportunity').create(dated)).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: expect.stringContaining('Unable to create/update fields: CreatedDate.'),
    });
    const ps = (await conn.sobject('PermissionSet').create({
      Name: 'Create_Audit_Fields',
      Label: 'Create Audit Fields',
      PermissionsCreateAuditFields: true,
    })) as { id: string };
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: ps.id });
    const created = (await rep.sobject('Opportunity').create(dated)) as { id: string };
    const [opp] = (await conn.query<any>(`SELECT CreatedDate FROM Opportunity WHERE Id = '${created.id}'`))
      .records;
    expect(opp.CreatedDate).toBe('2025-11-02T09:30:00.000+0000');
  });
});
