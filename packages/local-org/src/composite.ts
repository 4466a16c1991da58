/**
 * The Composite resource, `POST /services/data/vXX.X/composite`: a series of subrequests run in
 * order in ONE API request (counted once against the org's limit). Documented limits: at most 25
 * subrequests, of which at most 5 may be sObject Collections or query requests. Subrequests go
 * through the same REST handlers as top-level requests, so their answers and per-record faults
 * (UNABLE_TO_LOCK_ROW in collections) are the ones a direct request gets.
 *
 * - `allOrNone: false` (default): a failed subrequest keeps its own error; later ones still run,
 *   except those that reference its result with `@{ref.field}` (400 PROCESSING_HALTED).
 * - `allOrNone: true`: it also applies to every collection subrequest; the first failure rolls
 *   everything back and every other subrequest answers 400 PROCESSING_HALTED.
 * - `collateSubrequests` is accepted; the local org always runs subrequests in the given order.
 */
import type { Request, Response } from 'express';
import { SfError } from './errors';
import type { OrgData } from './data';

export const MAX_SUBREQUESTS = 25;
export const MAX_COLLECTION_OR_QUERY = 5;

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Headers a subrequest inherits from the composite request and may not set itself. */
const INHERITED_HEADERS = ['accept', 'authorization', 'content-type'];
export const REF = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

export interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

export interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders: Record<string, string>;
}

/** Routes one request below /services/data (`parts` = decoded path segments after "data"). */
export type Dispatch = (req: Request, res: Response, parts: string[]) => void;

const bad = (message: string) => new SfError(400, 'JSON_PARSER_ERROR', message);

export const halted = (message: string): SubrequestResult['body'] => [
  { errorCode: 'PROCESSING_HALTED', message },
];

export const ROLLED_BACK =
  'The transaction was rolled back since another operation in the same transaction failed.';

/** Validates the whole body first: a malformed or over-limit request runs nothing (HTTP 400). */
function parse(input: unknown): { allOrNone: boolean; subrequests: Subrequest[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw bad('The request body must be a JSON object');
  const body = input as Record<string, unknown>;
  for (const flag of ['allOrNone', 'collateSubrequests'])
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean')
      throw bad(`'${flag}' must be a boolean.`);
  if (!Array.isArray(body.compositeRequest)) throw bad("'compositeRequest' is a required field.");
  const list = body.compositeRequest as unknown[];
  if (list.length > MAX_SUBREQUESTS) {
    throw new SfError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: a composite request may contain at most ${MAX_SUBREQUESTS} subrequests, got ${list.length}.`,
    );
  }
  const seen = new Set<string>();
  let heavy = 0;
  const subrequests = list.map((raw) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw bad('Each subrequest must be a JSON object.');
    const s = raw as Record<string, unknown>;
    for (const field of ['method', 'url', 'referenceId'])
      if (typeof s[field] !== 'string' || !s[field]) throw bad(`'${field}' is a required field.`);
    const referenceId = s.referenceId as string;
    if (!/^[A-Za-z0-9_]+$/.test(referenceId)) {
      throw bad(`Invalid referenceId '${referenceId}': use only letters, numbers and underscores ('_').`);
    }
    if (seen.has(referenceId)) throw bad(`Duplicate referenceId provided in the request: ${referenceId}`);
    seen.add(referenceId);
    const method = s.method as string;
    if (!METHODS.includes(method)) throw bad(`Invalid method '${method}': use one of ${METHODS.join(', ')}.`);
    const headers: Record<string, string> = {};
    if (s.httpHeaders !== undefined) {
      if (!s.httpHeaders || typeof s.httpHeaders !== 'object')
        throw bad("'httpHeaders' must be a JSON object.");
      for (const [k, v] of Object.entries(s.httpHeaders as Record<string, unknown>)) {
        if (INHERITED_HEADERS.includes(k.toLowerCase()))
          throw bad(
            `Subrequest ${referenceId} may not set the ${k} header; it is inherited from the composite request.`,
          );
        headers[k.toLowerCase()] = String(v);
      }
    }
    const resource = /^\/services\/data\/v\d+\.\d\/([^/?]+)(?:\/([^/?]+))?/.exec(s.url as string);
    if (
      resource &&
      (resource[1] === 'query' ||
        resource[1] === 'queryAll' ||
        (resource[1] === 'composite' && resource[2] === 'sobjects'))
    )
      heavy++;
    return { method, url: s.url as string, referenceId, body: s.body, httpHeaders: headers };
  });
  if (heavy > MAX_COLLECTION_OR_QUERY) {
    throw new SfError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: a composite request may contain at most ${MAX_COLLECTION_OR_QUERY} sObject Collections or query subrequests, got ${heavy}.`,
    );
  }
  return { allOrNone: body.allOrNone === true, subrequests };
}

/** Fills `@{ref.path}` from earlier answers; throws the PROCESSING_HALTED message when it cannot. */
export function resolveRefs(value: unknown, done: Map<string, SubrequestResult>): unknown {
  if (typeof value === 'string') {
    const lookup = (ref: string, path: string): unknown => {
      const prior = done.get(ref);
      let v: unknown = prior && prior.httpStatusCode < 400 ? prior.body : undefined;
      for (const step of path.match(/[A-Za-z0-9_]+|\d+/g) ?? [])
        v = (v as Record<string, unknown> | undefined)?.[step];
      if (v === undefined || v === null) {
        throw new Unresolved(
          `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId ('${ref}') ` +
            `must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
        );
      }
      return v;
    };
    const whole = new RegExp(`^${REF.source}$`).exec(value);
    if (whole) return lookup(whole[1], whole[2]); // keeps numbers and booleans typed
    return value.replace(REF, (_m, ref: string, path: string) => String(lookup(ref, path)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, done));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, done)]));
  return value;
}

export class Unresolved extends Error {}

class Halt extends Error {
  constructor(readonly failed: SubrequestResult) {
    super('composite rolled back');
  }
}

/** Collects what a handler answers, for the subrequest result. */
class Captured {
  statusCode = 200;
  body: unknown = null;
  headers: Record<string, string> = {};
  status(n: number) {
    this.statusCode = n;
    return this;
  }
  json(b: unknown) {
    this.body = b;
    return this;
  }
  send(b?: unknown) {
    this.body = b ?? null;
    return this;
  }
  end() {
    return this;
  }
  setHeader(k: string, v: unknown) {
    this.headers[k] = String(v);
    return this;
  }
  type() {
    return this;
  }
}

export function runOne(
  s: Subrequest,
  allOrNone: boolean,
  dispatch: Dispatch,
  data: OrgData,
): SubrequestResult {
  const url = new URL(s.url, 'http://composite.invalid');
  const m = /^\/services\/data\/(v\d+\.\d)\/(.*)$/.exec(url.pathname);
  let parts: string[] = [];
  try {
    parts = m ? [m[1], ...m[2].split('/').filter(Boolean).map(decodeURIComponent)] : [];
  } catch {
    parts = [];
  }
  // Supported in a composite: sObject resources, query / queryAll, sObject Collections.
  const supported =
    parts[1] === 'sobjects' ||
    parts[1] === 'query' ||
    parts[1] === 'queryAll' ||
    (parts[1] === 'composite' && parts[2] === 'sobjects');
  if (!supported) {
    return {
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
      httpHeaders: {},
      httpStatusCode: 404,
      referenceId: s.referenceId,
    };
  }
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  let body = s.body;
  // allOrNone on the composite overrides the collections' own flag.
  if (allOrNone && parts[1] === 'composite') {
    if (s.method === 'DELETE') query.allOrNone = 'true';
    else if (body && typeof body === 'object' && !Array.isArray(body)) body = { ...body, allOrNone: true };
  }
  const req = {
    method: s.method,
    body,
    query,
    headers: s.httpHeaders,
    path: url.pathname,
  } as unknown as Request;
  const res = new Captured();
  const point = data.savepoint();
  try {
    dispatch(req, res as unknown as Response, parts);
  } catch (e) {
    if (!(e instanceof SfError)) throw e;
    data.rollbackTo(point); // a failed subrequest leaves nothing behind
    return { body: e.body(), httpHeaders: {}, httpStatusCode: e.status, referenceId: s.referenceId };
  }
  const out = res.body as { id?: unknown } | null;
  if (res.statusCode === 201 && parts[1] === 'sobjects' && typeof out?.id === 'string')
    res.headers.Location = `/services/data/${parts[0]}/sobjects/${parts[2]}/${out.id}`;
  return {
    body: res.body,
    httpHeaders: res.headers,
    httpStatusCode: res.statusCode,
    referenceId: s.referenceId,
  };
}

const failed = (r: SubrequestResult) =>
  r.httpStatusCode >= 400 ||
  (Array.isArray(r.body) && r.body.some((i) => (i as { success?: unknown })?.success === false));

export function runComposite(
  input: unknown,
  data: OrgData,
  dispatch: Dispatch,
): { compositeResponse: SubrequestResult[] } {
  const { allOrNone, subrequests } = parse(input);
  const done = new Map<string, SubrequestResult>();
  try {
    data.transaction(() => {
      for (const s of subrequests) {
        let result: SubrequestResult;
        try {
          const resolved = { ...s, url: resolveRefs(s.url, done) as string, body: resolveRefs(s.body, done) };
          result = runOne(resolved, allOrNone, dispatch, data);
        } catch (e) {
          if (!(e instanceof Unresolved)) throw e;
          result = {
            body: halted(e.message),
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId: s.referenceId,
          };
        }
        done.set(s.referenceId, result);
        // A collection whose items failed counts as a failed subrequest here (its items report why).
        if (allOrNone && failed(result))
          throw new Halt({ ...result, httpStatusCode: Math.max(result.httpStatusCode, 400) });
      }
    });
  } catch (e) {
    if (!(e instanceof Halt)) throw e;
    return {
      compositeResponse: subrequests.map((s) =>
        s.referenceId === e.failed.referenceId
          ? e.failed
          : { body: halted(ROLLED_BACK), httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId },
      ),
    };
  }
  return { compositeResponse: subrequests.map((s) => done.get(s.referenceId)!) };
}
