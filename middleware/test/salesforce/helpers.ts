import { loadConfig, type Config } from '../../src/config';
import { startLocalOrg, type LocalOrg } from '../../src/localorg';
import { connect, type OrgConnection } from '../../src/salesforce/connection';
import { Gateway } from '../../src/salesforce/gateway';

/** A local org on a free port and a jsforce connection to it through SF_INSTANCE_URL/SF_ACCESS_TOKEN. */
export async function localOrgSession(opts: { preload?: boolean } = {}): Promise<{
  org: LocalOrg;
  config: Config;
  conn: OrgConnection;
  gateway: Gateway;
}> {
  const org = await startLocalOrg({ port: 0, dataDir: null, preload: opts.preload ?? false });
  const config = loadConfig({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken });
  const conn = await connect(config);
  // Fast backoff keeps fault-injection tests short; the policy is the same.
  const gateway = new Gateway(conn, { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 8 });
  return { org, config, conn, gateway };
}
