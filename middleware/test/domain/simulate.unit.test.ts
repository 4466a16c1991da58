import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../src/cli/commands/simulate';

const examples = join(__dirname, '..', '..', '..', 'docs', 'examples');
const file = (name: string) => ({ name, text: readFileSync(join(examples, name), 'utf8') });

describe('call-touchpoints simulate', () => {
  test('the docs/examples files give the documented outcomes, sessions → touchpoints → tasks', () => {
    const result = simulate({ events: file('events.ndjson'), tasks: file('tasks.ndjson') });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const records = result.lines.map((l) => JSON.parse(l));
    const kinds = records.map((r) => r.sobject);
    expect(kinds).toEqual(
      [...kinds].sort(
        (a, b) =>
          ['Web_Session__c', 'Touchpoint__c', 'Task'].indexOf(a) -
          ['Web_Session__c', 'Touchpoint__c', 'Task'].indexOf(b),
      ),
    );
    const tasks = Object.fromEntries(records.filter((r) => r.sobject === 'Task').map((r) => [r.Id, r]));
    expect(tasks['00TAa00000A1b2cEAA'].Call_Join_Detail__c).toBe(
      'Merged with the Paid Search session that started 12:07 UTC (landing page /pricing); the call came 10 min after the last page view.',
    );
    expect(tasks['00TAa00000A1b2dEAA'].Call_Join_Detail__c).toBe(
      'No web session in the 30-minute window: the nearest session (Paid Search, last activity 12:17 UTC) ended 18 min before the call at 13:05 UTC.',
    );
    expect(tasks['00TAa00000A1b2eEAA'].Call_Join_Status__c).toBe('Missing BizibleId');
    expect(tasks['00TAa00000A1b2gEAA']).toBeUndefined(); // an Email Task without BizibleId is not a call
    const emptyType = records.find(
      (r) => r.sobject === 'Touchpoint__c' && r.Task_Id__c === '00TAa00000A1b2fEAA',
    );
    expect(emptyType).toMatchObject({
      Touchpoint_Type__c: 'Web Visit',
      Channel__c: 'Organic Search',
      Subchannel__c: 'Google',
      Source__c: 'google.co.uk',
    });
    // Visitor d4: FT, two middle visits sharing 20 %, form LC.
    const d4 = records.filter((r) => r.sobject === 'Touchpoint__c' && r.BizibleId__c.startsWith('d4'));
    expect(d4.map((r) => [r.Channel__c, r.Position__c, r.U_Shaped_Percent__c])).toEqual([
      ['Organic Search', 'FT', 40],
      ['Email', null, 10],
      ['Organic Social', null, 10],
      ['Direct', 'LC', 40],
    ]);
    // Same input, same output (diffable runs).
    expect(simulate({ events: file('events.ndjson'), tasks: file('tasks.ndjson') })).toEqual(result);
  });

  test('bad lines are reported with file and line number, and nothing is printed', () => {
    const events = file('events.ndjson');
    const lines = events.text.trimEnd().split('\n');
    lines[6] = lines[6].replace('"2026-03-10T14:03:00Z"', '"10 March 2026 14:03"');
    lines[2] = '{"type":"click"' + lines[2].slice(lines[2].indexOf(','));
    const result = simulate({
      events: { name: 'EVENTS.ndjson', text: lines.join('\n') },
      tasks: { name: 'TASKS.ndjson', text: '{"Id":"00TAa00000A1b2cEAA"}\nnot json\n' },
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'EVENTS.ndjson line 3: type must be "page_view" or "form_submit"',
        'EVENTS.ndjson line 7: receivedAt must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z',
        'TASKS.ndjson line 1: CreatedDate must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z',
        expect.stringMatching(/^TASKS.ndjson line 2: not valid JSON/),
      ],
    });
  });

  test('a bad channel sheet is reported with its row and column', () => {
    const result = simulate({
      events: file('events.ndjson'),
      tasks: file('tasks.ndjson'),
      channels: {
        name: 'RULES.csv',
        text: 'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website\nPaid,,,cpc;,,,\n',
      },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/^RULES.csv: Channel sheet row 2, column "Medium"/);
  });

  describe('with Opportunities (R13–R17)', () => {
    const opp = (name: string) => file(`opportunities/${name}`);
    const withOpportunities = (overrides: Record<string, unknown> = {}) =>
      simulate({
        events: file('events.ndjson'),
        tasks: file('tasks.ndjson'),
        opportunities: {
          opportunities: opp('opportunities.ndjson'),
          contacts: opp('contacts.ndjson'),
          leads: opp('leads.ndjson'),
          mapping: 'account',
          ...overrides,
        },
      });

    test('the docs/examples/opportunities files: Opportunity_Touchpoint__c records after the Tasks, as join writes them', () => {
      const result = withOpportunities();
      if (!result.ok) throw new Error(result.errors.join('\n'));
      const records = result.lines.map((l) => JSON.parse(l));
      const kinds = [...new Set(records.map((r) => r.sobject))];
      expect(kinds).toEqual(['Web_Session__c', 'Touchpoint__c', 'Task', 'Opportunity_Touchpoint__c']);
      const otp = records.filter((r) => r.sobject === 'Opportunity_Touchpoint__c');
      const open = otp.filter((r) => r.Opportunity__c === '006Aa00000Op1AbIAJ');
      // The converted Lead's call (R14) counts for its Contact: it is the LC on the Account's Opportunity.
      expect(open.map((r) => [r.Contact__c, r.Touchpoint_Type__c, r.Position__c])).toEqual([
        ['003Aa00000Qm4TrIAJ', 'Web Visit', 'FT'],
        ['003Aa00000Rk2AbIAJ', 'Call', 'LC'],
        ['003Aa00000Qm4TrIAJ', 'Call', 'OC'],
        ['003Aa00000Rk2AbIAJ', 'Web Form', 'Pending'],
      ]);
      for (const id of ['006Aa00000Op1AbIAJ', '006Aa00000Op2CdIAJ']) {
        const rows = otp.filter((r) => r.Opportunity__c === id);
        expect(rows.reduce((n, r) => n + r.W_Shaped_Percent__c, 0)).toBeCloseTo(100, 6);
        expect(rows.reduce((n, r) => n + r.Full_Path_Percent__c, 0)).toBeCloseTo(100, 6);
      }
      // Closed won on 10 Mar: the form of 11 Mar is after its CloseDate and does not count (R13).
      expect(otp.filter((r) => r.Opportunity__c === '006Aa00000Op2CdIAJ').map((r) => r.Position__c)).toEqual([
        'FT',
        'LC, OC',
        'Closed',
      ]);
      // No Account under `account`: nothing planned, a note says why.
      expect(otp.some((r) => r.Opportunity__c === '006Aa00000Op3EfIAJ')).toBe(false);
      expect(result.opportunities.flatMap((p) => p.notes.map((n) => n.code))).toEqual(['no-account']);
      // Without the Lead file the conversion is unknown: the Lead's call reaches no Opportunity.
      const unconverted = withOpportunities({ leads: undefined });
      if (!unconverted.ok) throw new Error(unconverted.errors.join('\n'));
      expect(
        unconverted.opportunities
          .flatMap((p) => p.records)
          .some((r) => r.Contact__c === '003Aa00000Rk2AbIAJ'),
      ).toBe(false);
    });

    test('a bad Opportunity, Contact or Lead line is named with the field and the fix; nothing is printed', () => {
      const result = withOpportunities({
        opportunities: {
          name: 'opps.ndjson',
          text: '{"Id":"006Aa00000Op1AbIAJ","CreatedDate":"2026-03-10T14:00:00Z"}\n{"Id":"006Aa00000Op1AbIAJ","IsClosed":false,"CreatedDate":"yesterday"}',
        },
        contacts: { name: 'contacts.ndjson', text: '{"Id":"003Aa00000Qm4TrIAJ","AccountId":42}' },
        leads: { name: 'leads.ndjson', text: '{"Id":"00QAa00000Lx9ZpMAJ","IsConverted":"yes"}' },
      });
      expect(result).toEqual({
        ok: false,
        errors: [
          'opps.ndjson line 1: IsClosed must be true (won or lost) or false (open)',
          'opps.ndjson line 2: CreatedDate must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z',
          'contacts.ndjson line 1: AccountId must be the Account id (a string) or null',
          'leads.ndjson line 1: IsConverted must be true or false',
        ],
      });
    });
  });
});
