/**
 * The sObject Tree resource, `POST /services/data/vXX.X/composite/tree/{sObject}` — what `sf data import tree`
 * sends (REST API Developer Guide, "sObject Tree" and "Create Nested Records"). The body is
 * `{records: [{attributes: {type, referenceId}, Field: value, ChildRelationship: {records: [...]}}]}`; the
 * records of the top level are of the URL's object, nested ones are keyed by a child relationship name.
 *
 * Documented rules enforced: at most 200 records in all, at most 5 levels, at most 5 different object types;
 * every record needs a referenceId unique in the request; the whole request is one transaction: on success
 * HTTP 201 `{hasErrors: false, results: [{referenceId, id}]}` (every record, parents first), on any failure
 * HTTP 400 `{hasErrors: true, results: [{referenceId, errors: [{statusCode, message, fields}]}]}` and nothing
 * is saved. The request counts as one API request.
 */
import type { OrgData } from './data';
import { SfError } from './errors';
import type { Rec } from './soql';

export const MAX_TREE_RECORDS = 200;
export const MAX_TREE_DEPTH = 5;
export const MAX_TREE_TYPES = 5;

interface TreeError {
  referenceId: string;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

class TreeFailure extends Error {
  constructor(readonly result: TreeError) {
    super(result.errors[0].message);
  }
}

const invalid = (message: string) => new SfError(400, 'INVALID_INPUT', message);

/** Runs one tree request; returns the HTTP status and body. */
export function runCompositeTree(
  body: unknown,
  objectName: string,
  data: OrgData,
  now: number,
): { status: number; body: unknown } {
  const root = data.object(objectName);
  if (!root) throw new SfError(404, 'NOT_FOUND', `The requested resource does not exist`);
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'records must be a JSON array');

  // Limits and referenceIds are checked before anything is written.
  const seen = new Set<string>();
  const types = new Set<string>();
  let count = 0;
  const check = (list: unknown[], type: string, depth: number): void => {
    if (depth > MAX_TREE_DEPTH) throw invalid(`The request exceeds the maximum of ${MAX_TREE_DEPTH} levels`);
    for (const r of list) {
      const rec = r as Rec;
      const attrs = (rec?.attributes ?? {}) as { type?: string; referenceId?: string };
      if (!attrs.referenceId)
        throw invalid("Include a reference ID for each record in the request ('referenceId')");
      if (seen.has(attrs.referenceId))
        throw invalid(`Duplicate ReferenceId provided in the request: ${attrs.referenceId}`);
      seen.add(attrs.referenceId);
      if (attrs.type && attrs.type.toLowerCase() !== type.toLowerCase())
        throw invalid(
          `The record type ${attrs.type} doesn't match ${type} (referenceId ${attrs.referenceId})`,
        );
      types.add(type.toLowerCase());
      count++;
      for (const [key, value] of Object.entries(rec)) {
        const child = childOf(data, type, key, value);
        if (child) check(child.records, child.object, depth + 1);
      }
    }
  };
  check(records, root.name, 1);
  if (count > MAX_TREE_RECORDS)
    throw invalid(`The request contains ${count} records; the limit is ${MAX_TREE_RECORDS}`);
  if (types.size > MAX_TREE_TYPES)
    throw invalid(`The request contains ${types.size} object types; the limit is ${MAX_TREE_TYPES}`);

  const results: { referenceId: string; id: string }[] = [];
  const save = (list: unknown[], type: string, parent?: { field: string; id: string }): void => {
    const def = data.object(type)!;
    for (const r of list) {
      const rec = r as Rec;
      const referenceId = String((rec.attributes as { referenceId: string }).referenceId);
      const fields: Rec = {};
      const children: { object: string; field: string; records: unknown[] }[] = [];
      for (const [key, value] of Object.entries(rec)) {
        if (key === 'attributes') continue;
        const child = childOf(data, type, key, value);
        if (child) children.push(child);
        else fields[key] = value;
      }
      if (parent) fields[parent.field] = parent.id;
      let id: string;
      try {
        id = data.save(def, fields, undefined, now).id;
      } catch (e) {
        if (!(e instanceof SfError)) throw e;
        throw new TreeFailure({ referenceId, errors: [e.itemError()] });
      }
      results.push({ referenceId, id });
      for (const c of children) save(c.records, c.object, { field: c.field, id });
    }
  };
  try {
    data.transaction(() => save(records, root.name));
  } catch (e) {
    if (!(e instanceof TreeFailure)) throw e;
    return { status: 400, body: { hasErrors: true, results: [e.result] } };
  }
  return { status: 201, body: { hasErrors: false, results } };
}

/** A nested `{records: [...]}` under a child relationship name of `type`, with the child's lookup field. */
function childOf(
  data: OrgData,
  type: string,
  key: string,
  value: unknown,
): { object: string; field: string; records: unknown[] } | undefined {
  if (value === null || typeof value !== 'object' || !Array.isArray((value as { records?: unknown }).records))
    return undefined;
  for (const o of data.allObjects())
    for (const f of o.fields.values())
      if (
        f.childRelationshipName?.toLowerCase() === key.toLowerCase() &&
        f.referenceTo.includes(data.object(type)!.name)
      )
        return { object: o.name, field: f.name, records: (value as { records: unknown[] }).records };
  throw invalid(`No such child relationship ${key} on ${type}`);
}
