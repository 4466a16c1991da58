/**
 * The Composite Graph resource, `POST /services/data/vXX.X/composite/graph` (REST API Developer
 * Guide, "Composite Graph": https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_graph.htm).
 * The whole request counts as ONE API request. Each graph is a transaction of its own: all its
 * nodes are written or none (a failing node rolls its graph back; the other graphs are unaffected).
 *
 * Enforced as documented ("Composite Graph Limits":
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_graph_limits.htm):
 * at most 75 graphs and 500 nodes per payload, 500 nodes per graph, at most 15 different node
 * types (API version × HTTP method × object) per payload, and after 14 failed graphs the remaining
 * graphs are not processed (PROCESSING_HALTED). Only the URLs the guide lists are accepted
 * ("Using Composite Graphs": sobjects/{object} POST; sobjects/{object}/{id} GET, PATCH, DELETE;
 * sobjects/{object}/{field}/{externalId} GET, PATCH, POST, DELETE) — no queries, no collections.
 * Row-lock fault injection applies per writing node, like per collection item elsewhere.
 */
import type { OrgData } from './data';
import { SfError } from './errors';
import {
  METHODS,
  REF,
  ROLLED_BACK,
  halted,
  resolveRefs,
  runOne,
  Unresolved,
  type Dispatch,
  type Subrequest,
  type SubrequestResult,
} from './composite';

export const MAX_GRAPHS = 75;
export const MAX_NODES = 500;
export const MAX_NODE_TYPES = 15;
export const MAX_GRAPH_FAILURES = 14;

interface Graph {
  graphId: string;
  nodes: Subrequest[];
}

export interface GraphResult {
  graphId: string;
  graphResponse: { compositeResponse: SubrequestResult[] };
  isSuccessful: boolean;
}

const bad = (message: string) => new SfError(400, 'INVALID_INPUT', message);

const NODE_URL = /^\/services\/data\/(v\d+\.\d)\/sobjects\/([A-Za-z0-9_]+)(?:\/([^/?]+))?(?:\/([^/?]+))?\/?$/;

/** The node type the 15-type limit counts, or the reason the URL/method is not allowed in a graph. */
function nodeType(method: string, url: string): string {
  // A reference in the URL (an Id from an earlier node) stands for one path segment.
  const m = NODE_URL.exec(url.replace(REF, 'ref'));
  const allowed = !m
    ? []
    : m[4] !== undefined
      ? ['DELETE', 'GET', 'PATCH', 'POST'] // by external id
      : m[3] !== undefined
        ? ['DELETE', 'GET', 'PATCH'] // by Id
        : ['POST'];
  if (!m || !allowed.includes(method))
    throw bad(
      `${method} ${url} is not supported in a composite graph: only sObject and sObject-by-external-id resources are.`,
    );
  return `${m[1]} ${method} ${m[2].toLowerCase()}`;
}

function parse(input: unknown): Graph[] {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw bad('The request body must be a JSON object');
  const list = (input as { graphs?: unknown }).graphs;
  if (!Array.isArray(list) || list.length === 0) throw bad("'graphs' is a required field.");
  if (list.length > MAX_GRAPHS)
    throw new SfError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: at most ${MAX_GRAPHS} graphs per request, got ${list.length}.`,
    );
  const ids = new Set<string>();
  const types = new Set<string>();
  let nodes = 0;
  const graphs = list.map((raw) => {
    const g = (raw ?? {}) as { graphId?: unknown; compositeRequest?: unknown };
    const graphId = g.graphId;
    if (typeof graphId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_]{0,39}$/.test(graphId))
      throw bad(
        `Invalid graphId '${String(graphId)}': start with a letter or number, use letters, numbers and '_', at most 40 characters.`,
      );
    if (ids.has(graphId)) throw bad(`Duplicate graphId: ${graphId}`);
    ids.add(graphId);
    if (!Array.isArray(g.compositeRequest) || g.compositeRequest.length === 0)
      throw bad(`Graph ${graphId}: 'compositeRequest' is a required field.`);
    const refs = new Set<string>();
    const subs = g.compositeRequest.map((n: unknown): Subrequest => {
      const s = (n ?? {}) as Record<string, unknown>;
      for (const field of ['method', 'url', 'referenceId'])
        if (typeof s[field] !== 'string' || !s[field])
          throw bad(`Graph ${graphId}: '${field}' is a required field.`);
      const referenceId = s.referenceId as string;
      if (!/^[A-Za-z0-9_]+$/.test(referenceId) || refs.has(referenceId))
        throw bad(`Graph ${graphId}: invalid or duplicate referenceId '${referenceId}'.`);
      refs.add(referenceId);
      const method = s.method as string;
      if (!METHODS.includes(method)) throw bad(`Invalid method '${method}'.`);
      types.add(nodeType(method, s.url as string));
      return { method, url: s.url as string, referenceId, body: s.body, httpHeaders: {} };
    });
    nodes += subs.length;
    return { graphId, nodes: subs };
  });
  if (nodes > MAX_NODES)
    throw new SfError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: at most ${MAX_NODES} nodes per request, got ${nodes}.`,
    );
  if (types.size > MAX_NODE_TYPES)
    throw new SfError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: at most ${MAX_NODE_TYPES} different nodes (version, method, object) per request, got ${types.size}.`,
    );
  return graphs;
}

class GraphFailed extends Error {
  constructor(
    readonly at: number,
    readonly result: SubrequestResult,
  ) {
    super('graph rolled back');
  }
}

const haltedNode = (s: Subrequest, message: string): SubrequestResult => ({
  body: halted(message),
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId: s.referenceId,
});

function runGraph(g: Graph, data: OrgData, dispatch: Dispatch, lockRow: () => boolean): GraphResult {
  const done = new Map<string, SubrequestResult>();
  try {
    data.transaction(() => {
      g.nodes.forEach((s, i) => {
        let result: SubrequestResult;
        if (s.method !== 'GET' && lockRow()) {
          result = {
            body: [
              {
                errorCode: 'UNABLE_TO_LOCK_ROW',
                message: 'unable to obtain exclusive access to this record',
              },
            ],
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId: s.referenceId,
          };
        } else {
          try {
            const resolved = {
              ...s,
              url: resolveRefs(s.url, done) as string,
              body: resolveRefs(s.body, done),
            };
            result = runOne(resolved, false, dispatch, data);
          } catch (e) {
            if (!(e instanceof Unresolved)) throw e;
            result = haltedNode(s, e.message);
          }
        }
        done.set(s.referenceId, result);
        if (result.httpStatusCode >= 400) throw new GraphFailed(i, result);
      });
    });
  } catch (e) {
    if (!(e instanceof GraphFailed)) throw e;
    return {
      graphId: g.graphId,
      isSuccessful: false,
      graphResponse: {
        compositeResponse: g.nodes.map((s, i) => (i === e.at ? e.result : haltedNode(s, ROLLED_BACK))),
      },
    };
  }
  return {
    graphId: g.graphId,
    isSuccessful: true,
    graphResponse: { compositeResponse: g.nodes.map((s) => done.get(s.referenceId)!) },
  };
}

export function runCompositeGraph(
  input: unknown,
  data: OrgData,
  dispatch: Dispatch,
  lockRow: () => boolean,
): { graphs: GraphResult[] } {
  const graphs = parse(input);
  let failures = 0;
  return {
    graphs: graphs.map((g) => {
      if (failures >= MAX_GRAPH_FAILURES)
        return {
          graphId: g.graphId,
          isSuccessful: false,
          graphResponse: {
            compositeResponse: g.nodes.map((s) =>
              haltedNode(
                s,
                `Processing halted: more than ${MAX_GRAPH_FAILURES} graphs of this request failed.`,
              ),
            ),
          },
        };
      const r = runGraph(g, data, dispatch, lockRow);
      if (!r.isSuccessful) failures++;
      return r;
    }),
  };
}
