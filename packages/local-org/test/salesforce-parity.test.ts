import { V, call, startOrg } from './helpers';

// What an established Salesforce client's own end-to-end suite found different from Salesforce, one test per
// finding (README.md lists the differences that remain), against a real local org over HTTP.

async function csv(
  org: { instanceUrl: string; accessToken: string },
  method: string,
  p: string,
  body?: string,
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(org.instanceUrl + p, {
    method,
    headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'text/csv' },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('identity and OAuth shapes', () => {
  test('GET /services/data/vXX.X lists identity; /id has photos; /services/oauth2/userinfo describes the token user', async () => {
    const { org } = await startOrg();
    try {
      const root = await call(org, 'GET', V);
      expect(root.json.identity).toMatch(new RegExp(`^${org.instanceUrl}/id/00D\\w{15}/005\\w{15}$`));
      const id = await fetch(root.json.identity, { headers: { Authorization: `Bearer ${org.accessToken}` } });
      const identity = await id.json();
      expect(identity.photos).toEqual({
        picture: expect.stringContaining('/profilephoto/'),
        thumbnail: expect.stringContaining('/profilephoto/'),
      });
      const info = await call(org, 'GET', '/services/oauth2/userinfo');
      expect(info.json).toMatchObject({
        sub: root.json.identity,
        preferred_username: 'admin@local-org.invalid',
        organization_id: identity.organization_id,
        user_id: identity.user_id,
        photos: identity.photos,
      });
      expect((await call(org, 'GET', '/services/oauth2/userinfo', undefined, 'nope')).status).toBe(403);
      // Access tokens have the shape the Salesforce CLI accepts: <15-character org id>!<token>.
      expect(org.accessToken).toMatch(/^00D\w{12}![\w.]+$/);
    } finally {
      await org.close();
    }
  });

  test('/limits returns the full documented key set, not three keys', async () => {
    const { org } = await startOrg();
    try {
      const limits = await call(org, 'GET', `${V}/limits`);
      expect(Object.keys(limits.json).length).toBeGreaterThanOrEqual(50);
      for (const key of [
        'FileStorageMB',
        'DataStorageMB',
        'DailyAsyncApexExecutions',
        'HourlyDashboardRefreshes',
        'SingleEmail',
      ])
        expect(limits.json[key]).toEqual({ Max: expect.any(Number), Remaining: expect.any(Number) });
    } finally {
      await org.close();
    }
  });
});

describe('DML and metadata', () => {
  // jsforce's e2e suite, run against real orgs, asserts `created: true` on every item of a rolled-back upsert of
  // new records, the failing one included; an item that would have updated says false.
  test('a collection upsert rolled back by allOrNone says created: true for each insert it undid, the failed one too', async () => {
    const { org, conn } = await startOrg({ preload: true });
    try {
      const r = await call(org, 'PATCH', `${V}/composite/sobjects/Web_Session__c/Session_Key__c`, {
        allOrNone: true,
        records: [
          { attributes: { type: 'Web_Session__c' }, Session_Key__c: 'rb-1' },
          { attributes: { type: 'Web_Session__c' }, Session_Key__c: 'rb-2', Channel__c: 'x'.repeat(81) },
        ],
      });
      expect(r.json[0]).toMatchObject({
        success: false,
        created: true,
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
      });
      expect(r.json[1]).toMatchObject({ success: false, created: true });
      expect(
        (await conn.query("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'rb-%'")).totalSize,
      ).toBe(0);
      await conn.sobject('Web_Session__c').create({ Session_Key__c: 'rb-old' });
      const update = await call(org, 'PATCH', `${V}/composite/sobjects/Web_Session__c/Session_Key__c`, {
        allOrNone: true,
        records: [
          { attributes: { type: 'Web_Session__c' }, Session_Key__c: 'rb-old', Channel__c: 'x'.repeat(81) },
        ],
      });
      expect(update.json[0]).toMatchObject({ success: false, created: false });
    } finally {
      await org.close();
    }
  });

  test('Account has Sic, SicDesc, Ownership, TickerSymbol and Jigsaw to write, LastActivityDate only to read', async () => {
    const { org, conn } = await startOrg();
    try {
      const values = {
        Name: 'Sic Co',
        Sic: '3712',
        SicDesc: 'Motor vehicles',
        Ownership: 'Public',
        TickerSymbol: 'SIC',
        Jigsaw: 'j1',
      };
      const made: any = await conn.sobject('Account').create(values);
      const back: any = await conn.sobject('Account').retrieve(made.id);
      expect(back).toMatchObject({ ...values, LastActivityDate: null, JigsawCompanyId: null });
      const refused = await call(org, 'POST', `${V}/sobjects/Account`, {
        Name: 'x',
        LastActivityDate: '2026-01-01',
      });
      expect(refused.status).toBe(400);
      expect(refused.json[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
      const sorted = await conn.query('SELECT Name FROM Account ORDER BY LastActivityDate DESC LIMIT 10');
      expect(sorted.totalSize).toBe(1);
    } finally {
      await org.close();
    }
  });

  test('updateMetadata with description: null reads back without a description', async () => {
    const { org, conn } = await startOrg({ preload: true });
    try {
      const name = 'Web_Session__c.Channel__c';
      const before: any = await conn.metadata.read('CustomField', name);
      await conn.metadata.update('CustomField', [{ ...before, description: 'temporary' }]);
      expect(((await conn.metadata.read('CustomField', name)) as any).description).toBe('temporary');
      const result: any = await conn.metadata.update('CustomField', [{ ...before, description: null }]);
      expect(([] as any[]).concat(result)[0].success).toBe(true);
      const after: any = await conn.metadata.read('CustomField', name);
      expect(after).not.toHaveProperty('description');
      expect(after.inlineHelpText).toBe(before.inlineHelpText);
    } finally {
      await org.close();
    }
  });
});

describe('standard objects and relationships', () => {
  test('Organization, Opportunity and the standard Account fields exist as Salesforce describes them', async () => {
    const { org, conn } = await startOrg();
    try {
      const orgRow = await conn.query(
        'SELECT Id, Name, IsSandbox, OrganizationType, InstanceName FROM Organization',
      );
      expect(orgRow.records).toEqual([
        expect.objectContaining({ IsSandbox: false, OrganizationType: 'Developer Edition' }),
      ]);
      expect((orgRow.records[0] as any).Id.slice(0, 3)).toBe('00D');
      const insertOrg = await call(org, 'POST', `${V}/sobjects/Organization`, { Name: 'Another' });
      expect(insertOrg.json[0]).toMatchObject({
        errorCode: 'INVALID_TYPE_FOR_OPERATION',
        message: 'entity type cannot be inserted: Organization',
      });
      expect((await conn.sobject('Organization').describe()).createable).toBe(false);

      const account = await conn.sobject('Account').describe();
      const field = (n: string) => account.fields.find((f) => f.name === n);
      expect(field('Type')).toMatchObject({ type: 'picklist' });
      expect((field('Type')?.picklistValues ?? []).map((v) => v.value)).toContain('Customer - Direct');
      expect(field('BillingState')).toMatchObject({ type: 'string', length: 80 });
      expect(field('NumberOfEmployees')).toMatchObject({ type: 'int' });

      const acct = await conn
        .sobject('Account')
        .create({ Name: 'Acme', Type: 'Prospect', NumberOfEmployees: 12 });
      const opp: any = await conn.sobject('Opportunity').create({
        Name: 'Acme deal',
        AccountId: (acct as any).id,
        StageName: 'Prospecting',
        CloseDate: '2026-12-31',
        Amount: 1000,
      });
      expect(opp.success).toBe(true);
      const missing: any = await call(org, 'POST', `${V}/sobjects/Opportunity`, { Name: 'no stage' });
      expect(missing.json[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
    } finally {
      await org.close();
    }
  });

  test('describe childRelationships carry relationship names, and parent-to-child sub-queries return the children', async () => {
    const { org, conn } = await startOrg({ preload: true });
    try {
      const account = await conn.sobject('Account').describe();
      const rel = (child: string, fieldName: string) =>
        account.childRelationships.find((c) => c.childSObject === child && c.field === fieldName)
          ?.relationshipName;
      expect(rel('Contact', 'AccountId')).toBe('Contacts');
      expect(rel('Opportunity', 'AccountId')).toBe('Opportunities');
      expect(rel('Task', 'WhatId')).toBe('Tasks');
      const session = await conn.sobject('Web_Session__c').describe();
      expect(
        session.childRelationships.find((c) => c.childSObject === 'Touchpoint__c')?.relationshipName,
      ).toBe('Touchpoints__r');

      const a: any = await conn.sobject('Account').create({ Name: 'Parent' });
      const lonely: any = await conn.sobject('Account').create({ Name: 'No contacts' });
      await conn.sobject('Contact').create([
        { LastName: 'One', AccountId: a.id },
        { LastName: 'Two', AccountId: a.id },
      ]);
      const r = await conn.query(
        'SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName DESC LIMIT 5) FROM Account ORDER BY Name',
      );
      const byName = Object.fromEntries(r.records.map((x: any) => [x.Name, x]));
      expect(byName.Parent.Contacts).toMatchObject({
        totalSize: 2,
        done: true,
        records: [expect.objectContaining({ LastName: 'Two' }), expect.objectContaining({ LastName: 'One' })],
      });
      expect(byName['No contacts'].Contacts).toBeNull();
      expect(lonely.success).toBe(true);
      const bad = await call(
        org,
        'GET',
        `${V}/query?q=${encodeURIComponent('SELECT Name, (SELECT Id FROM Nope) FROM Account')}`,
      );
      expect(bad.status).toBe(400);
      expect(bad.json[0].message).toContain("Didn't understand relationship 'Nope'");
    } finally {
      await org.close();
    }
  });
});

describe('Bulk API 2.0', () => {
  test('an ingest job with columnDelimiter BACKQUOTE reads backquote-separated CSV and reports the delimiter', async () => {
    const { org, conn } = await startOrg();
    try {
      const job = await call(org, 'POST', `${V}/jobs/ingest`, {
        object: 'Account',
        operation: 'insert',
        columnDelimiter: 'BACKQUOTE',
      });
      expect(job.json.columnDelimiter).toBe('BACKQUOTE');
      const put = await csv(
        org,
        'PUT',
        `${V}/jobs/ingest/${job.json.id}/batches`,
        'Name`Type\nAcme, Inc.`Prospect\n',
      );
      expect(put.status).toBe(201);
      await call(org, 'PATCH', `${V}/jobs/ingest/${job.json.id}`, { state: 'UploadComplete' });
      const rows = (await conn.query('SELECT Name, Type FROM Account')).records as any[];
      expect(rows).toEqual([expect.objectContaining({ Name: 'Acme, Inc.', Type: 'Prospect' })]);
      const ok = await csv(org, 'GET', `${V}/jobs/ingest/${job.json.id}/successfulResults`);
      expect(ok.text.split('\n')[0]).toBe('"sf__Id"`"sf__Created"`"Name"`"Type"');
      const bad = await call(org, 'POST', `${V}/jobs/ingest`, {
        object: 'Account',
        operation: 'insert',
        columnDelimiter: 'STAR',
      });
      expect(bad.status).toBe(400);
      expect(bad.json[0].message).toContain('Invalid columnDelimiter STAR');
    } finally {
      await org.close();
    }
  });

  test('query results page by page: each page is a CSV with its header, and the pages hold every row once', async () => {
    const { org, conn } = await startOrg();
    try {
      await conn.sobject('Account').create(Array.from({ length: 5 }, (_, i) => ({ Name: `A${i}` })));
      const job = await call(org, 'POST', `${V}/jobs/query`, {
        operation: 'query',
        query: 'SELECT Name FROM Account',
      });
      const names: string[] = [];
      let locator: string | null = null;
      let pages = 0;
      do {
        const page = await csv(
          org,
          'GET',
          `${V}/jobs/query/${job.json.id}/results?maxRecords=2${locator ? `&locator=${locator}` : ''}`,
        );
        const lines = page.text.trim().split('\n');
        expect(lines[0]).toBe('"Name"');
        names.push(...lines.slice(1).map((l) => l.replace(/"/g, '')));
        locator = page.headers.get('sforce-locator');
        if (locator === 'null') locator = null;
        pages++;
      } while (locator);
      expect(pages).toBe(3);
      expect(names.sort()).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
    } finally {
      await org.close();
    }
  });
});
