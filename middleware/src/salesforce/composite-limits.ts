import type { CreateAndQuery, GraphRequest } from './port';

/**
 * How requests are cut to Salesforce's Composite limits, the same for every port implementation:
 * sObject Collections take 200 records, a Composite request at most 5 collection or query
 * subrequests (of 25) ("Composite", REST API Developer Guide:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm),
 * a Composite Graph request at most 75 graphs and 500 nodes ("Composite Graph Limits":
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_graph_limits.htm).
 */
export const COLLECTION_SIZE = 200;
export const COMPOSITE_COLLECTIONS = 5;
export const GRAPHS_PER_REQUEST = 75;
export const GRAPH_NODES_PER_REQUEST = 500;

/** Collection and query subrequests a createAndQuery takes; throws past the Composite limit. */
export function createAndQuerySubrequests(req: CreateAndQuery): number {
  const n = Math.ceil((req.create?.length ?? 0) / COLLECTION_SIZE) + req.queries.length;
  if (n > COMPOSITE_COLLECTIONS)
    throw new Error(
      `at most ${COMPOSITE_COLLECTIONS} collection or query subrequests per composite request, got ${n}`,
    );
  return n;
}

/** Graphs in request-sized groups (75 graphs, 500 nodes). */
export function graphChunks(graphs: readonly GraphRequest[]): GraphRequest[][] {
  const out: GraphRequest[][] = [];
  let cur: GraphRequest[] = [];
  let nodes = 0;
  for (const g of graphs) {
    if (
      cur.length &&
      (cur.length === GRAPHS_PER_REQUEST || nodes + g.nodes.length > GRAPH_NODES_PER_REQUEST)
    ) {
      out.push(cur);
      cur = [];
      nodes = 0;
    }
    cur.push(g);
    nodes += g.nodes.length;
  }
  if (cur.length) out.push(cur);
  return out;
}
