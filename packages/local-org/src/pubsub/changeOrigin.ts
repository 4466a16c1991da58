import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * ChangeEventHeader.changeOrigin: "com/salesforce/api/<API_Name>/<API_Version>;client=<Client_ID>",
 * API_Name one of soap, rest, bulkapi, …, and `;client=` only when the call set a client id in its
 * Sforce-Call-Options header (Bulk API uses that header too)
 * (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm).
 * The request that writes sets it for its own async context; the change event bus reads it at commit.
 */
const origins = new AsyncLocalStorage<string>();

/** The changeOrigin of a data API request, from its path and Sforce-Call-Options header. */
export function changeOriginOf(path: string, callOptions: string | undefined): string {
  const m = /^\/services\/(data|Soap\/[a-z])\/v?(\d+\.\d)(\/.*)?$/.exec(path);
  const version = m?.[2] ?? '';
  const rest = m?.[3] ?? '';
  const api =
    m?.[1] !== 'data'
      ? 'soap'
      : /^\/jobs\/(ingest|query)\b/.test(rest)
        ? 'bulkapi'
        : /^\/tooling\//.test(rest)
          ? 'toolingrest'
          : 'rest';
  const client = /(?:^|,)\s*client=([^,]+)/.exec(callOptions ?? '')?.[1]?.trim();
  return `com/salesforce/api/${api}/${version}${client ? `;client=${client}` : ''}`;
}

export function withChangeOrigin<T>(origin: string, fn: () => T): T {
  return origins.run(origin, fn);
}

/** The origin of the change being committed: '' for changes not made through an API. */
export function currentChangeOrigin(): string {
  return origins.getStore() ?? '';
}
