import { API_VERSION } from '../../middleware/src/salesforce/connection';

/**
 * Reads the org the way any outside client would (OAuth token + REST SOQL), to see when a
 * record became readable. Used against the local org embedded in `serve`: its instance URL is in
 * serve's start-up banner; the bench gives that org a connected app through LOCAL_ORG_CLIENT_ID and
 * LOCAL_ORG_CLIENT_SECRET (BENCH_ORG_CLIENT) and logs in with client credentials.
 */

/** The connected app the bench starts serve's embedded local org with (env of the serve process). */
export const BENCH_ORG_CLIENT = {
  LOCAL_ORG_CLIENT_ID: 'call-touchpoints-bench',
  LOCAL_ORG_CLIENT_SECRET: 'bench-client-secret-not-for-production',
};
export interface OrgReader {
  instanceUrl: string;
  query<T extends Record<string, unknown>>(soql: string): Promise<T[]>;
  /** Queries this reader sent (so they can be told apart from the server's in the org's count). */
  queriesSent(): number;
  /** Creates one record as another client would (the vendor's connector in the CDC bench); its id. */
  insert(sobject: string, fields: Record<string, unknown>): Promise<string>;
  /** The local org's API request counter (GET /_local/requests), by request kind. */
  apiRequests(): Promise<{ apiRequests: number; byKind: Record<string, number> }>;
}

/** The embedded local org's URL from serve's banner ("org:   embedded local org http://…"). */
export function localOrgUrlFrom(serveOutput: string): string | null {
  const m = /local org (http:\/\/[^\s)]+)/.exec(serveOutput);
  return m ? m[1].replace(/\/+$/, '') : null;
}

export async function connectLocalOrg(instanceUrl: string): Promise<OrgReader> {
  const res = await fetch(`${instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: BENCH_ORG_CLIENT.LOCAL_ORG_CLIENT_ID,
      client_secret: BENCH_ORG_CLIENT.LOCAL_ORG_CLIENT_SECRET,
    }),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !body.access_token) {
    throw new Error(`local org refused a token: HTTP ${res.status} ${body.error_description ?? ''}`);
  }
  const token = body.access_token;
  let sent = 0;
  return {
    instanceUrl,
    queriesSent: () => sent,
    async apiRequests() {
      const r = await fetch(`${instanceUrl}/_local/requests`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!r.ok) throw new Error(`GET /_local/requests answered ${r.status}`);
      return (await r.json()) as { apiRequests: number; byKind: Record<string, number> };
    },
    async insert(sobject, fields) {
      const r = await fetch(`${instanceUrl}/services/data/v${API_VERSION}/sobjects/${sobject}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
      const json = (await r.json()) as { id?: string } | { errorCode: string; message: string }[];
      if (!r.ok || Array.isArray(json) || !json.id)
        throw new Error(`insert ${sobject} failed: HTTP ${r.status} ${JSON.stringify(json).slice(0, 200)}`);
      return json.id;
    },
    async query<T extends Record<string, unknown>>(soql: string): Promise<T[]> {
      sent++;
      const url = `${instanceUrl}/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`;
      const r = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      const json = (await r.json()) as { records?: T[] } | { errorCode: string; message: string }[];
      if (!r.ok || Array.isArray(json) || !json.records) {
        const err = Array.isArray(json) ? `${json[0]?.errorCode}: ${json[0]?.message}` : `HTTP ${r.status}`;
        throw new Error(`query failed (${err}): ${soql.slice(0, 120)}`);
      }
      return json.records;
    },
  };
}

/** A SOQL string literal (values are ours, but escape anyway). */
export function soqlString(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
