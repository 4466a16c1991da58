import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../src';

export async function startOrg(opts: LocalOrgOptions = {}): Promise<{ org: LocalOrg; conn: Connection }> {
  const org = await startLocalOrg({ port: 0, dataDir: null, ...opts });
  const conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: '62.0',
  });
  return { org, conn };
}

/** Raw HTTP against the org (for status codes and headers jsforce hides). */
export async function call(
  org: LocalOrg,
  method: string,
  path: string,
  body?: unknown,
  token: string = org.accessToken,
): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(org.instanceUrl + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON (SOAP) */
  }
  return { status: res.status, headers: res.headers, json };
}

export const V = '/services/data/v62.0';
