import fs from 'node:fs';
import path from 'node:path';
import { createTasks, trackedEvents, V } from '../salesforce/fixtures';
import { startTestServer, suiteTempDirs } from './helpers';

const HEADER = 'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website';

describe('serve with a channel sheet (--channels / CHANNEL_RULES_FILE)', () => {
  const newDir = suiteTempDirs();

  test('a bad sheet stops start-up naming the variable, the file, the row and the column', async () => {
    const dir = newDir('channels-bad');
    const sheet = path.join(dir, 'bad.csv');
    fs.writeFileSync(sheet, `${HEADER}\nPartner Ads,Acme,,,,*gclid=*,\n,Nameless,,,,*x=*,\n`);
    await expect(startTestServer(dir, { env: { CHANNEL_RULES_FILE: sheet } })).rejects.toThrow(
      new RegExp(
        `^CHANNEL_RULES_FILE ${sheet.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Channel sheet row 3, column "Channel"`,
      ),
    );
    await expect(startTestServer(dir, { channels: path.join(dir, 'missing.csv') })).rejects.toThrow(
      /^--channels .*missing\.csv: cannot read the file \(ENOENT\)/,
    );
  });

  test('the join watch and the admin API classify with the customer sheet', async () => {
    const dir = newDir('channels');
    const sheet = path.join(dir, 'partners.csv');
    fs.writeFileSync(sheet, `${HEADER}\nPartner Ads,Acme,,,,*gclid=*,\nEverything Else,,,,,*,\n`);
    // --channels wins over CHANNEL_RULES_FILE (which names a file that does not exist).
    const server = await startTestServer(dir, {
      channels: sheet,
      env: { CHANNEL_RULES_FILE: path.join(dir, 'nowhere.csv') },
    });
    try {
      expect(server.summary.join('\n')).toContain(`channels: ${sheet} (2 rules)`);
      await server.store.appendEvents(trackedEvents());

      const res = await fetch(`${server.url}/api/visitors/${V.adClick}/sessions`, {
        headers: { authorization: 'Bearer test-admin-token-0123456789abcdefghijk' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { sessions: { Channel__c: string; Subchannel__c: string }[] };
      expect(body.sessions.map((s) => [s.Channel__c, s.Subchannel__c])).toEqual([['Partner Ads', 'Acme']]);

      await createTasks(server.org, [
        {
          Subject: 'Call from partner ad',
          Type: 'Call',
          BizibleId__c: V.adClick,
          Call_Started_At__c: '2026-03-10T12:20:00.000Z',
        },
      ]);
      await server.join.trigger();
      const touchpoints = await server.org.conn.query<{ Channel__c: string }>(
        `SELECT Channel__c FROM Touchpoint__c WHERE BizibleId__c = '${V.adClick}'`,
      );
      expect(touchpoints.records.map((t) => t.Channel__c)).toEqual(['Partner Ads']);
    } finally {
      await server.close();
    }
  }, 90_000);
});
