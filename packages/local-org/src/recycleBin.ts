/**
 * The Recycle Bin. A delete (REST DELETE /sobjects/{type}/{id} or /composite/sobjects?ids=) only sets
 * IsDeleted = true (data.ts remove()): the row leaves `query` but `queryAll` still returns it — "queryAll()
 * ... Retrieves data from specified objects, including records that have been deleted"
 * (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_queryall.htm; REST
 * resource /services/data/vXX.X/queryAll). `emptyRecycleBin(ID[])` of the SOAP API hard-deletes up to 200
 * of them, answering one EmptyRecycleBinResult {id, success, errors} per id, in order
 * (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_emptyrecyclebin.htm,
 * .../sforce_api_calls_emptyrecyclebin_result.htm).
 */
import type { OrgData } from './data';
import { toId18 } from './ids';

export const EMPTY_RECYCLE_BIN_MAX_IDS = 200;

export interface ItemError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface EmptyRecycleBinResult {
  id: string;
  success: boolean;
  errors: ItemError[];
}

const fail = (id: string, statusCode: string, message: string): EmptyRecycleBinResult => ({
  id,
  success: false,
  errors: [{ statusCode, message, fields: [] }],
});

/**
 * Hard-deletes each id that is in the Recycle Bin. An id that is not (a live record, an unknown or
 * already emptied id) fails alone: Salesforce documents per-id results but not these codes, so the local
 * org answers INVALID_ID_FIELD (decided; stricter than silently succeeding).
 */
export function emptyRecycleBin(data: OrgData, ids: string[]): EmptyRecycleBinResult[] {
  return data.transaction(() =>
    ids.map((raw) => {
      const id = toId18(raw);
      if (!id) return fail(raw, 'MALFORMED_ID', `malformed id ${raw}`);
      const hit = data.byId(id);
      if (!hit) return fail(id, 'INVALID_ID_FIELD', `invalid record id: ${id} is not in the Recycle Bin`);
      if (!hit.rec.IsDeleted)
        return fail(id, 'INVALID_ID_FIELD', `${id} is not in the Recycle Bin: delete the record first`);
      data.purge(hit.def.name, id);
      return { id, success: true, errors: [] };
    }),
  );
}
