import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../src/log';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { startServer } from '../../src/server/start';
import { Connection } from 'jsforce';
import { LOCAL_CLIENT, integrationUser, selectTaskForCdc } from './helpers';

jest.setTimeout(60_000);

/** Without Change Data Capture, serve polls at the budget-friendly interval and says why, with what to do. */
describe('Task discovery falls back to polling', () => {
  let org: LocalOrg;
  let orgDir: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    orgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-fallback-org-'));
    org = await startLocalOrg({ port: 0, dataDir: orgDir, preload: true }); // Task not selected
  });
  afterAll(async () => {
    await org?.close();
    for (const d of [orgDir, ...dirs]) fs.rmSync(d, { recursive: true, force: true });
  });

  const serve = async (env: Record<string, string>, logger = silentLogger) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-fallback-'));
    dirs.push(dataDir);
    const config = loadConfig({
      CALL_TOUCHPOINTS_DATA_DIR: dataDir,
      PORT: '0',
      SF_INSTANCE_URL: org.instanceUrl,
      SF_ACCESS_TOKEN: org.accessToken,
      ...env,
    });
    return startServer(config, { port: 0, host: '127.0.0.1', logger });
  };

  it('Task not selected: polling every 60 s, in the banner and /healthz, naming deploy', async () => {
    const server = await serve({
      SF_PUBSUB_ENDPOINT: org.pubsubEndpoint!,
      SF_PUBSUB_CA_FILE: org.pubsubCertFile!,
    });
    try {
      const banner = server.summary.join('\n');
      expect(banner).toMatch(
        /task discovery: polling \(Task is not selected for Change Data Capture.*call-touchpoints deploy/,
      );
      expect(banner).toMatch(/polling every 60 s only while CDC is unavailable/);
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { taskDiscovery: string };
      expect(health.taskDiscovery).toMatch(/^polling \(Task is not selected/);
    } finally {
      await server.close();
    }
  });

  it('integration user without View All Data: "CDC off" in the banner and /healthz, polling', async () => {
    const cdcOrg = await startLocalOrg({ port: 0, dataDir: null, preload: true, ...LOCAL_CLIENT });
    try {
      const admin = new Connection({ instanceUrl: cdcOrg.instanceUrl, accessToken: cdcOrg.accessToken });
      await selectTaskForCdc(admin);
      const user = await integrationUser(cdcOrg, admin);
      const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-ca-')), 'pubsub-cert.pem');
      dirs.push(path.dirname(caFile));
      fs.writeFileSync(caFile, cdcOrg.pubsubCertPem!);
      const server = await serve({
        SF_INSTANCE_URL: cdcOrg.instanceUrl,
        SF_ACCESS_TOKEN: user.accessToken,
        SF_PUBSUB_ENDPOINT: cdcOrg.pubsubEndpoint!,
        SF_PUBSUB_CA_FILE: caFile,
      });
      try {
        expect(server.summary.join('\n')).toMatch(
          /task discovery: polling \(CDC off: the integration user lacks View All Data.*Call_Touchpoints_Change_Events/,
        );
        const health = (await (await fetch(`${server.url}/healthz`)).json()) as { taskDiscovery: string };
        expect(health.taskDiscovery).toMatch(/^polling \(CDC off: the integration user lacks View All Data/);
      } finally {
        await server.close();
      }
    } finally {
      await cdcOrg.close();
    }
  });

  it('endpoint unreachable: polling, with the reason', async () => {
    const server = await serve({ SF_PUBSUB_ENDPOINT: '127.0.0.1:1', SF_PUBSUB_CA_FILE: org.pubsubCertFile! });
    try {
      expect(server.taskDiscovery!.status()).toEqual({
        mode: 'polling',
        reason: expect.stringMatching(/^Pub\/Sub API unreachable/),
      });
    } finally {
      await server.close();
    }
  });

  it('TASK_DISCOVERY=polling: no subscription at all', async () => {
    const server = await serve({ TASK_DISCOVERY: 'polling' });
    try {
      expect(server.taskDiscovery).toBeNull();
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { taskDiscovery: string };
      expect(health.taskDiscovery).toBe('polling (TASK_DISCOVERY=polling, every 60 s)');
    } finally {
      await server.close();
    }
  });

  it('a local org without SF_PUBSUB_ENDPOINT: polls at once and names the two variables, no api.pubsub.salesforce.com', async () => {
    let logged = '';
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()),
    });
    const server = await serve({}, createLogger({ level: 'info', destination: sink }));
    try {
      expect(server.taskDiscovery).toBeNull();
      expect(logged).toContain(
        `Task discovery: polling for Tasks. ${org.instanceUrl} is a local org, whose Change Data Capture is not at api.pubsub.salesforce.com: to stream instead, set SF_PUBSUB_ENDPOINT and SF_PUBSUB_CA_FILE to the values \`call-touchpoints local-org\` printed.`,
      );
      expect(logged).not.toMatch(/Pub\/Sub API unreachable/);
    } finally {
      await server.close();
    }
  });
});
