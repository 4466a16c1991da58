import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { SecretSettings } from '../secrets';
import type { VendorSettings } from './config';
import type { Logger } from '../log';
import { callsReceived, webhooksRejected } from '../metrics';
import type { Delivery, VendorAdapter } from './adapter';
import { admitCall } from './call-door';
import { callrail } from './callrail';
import { calltrackingmetrics } from './calltrackingmetrics';
import { dialogtech } from './dialogtech';
import type { Fields } from './fields';
import { generic } from './generic';
import { invoca } from './invoca';
import {
  CALL_OUTBOX_KIND,
  PayloadError,
  type CallIntake,
  type NormalizedCall,
  type VendorName,
} from './normalized-call';
import { bareObject, isPrototypeKey, ownValue, parseJson } from '../prototype-keys';
import type { SuppressionList } from '../tracking/suppression';

export const WEBHOOK_BODY_LIMIT = '256kb';
export { CALL_OUTBOX_KIND };

export const ADAPTERS: Record<VendorName, VendorAdapter> = {
  calltrackingmetrics,
  callrail,
  invoca,
  dialogtech,
  generic,
};
/** Vendors whose requests may be plain URLs with query parameters (DialogTech Post-Call Action, templates). */
const QUERY_VENDORS = new Set<VendorName>(['dialogtech', 'generic']);

export interface WebhookRouterDeps {
  /** Where an admitted call goes: the calls pipeline (calls/pipeline.ts), durably, before the 202. */
  calls: CallIntake;
  config: VendorSettings & Pick<SecretSettings, 'vendorSecrets'>;
  logger: Logger;
  now?: () => number;
  /** Explicit opt-out for the local demo only: a vendor without a secret accepts unsigned deliveries. */
  allowUnsigned?: boolean;
  /**
   * Erased and opted-out cookies and numbers (issue 23): a call from a suppressed number or cookie is
   * written as a Task without its visitor id, so it is never joined to web sessions.
   */
  suppression?: SuppressionList;
}

/**
 * POST /webhooks/<vendor>: authenticate on the raw bytes, normalize, hand the call to the calls
 * pipeline (stored in its durable outbox), then answer 202. Salesforce is never called here: a vendor
 * retries on non-2xx, so the answer depends only on whether the call is safely stored.
 */
export function createWebhookRouter(deps: WebhookRouterDeps): express.Router {
  const log = deps.logger.child({ area: 'webhooks' });
  if (deps.allowUnsigned) warnUnsigned(deps.config, log);
  const ctx: WebhookContext = { ...deps, now: deps.now ?? Date.now, log };

  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const handle = (req: Request, res: Response): Promise<void> => handleDelivery(ctx, req, res);
  router.post('/webhooks/:vendor', raw, handle);
  router.get('/webhooks/:vendor', handle);
  router.all('/webhooks/:vendor', notPost);
  router.use('/webhooks', bodyErrors);
  return router;
}

interface WebhookContext extends WebhookRouterDeps {
  now: () => number;
  log: Logger;
}

/** A delivery refused: the status, the metric's reason label and the body the vendor sees. */
interface Rejection {
  status: number;
  reason: string;
  body: Record<string, unknown>;
}

async function handleDelivery(ctx: WebhookContext, req: Request, res: Response): Promise<void> {
  const { log } = ctx;
  const adapter = ownValue(ADAPTERS, String(req.params.vendor));
  if (!adapter) {
    webhooksRejected.inc({ vendor: 'unknown', reason: 'unknown_vendor' });
    res.status(404).json({ error: 'unknown vendor', knownVendors: Object.keys(ADAPTERS) });
    return;
  }
  const vendor = adapter.vendor;
  if (req.method === 'GET' && !QUERY_VENDORS.has(vendor)) {
    res
      .set('Allow', 'POST')
      .status(405)
      .json({ error: `${vendor} webhooks are POST requests` });
    return;
  }
  const reject = ({ status, reason, body }: Rejection): void => {
    webhooksRejected.inc({ vendor, reason });
    log.warn({ vendor, reason, status }, 'webhook rejected');
    res.status(status).json(body);
  };

  const delivery: Delivery = {
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    headers: lowerCaseHeaders(req),
    query: flatQuery(req.query),
    nowMs: ctx.now(),
  };
  const refused = authRejection(ctx, adapter, delivery);
  if (refused) return reject(refused);

  const read = readCall(ctx, adapter, delivery, req.get('content-type') ?? '');
  if (read.kind === 'rejected') return reject(read.rejection);
  if (read.kind === 'ignored') {
    log.info({ vendor, reason: read.reason }, 'webhook delivery ignored');
    res.status(200).json({ status: 'ignored', reason: read.reason });
    return;
  }
  const { call } = read;
  for (const note of read.notes) log.warn({ vendor, vendorCallId: call.vendorCallId }, note);

  try {
    await ctx.calls.accept(call, delivery.nowMs);
  } catch (err) {
    // Not stored → not acknowledged: the vendor's retry is what keeps the call.
    webhooksRejected.inc({ vendor, reason: 'store_unavailable' });
    log.error(
      { vendor, vendorCallId: call.vendorCallId, err: (err as Error).message },
      'outbox write failed',
    );
    res.status(503).json({ error: 'temporarily unable to store the call; please retry' });
    return;
  }
  callsReceived.inc({ vendor });
  log.info(
    { vendor, vendorCallId: call.vendorCallId, hasVisitorId: call.visitorId !== null },
    'call accepted into outbox',
  );
  res.status(202).json({ status: 'accepted', vendorCallId: call.vendorCallId });
}

/** Null when the delivery may go on: signed with the vendor's secret, or unsigned where the local demo allows it. */
function authRejection(ctx: WebhookContext, adapter: VendorAdapter, delivery: Delivery): Rejection | null {
  const secret = adapter.secret(ctx.config);
  if (secret) {
    const auth = adapter.authenticate(delivery, secret, ctx.config.vendors);
    if (auth.ok) return null;
    return { status: 401, reason: auth.reason, body: { error: 'unauthorized', reason: auth.message } };
  }
  if (ctx.allowUnsigned) return null;
  return {
    status: 401,
    reason: 'secret_unset',
    body: {
      error: 'unauthorized',
      reason: `${adapter.vendor} webhooks are disabled: set ${adapter.secretEnv} to this vendor's webhook secret`,
    },
  };
}

type Reading =
  | { kind: 'call'; call: NormalizedCall; notes: readonly string[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; rejection: Rejection };

/** The delivery's call, decoded, normalized by its adapter and admitted (call-door.ts) — or why not. */
function readCall(
  ctx: WebhookContext,
  adapter: VendorAdapter,
  delivery: Delivery,
  contentType: string,
): Reading {
  const invalid = (field: string, message: string): Reading => ({
    kind: 'rejected',
    rejection: { status: 400, reason: 'payload', body: { error: 'invalid payload', field, message } },
  });
  try {
    const fields = decodeFields(delivery, contentType, QUERY_VENDORS.has(adapter.vendor));
    const result = adapter.parse(fields, ctx.config.vendors);
    if (result.kind === 'ignored') return { kind: 'ignored', reason: result.reason };
    const admitted = admitCall(result.call);
    if (!admitted.ok) return invalid(admitted.field, `${admitted.field}: ${admitted.message}`);
    return {
      kind: 'call',
      call: withoutSuppressedVisitor(admitted.call, ctx.suppression),
      notes: result.notes,
    };
  } catch (err) {
    if (err instanceof PayloadError) return invalid(err.field, err.message);
    throw err;
  }
}

/** Says loudly which vendors accept unsigned deliveries (the local demo's opt-out). */
function warnUnsigned(config: WebhookRouterDeps['config'], log: Logger): void {
  const open = Object.values(ADAPTERS).filter((a) => !a.secret(config));
  if (open.length > 0) {
    log.warn(
      { vendors: open.map((a) => a.vendor) },
      'WEBHOOK AUTHENTICATION DISABLED for vendors without a secret (allowUnsigned): local demo only, never in production',
    );
  }
}

/** Any other method on a webhook URL: 404 for an unknown vendor, else 405. */
function notPost(req: Request, res: Response): void {
  if (!ownValue(ADAPTERS, String(req.params.vendor))) {
    res.status(404).json({ error: 'unknown vendor', knownVendors: Object.keys(ADAPTERS) });
    return;
  }
  res.set('Allow', 'POST').status(405).json({ error: 'webhooks are POST requests' });
}

/** A body the raw parser refused: too large (413) or unreadable (4xx), answered as JSON. */
function bodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') {
    res.status(413).json({ error: `webhook body larger than ${WEBHOOK_BODY_LIMIT}` });
    return;
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ error: 'bad request body' });
    return;
  }
  next(err);
}

function lowerCaseHeaders(req: Request): Record<string, string | undefined> {
  const out = bareObject<string | undefined>();
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v[0] : v;
  return out;
}

function flatQuery(query: unknown): Record<string, string> {
  const out = bareObject<string>();
  if (query && typeof query === 'object') {
    for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (typeof first === 'string' && !isPrototypeKey(k)) out[k] = first;
    }
  }
  return out;
}

/**
 * The delivery's fields: a JSON object, or form fields ("a=1&custom_fields[_biz_uid]=…" nests one
 * level). For URL-template vendors the query parameters count too (the body wins on a clash); the
 * `token` parameter is authentication, never data. Every object is null-prototype and prototype keys
 * are dropped (prototype-keys.ts), so no field name can reach Object.prototype.
 */
export function decodeFields(delivery: Delivery, contentType: string, includeQuery: boolean): Fields {
  const text = delivery.rawBody.toString('utf8').trim();
  let body: Fields = bareObject();
  if (text !== '') {
    if (/json/i.test(contentType) || text.startsWith('{') || text.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = parseJson(text);
      } catch {
        throw new PayloadError('body', 'is not valid JSON');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new PayloadError('body', 'must be a JSON object (one call per delivery)');
      }
      body = parsed as Fields;
    } else {
      body = formFields(new URLSearchParams(text));
    }
  }
  if (!includeQuery) return body;
  const query = new URLSearchParams(Object.entries(delivery.query));
  query.delete('token');
  return Object.assign(formFields(query), body);
}

function formFields(params: URLSearchParams): Fields {
  const out: Fields = bareObject();
  for (const [key, value] of params) {
    if (isPrototypeKey(key)) continue;
    const nested = /^([^[\]]+)\[([^[\]]+)\]$/.exec(key);
    if (nested) {
      const parent = (out[nested[1]] ??= bareObject()) as Fields;
      if (typeof parent === 'object') parent[nested[2]] = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The call without its visitor id when its number or cookie is suppressed, marked `noConsent` when its
 * cookie is (R8, R23: its Task says so) and `suppressed` when its number is (the calls pipeline then leaves its Task to the vendor's fields: R24,
 * docs/privacy.md).
 */
function withoutSuppressedVisitor(
  call: NormalizedCall,
  suppression: SuppressionList | undefined,
): NormalizedCall {
  if (!suppression) return call;
  if (suppression.has('phone', call.callerNumber)) return { ...call, visitorId: null, suppressed: true };
  return suppression.has('cookie', call.visitorId) ? { ...call, visitorId: null, noConsent: true } : call;
}
