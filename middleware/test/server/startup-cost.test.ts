import path from 'node:path';
import { deploy } from '../../src/salesforce/deploy';
import { note } from '../note';
import { localOrgSession } from '../salesforce/helpers';
import { orgSettled, startTestServer, suiteTempDirs } from './helpers';

/**
 * What `serve` costs the org to start (docs/performance.md, "serve's start-up"): against a local org in
 * remote mode (SF_INSTANCE_URL), counted by the org's own request counter. The idle day is 288 requests
 * of Opportunity polling; a restart must fit in the 12 left of the ≤ 300 a day.
 */

jest.setTimeout(120_000);

const RESTART_BOUND = 12;

describe("serve's start-up cost (local org request counter)", () => {
  const newDir = suiteTempDirs();

  test('a restart costs at most 12 org requests; a changed component is still found and reported', async () => {
    const { org, gateway } = await localOrgSession({ preload: false });
    const dir = newDir('startup');
    try {
      expect((await deploy(gateway)).changeEvents.deployed).toBe(true);
      const start = async () => {
        org.resetApiRequests();
        const server = await startTestServer(path.join(dir, 'serve'), {
          env: { SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken },
          joinIntervalMs: 3_600_000,
        });
        await orgSettled(org);
        const requests = org.apiRequests();
        const metadataLine = server.summary.find((l) => l.includes('metadata:')) ?? '';
        await server.close();
        return { requests, metadataLine };
      };

      // First start: the full comparison (every component read), then the join's first rounds.
      const first = await start();
      expect(first.metadataLine).toContain('metadata: up to date');
      expect(first.requests).toBeGreaterThan(RESTART_BOUND);

      // Restart, nothing changed: the listing matches the kept fingerprint.
      const restart = await start();
      expect(restart.metadataLine).toMatch(/metadata: up to date \(our components unchanged since/);
      expect(restart.requests).toBeLessThanOrEqual(RESTART_BOUND);
      note(`serve start-up org requests: first start ${first.requests}, restart ${restart.requests}`);

      // An admin changes one of our fields: the next start compares in full and says so, and keeps
      // saying so on every start until it is fixed.
      const res = await gateway.upsertMetadata('CustomField', [
        {
          fullName: 'Touchpoint__c.Channel__c',
          label: 'Renamed by an admin',
          type: 'Text',
          length: 255,
        },
      ]);
      expect(res[0].success).toBe(true);
      for (let i = 0; i < 2; i++)
        expect((await start()).metadataLine).toContain(
          '1 component(s) missing or different — run `call-touchpoints deploy`',
        );

      // Deployed again: back to the cheap restart after one full check.
      await deploy(gateway);
      expect((await start()).metadataLine).toBe('       metadata: up to date');
      expect((await start()).requests).toBeLessThanOrEqual(RESTART_BOUND);
    } finally {
      await org.close();
    }
  });
});
