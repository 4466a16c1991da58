import fs from 'node:fs';
import path from 'node:path';
import { buildPanelData, panelDataSchema, type PanelData } from '../../src/web/panel-data';
import { projectFile } from '../../src/project-root';

/**
 * The Task preview answers the real LWC's Apex wire with buildPanelData's result: it must be what
 * CallTouchpointController.getPanel returns, which the LWC's jest fixtures record.
 */
const FIXTURES = projectFile(
  'force-app',
  'main',
  'default',
  'lwc',
  'callTouchpointPanel',
  '__tests__',
  'data',
);
const fixture = (name: string): PanelData => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

/** The Task, Touchpoint__c and Web_Session__c rows behind merged.json, as a REST query returns them. */
const mergedTask = {
  Id: '00T5g00000Q7mNzEAJ',
  Type: 'Call',
  Subject: 'Inbound call from +46 8 123 456 78',
  BizibleId: '0f8a3c2e9b7d4a1e8c6f5b3a2d1e0c9b',
  Call_Started_At__c: null,
  CreatedDate: '2026-03-10T13:08:00.000+0000',
  CallDurationInSeconds: 180,
  Call_Join_Status__c: 'Merged',
  Call_Join_Detail__c:
    'Merged with the Paid Search session that started 12:41 UTC (last activity 12:58 UTC).',
  Call_Join_Reason__c: 'Joined',
  Call_Touchpoint__c: 'a015g00001bKxT2AAK',
  WhoId: '0035g00000XyZ12AAB',
  Who: { attributes: { type: 'Name' }, Name: 'Jane Doe' },
};
const mergedTouchpoint = {
  Id: 'a015g00001bKxT2AAK',
  Name: 'TP-000412',
  Touchpoint_Type__c: 'Call',
  Medium__c: 'Call',
  Channel__c: 'Paid Search',
  Subchannel__c: 'Google Ads',
  Source__c: 'google',
  Campaign__c: 'Spring Promo',
  Ad_Content__c: 'pricing-ad-b',
  Keyword__c: 'call tracking software',
  Position__c: 'FT, LC',
  First_Touch_Percent__c: 100,
  Lead_Creation_Percent__c: 100,
  U_Shaped_Percent__c: 100,
  Touchpoint_Date__c: '2026-03-10T13:05:00.000+0000',
  Web_Session__c: 'a025g00000Zr8WqAAJ',
};
const mergedSession = {
  Id: 'a025g00000Zr8WqAAJ',
  Name: 'WS-000388',
  Started_At__c: '2026-03-10T12:41:00.000+0000',
  Last_Activity_At__c: '2026-03-10T12:58:00.000+0000',
  Landing_Page__c:
    'https://www.example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=Spring%20Promo',
  Referrer_Page__c: 'https://www.google.com/',
  Page_Views__c: 4,
  Form_Submits__c: 0,
  Source__c: 'google',
  Medium__c: 'cpc',
  Campaign__c: 'Spring Promo',
  Content__c: 'pricing-ad-b',
  Term__c: 'call tracking software',
  Click_Id__c: 'gclid:EAIaIQobChMI8v3x',
};

describe('Task panel data: what CallTouchpointController.getPanel returns', () => {
  const dataFixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && f !== 'apexError.json');

  test.each(dataFixtures)('the LWC fixture %s has exactly the controller data shape', (name) => {
    // Strict: a field the fixtures have and the preview does not build (or the reverse) fails here.
    expect(() => panelDataSchema.parse(fixture(name))).not.toThrow();
  });

  test('merged call: the rows behind merged.json give merged.json (call time = CreatedDate − duration)', () => {
    expect(buildPanelData(mergedTask, mergedTouchpoint, mergedSession)).toEqual(fixture('merged.json'));
  });

  test('a touchpoint without a session stays "ok" and has no session (the LWC shows it as standalone)', () => {
    const panel = buildPanelData(
      { ...mergedTask, Call_Join_Status__c: 'Standalone' },
      { ...mergedTouchpoint, Web_Session__c: null },
      null,
    );
    expect(panel.state).toBe('ok');
    expect(panel.session).toBeUndefined();
    expect(panel.touchpoint).not.toHaveProperty('webSessionId');
  });

  test('no BizibleId on the Task → missingBizibleId, whatever the join status says', () => {
    const task = { ...mergedTask, BizibleId: null, Call_Join_Status__c: null, Call_Touchpoint__c: null };
    expect(buildPanelData(task, null, null).state).toBe('missingBizibleId');
  });

  test('a BizibleId, no touchpoint yet and status empty or Pending → pending; another status → noTouchpoint', () => {
    const waiting = {
      ...mergedTask,
      Call_Join_Detail__c: null,
      Call_Join_Reason__c: null,
      Call_Touchpoint__c: null,
      WhoId: null,
      Who: null,
    };
    expect(buildPanelData({ ...waiting, Call_Join_Status__c: null }, null, null)).toEqual({
      state: 'pending',
      taskId: '00T5g00000Q7mNzEAJ',
      taskType: 'Call',
      subject: 'Inbound call from +46 8 123 456 78',
      bizibleId: '0f8a3c2e9b7d4a1e8c6f5b3a2d1e0c9b',
      callTime: '2026-03-10T13:05:00.000Z',
    });
    expect(buildPanelData({ ...waiting, Call_Join_Status__c: 'Pending' }, null, null).state).toBe('pending');
    expect(buildPanelData({ ...waiting, Call_Join_Status__c: 'Failed' }, null, null).state).toBe(
      'noTouchpoint',
    );
  });

  test('a touchpoint id on the Task whose record cannot be read → noTouchpoint', () => {
    expect(buildPanelData(mergedTask, null, null).state).toBe('noTouchpoint');
  });

  test('no Task → notFound and nothing else', () => {
    expect(buildPanelData(null, null, null)).toEqual({ state: 'notFound' });
  });
});
