import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from './cli-in-process';

const VISITOR = '0123456789abcdef0123456789abcdef';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-errors-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const events = path.join(dir, 'events.ndjson');
const tasks = path.join(dir, 'tasks.ndjson');
fs.writeFileSync(
  events,
  JSON.stringify({
    type: 'page_view',
    visitorId: VISITOR,
    url: 'https://www.example.com/pricing',
    referrer: '',
    receivedAt: '2026-01-05T10:00:00.000Z',
  }) + '\n',
);
fs.writeFileSync(
  tasks,
  JSON.stringify({
    Id: '00T000000000001AAA',
    CreatedDate: '2026-01-05T10:30:00.000Z',
    bizible2__BizibleId__c: VISITOR,
  }) + '\n',
);

describe('simulate takes BIZIBLE_ID_FIELD through the configuration', () => {
  test('BIZIBLE_ID_FIELD names the Task field simulate joins on when --bizible-id-field is not given', async () => {
    const run = await cli(['simulate', '--events', events, '--tasks', tasks], {
      BIZIBLE_ID_FIELD: 'bizible2__BizibleId__c',
    });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('"Touchpoint__c"');
  });

  test('a malformed BIZIBLE_ID_FIELD stops simulate with exit 2, naming the variable and the fix', async () => {
    const run = await cli(['simulate', '--events', events, '--tasks', tasks], {
      BIZIBLE_ID_FIELD: 'not a field',
    });
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      'simulate: BIZIBLE_ID_FIELD must be a Task field API name such as BizibleId__c or bizible2__BizibleId__c, got "not a field"\n',
    );
    expect(run.out).toBe('');
  });

  test('--bizible-id-field is checked by the same rule, the message naming the flag', async () => {
    const run = await cli(
      ['simulate', '--events', events, '--tasks', tasks, '--bizible-id-field', 'Bizible Id'],
      { BIZIBLE_ID_FIELD: 'bizible2__BizibleId__c' },
    );
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      'simulate: --bizible-id-field must be a Task field API name such as BizibleId__c or bizible2__BizibleId__c, got "Bizible Id"\n',
    );
    expect(run.out).toBe('');
  });
});

describe('simulate with Opportunities', () => {
  const examples = path.join(__dirname, '..', '..', 'docs', 'examples');
  test('--contacts without --opportunities, and --opportunities without --contacts, are refused by name', async () => {
    const stray = await cli(['simulate', '--events', events, '--tasks', tasks, '--contacts', tasks], {});
    expect(stray.code).toBe(2);
    expect(stray.err).toBe(
      'simulate: --contacts needs --opportunities <file>: give the Opportunities to plan, or leave it out\n',
    );
    const alone = await cli(['simulate', '--events', events, '--tasks', tasks, '--opportunities', tasks], {});
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('simulate: --opportunities needs --contacts <file>');
    expect(alone.out).toBe('');
  });

  test('the example files print Opportunity_Touchpoint__c lines; a bad --opportunity-mapping names the flag', async () => {
    const args = [
      'simulate',
      '--events',
      path.join(examples, 'events.ndjson'),
      '--tasks',
      path.join(examples, 'tasks.ndjson'),
      '--opportunities',
      path.join(examples, 'opportunities', 'opportunities.ndjson'),
      '--contacts',
      path.join(examples, 'opportunities', 'contacts.ndjson'),
      '--leads',
      path.join(examples, 'opportunities', 'leads.ndjson'),
    ];
    const run = await cli(args, { OPPORTUNITY_MAPPING: undefined });
    expect(run.code).toBe(0);
    expect(run.out).toContain('"sobject":"Opportunity_Touchpoint__c"');
    expect(run.err).toContain('note: Opportunity 006Aa00000Op3EfIAJ has no Account');
    const bad = await cli([...args, '--opportunity-mapping', 'everyone'], {});
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      'simulate: --opportunity-mapping must be account, contact-roles, primary-contact-role',
    );
  });
});

describe('every command reports a configuration mistake the same way (cli/errors.ts)', () => {
  test.each(['join --once', 'deploy --check', `import-events ${events}`])(
    '%s with a bad PORT prints the command, the variable and the fix, exit 2, no stack trace',
    async (command) => {
      const run = await cli(command.split(' '), { PORT: 'eighty', CALL_TOUCHPOINTS_DATA_DIR: dir });
      expect(run.code).toBe(2);
      expect(run.err).toBe(
        `${command.split(' ')[0]}: PORT must be a whole number from 0 to 65535, got "eighty"\n`,
      );
    },
  );
});
