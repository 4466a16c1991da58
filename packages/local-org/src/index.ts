/**
 * The local org (README.md): an HTTP server speaking the slice of the Salesforce REST and Metadata
 * SOAP APIs the middleware uses, so jsforce runs unchanged against it. A development and test
 * tool: it never pretends to be a place to keep production data.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { silentLogger, type Logger } from './logger';
import { OrgData } from './data';
import { SfError, invalidSession, notFound } from './errors';
import { ChangeEventBus } from './pubsub/changeEventBus';
import { startPubSubServer, type PubSubServer } from './pubsub/server';
import { changeOriginOf, withChangeOrigin } from './pubsub/changeOrigin';
import { hasUserPermission } from './permissions';
import { Faults, parseFaults, type FaultConfig } from './faults';
import { parseDuplicateRules, type DuplicateRule } from './duplicateRules';
import { defaultForceAppDir, readForceApp } from './forceApp';
import { identityDocument, userInfoDocument } from './identity';
import { MetadataService } from './metadataService';
import { OAuthError, Sessions, handleTokenRequest, oauthConfigFromEnv, withBasicAuth } from './oauth';
import { RestApi } from './rest';
import { Bulk2Api } from './bulk2';
import { Retrievals, retrieveAsyncResultXml, retrieveResultXml } from './retrieve';
import { SoapFault, faultXml, parseSoap, runMetadataCall, soapResponse } from './soap';
import { partnerFaultXml, runPartnerCall } from './partnerSoap';
import { SESSION_CALLS, runSessionCall } from './partnerLogin';
import { Deployments, asyncResultXml, deployResultXml } from './deploy';

export { ADMIN_USERNAME } from './data';
export type { Logger } from './logger';
export { mulberry32 } from './prng';
// The org's engine in-process, without HTTP: the middleware's InMemoryPort (unit tests of the join).
export { MetadataService } from './metadataService';
export { OrgData } from './data';
export { SfError } from './errors';
export { defaultForceAppDir, readForceApp } from './forceApp';
export { toId18 } from './ids';
export { isIdLookup, type ObjectDef } from './schema';
export { compileQuery, type Rec } from './soql';
export { resolveRefs, Unresolved, type SubrequestResult } from './composite';
// The Metadata API's length, format and required-field rules, for the project's offline check too.
export {
  customFieldLimitProblems,
  customLabelLimitProblems,
  customTabLimitProblems,
  requiredFieldGrantProblems,
} from './metadataLimits';

export interface LocalOrgOptions {
  /** 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Directory for the SQLite file; null or absent = in memory. */
  dataDir?: string | null;
  /** Initial access token; random when absent. */
  token?: string;
  /** Default <project root>/force-app. */
  forceAppDir?: string;
  /** false: standard objects only; true: everything in force-app deployed at start. */
  preload?: boolean;
  /** Default '62.0'; any vXX.X path is accepted. */
  apiVersion?: string;
  /**
   * The connected app OAuth requests must present (default: LOCAL_ORG_CLIENT_ID, LOCAL_ORG_CLIENT_SECRET,
   * LOCAL_ORG_JWT_CERT). Without them, /services/oauth2/token issues no tokens.
   */
  clientId?: string;
  clientSecret?: string;
  /** PEM certificate or public key that verifies JWT bearer assertions (RS256). */
  jwtCertificate?: string;
  /** DailyApiRequests Max (default 15000). */
  dailyApiLimit?: number;
  logger?: Logger;
  /** Serve the Pub/Sub API (Change Data Capture) on its own TLS port (default true). */
  pubsub?: boolean;
  /** 0 = a free port. */
  pubsubPort?: number;
  /** How long change events stay replayable (default 72 h, as Salesforce). */
  changeEventRetentionMs?: number;
  /** Idle Subscribe streams get an empty FetchResponse this often (default 270 s, as Salesforce). */
  pubsubKeepaliveMs?: number;
}

export interface LocalOrg {
  instanceUrl: string;
  /** The current primary token (replaced when an injected session expiry hits it). */
  accessToken: string;
  /** = instanceUrl, for OAuth flows. */
  loginUrl: string;
  port: number;
  /** host:port of the Pub/Sub API (null when disabled); TLS with the certificate below. */
  pubsubEndpoint: string | null;
  /** The Pub/Sub API's self-signed certificate (PEM): clients trust it as their CA. */
  pubsubCertPem: string | null;
  /** Where that PEM is written (<dataDir>/pubsub-cert.pem; null for an in-memory org). */
  pubsubCertFile: string | null;
  /** The org's id (the Pub/Sub tenantid header). */
  orgId: string;
  apiRequests(): number;
  resetApiRequests(): void;
  setFaults(f: Partial<FaultConfig>): void;
  /** Blocking duplicate rules for tests (README "Duplicate rules"); [] removes them. */
  setDuplicateRules(rules: DuplicateRule[]): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads and discards what is left of a request body. An answer sent before the client has finished
 * sending makes the server close the connection mid-upload, and the client sees EPIPE / "socket hang up"
 * instead of the answer. Salesforce answers a bad session with 401 INVALID_SESSION_ID (REST API Developer
 * Guide, "Status Codes and Error Responses": "The session ID or OAuth token used has expired or is
 * invalid"), which clients such as jsforce read to refresh the token and retry — so the body is read
 * first, as any HTTP server that keeps the connection does (RFC 9112, section 9.3).
 */
function drainBody(req: Request): Promise<void> {
  if (req.readableEnded || req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    req
      .on('end', resolve)
      .on('error', () => resolve())
      .on('close', resolve);
    req.resume();
  });
}

function bearer(req: Request): string | null {
  const h = req.headers.authorization ?? '';
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : null;
}

/** Request classes reported by GET /_local/requests. */
function kindOf(parts: string[], method: string): string {
  const resource = parts[1];
  if (parts.length <= 1) return 'versions';
  if (resource === 'query' || resource === 'queryAll') return parts.length > 2 ? 'queryMore' : 'query';
  if (resource === 'composite')
    return parts.length === 2 ? 'composite' : parts[2] === 'graph' ? 'graph' : `collections:${method}`;
  if (resource === 'jobs') return `bulk2:${parts[2] ?? 'jobs'}`;
  if (resource === 'sobjects')
    return parts[parts.length - 1] === 'describe' || (parts.length <= 3 && method === 'GET')
      ? 'describe'
      : `sobject:${method}`;
  return resource ?? 'other';
}

export async function startLocalOrg(opts: LocalOrgOptions = {}): Promise<LocalOrg> {
  const log = opts.logger ?? silentLogger;
  const apiVersion = opts.apiVersion ?? '62.0';
  const dailyLimit = opts.dailyApiLimit ?? 15000;
  const forceApp = readForceApp(opts.forceAppDir ?? defaultForceAppDir());
  const data = new OrgData(
    opts.dataDir ?? null,
    forceApp.customObjects.map((o) => String(o.fullName)),
  );
  const metadata = new MetadataService(data);
  const deployments = new Deployments(data, metadata);
  const retrievals = new Retrievals(data, metadata);
  if (opts.preload) {
    const results = [
      ...forceApp.customObjects.map((md) => metadata.save('CustomObject', md, 'upsert')),
      ...forceApp.customFields.map((md) => metadata.save('CustomField', md, 'upsert')),
      ...forceApp.permissionSets.map((md) => metadata.save('PermissionSet', md, 'upsert')),
    ];
    for (const r of results.filter((x) => !x.success))
      log.warn({ fullName: r.fullName, errors: r.errors }, 'local org: preload failed');
  }
  const sessions = new Sessions(data.orgId, opts.token, data.adminUserId);
  const envOAuth = oauthConfigFromEnv();
  const oauthConfig = {
    clientId: opts.clientId ?? envOAuth.clientId,
    clientSecret: opts.clientSecret ?? envOAuth.clientSecret,
    jwtCertificate: opts.jwtCertificate ?? envOAuth.jwtCertificate,
  };
  const faults = new Faults();
  let duplicateRules: DuplicateRule[] = [];
  let requests = 0;
  let byKind: Record<string, number> = {};
  const count = (kind: string) => {
    requests++;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  };

  let instanceUrl = '';
  const lockRow = () => faults.chance(faults.current.lockRowRate);
  const rest = new RestApi({
    data,
    bulk2: new Bulk2Api(data, lockRow),
    apiVersion,
    apiRequests: () => requests,
    dailyLimit,
    lockRow,
    duplicateRules: () => duplicateRules,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, _res, next) => {
    // Clients that keep the instance URL with a trailing slash (the Salesforce CLI) ask for
    // "//services/data"; Salesforce answers those as if the slash were single.
    if (req.url.startsWith('//')) req.url = req.url.replace(/^\/+/, '/');
    next();
  });
  app.use((_req, res, next) => {
    // Every response reports usage, like Salesforce's Sforce-Limit-Info header.
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
    (res as unknown as { writeHead: (...a: unknown[]) => http.ServerResponse }).writeHead = (
      ...a: unknown[]
    ) => {
      if (!res.headersSent) res.setHeader('Sforce-Limit-Info', `api-usage=${requests}/${dailyLimit}`);
      return writeHead(...a);
    };
    next();
  });

  const activeUser = (username: string) =>
    data
      .scan('User')
      .find((u) => String(u.Username).toLowerCase() === username.toLowerCase() && u.IsActive && !u.IsDeleted);

  // --- OAuth ----------------------------------------------------------------------------------
  app.post('/services/oauth2/token', express.urlencoded({ extended: false, limit: '64kb' }), (req, res) => {
    try {
      const out = handleTokenRequest(
        {
          config: oauthConfig,
          sessions,
          instanceUrl,
          adminUserId: data.adminUserId,
          userIdFor: (username) => activeUser(username)?.Id as string | undefined,
        },
        withBasicAuth((req.body ?? {}) as Record<string, string>, req.headers.authorization),
      );
      res.json(out);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      res.status(e.status).json({ error: e.error, error_description: e.description });
    }
  });

  // Identity URL (the `id` of a token response), as conn.identity() reads it.
  app.get('/id/:orgId/:userId', (req, res) => {
    const token = bearer(req) ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : null);
    if (!sessions.isValid(token)) {
      res.status(403).send('Bad_OAuth_Token');
      return;
    }
    const user = data.byId(String(req.params.userId));
    if (req.params.orgId !== data.orgId || !user || user.def.name !== 'User') {
      res.status(404).json(notFound().body());
      return;
    }
    res.json(identityDocument({ instanceUrl, orgId: data.orgId }, user.rec));
  });

  // OpenID Connect UserInfo for the token's user (the Salesforce CLI reads it after logging in).
  app.get('/services/oauth2/userinfo', (req, res) => {
    const user = data.byId(sessions.userOf(bearer(req)) ?? '');
    if (!user) {
      res.status(403).send('Bad_OAuth_Token');
      return;
    }
    res.json(userInfoDocument({ instanceUrl, orgId: data.orgId }, user.rec));
  });

  // --- local control endpoints ------------------------------------------------------------------
  const local = express.Router();
  local.use((req, res, next) => {
    if (!sessions.isValid(bearer(req))) {
      res.status(401).json(invalidSession().body());
      return;
    }
    next();
  });
  local.get('/requests', (_req, res) => {
    res.json({ apiRequests: requests, byKind });
  });
  local.post('/requests/reset', (_req, res) => {
    requests = 0;
    byKind = {};
    res.json({ apiRequests: 0, byKind });
  });
  local.get('/faults', (_req, res) => {
    res.json(faults.current);
  });
  local.put('/faults', express.json(), (req, res) => {
    try {
      faults.set(parseFaults(req.body));
    } catch (e) {
      res.status(400).json([{ errorCode: 'INVALID_FAULTS', message: (e as Error).message }]);
      return;
    }
    res.json(faults.current);
  });
  local.delete('/faults', (_req, res) => {
    faults.clear();
    res.json(faults.current);
  });
  local.get('/duplicate-rules', (_req, res) => {
    res.json({ rules: duplicateRules });
  });
  local.put('/duplicate-rules', express.json(), (req, res) => {
    try {
      duplicateRules = parseDuplicateRules(req.body);
    } catch (e) {
      res.status(400).json([{ errorCode: 'INVALID_DUPLICATE_RULES', message: (e as Error).message }]);
      return;
    }
    res.json({ rules: duplicateRules });
  });
  app.use('/_local', local);

  /** Injected faults common to REST and SOAP; returns the SfError to answer with, if any. */
  const injected = (token: string): SfError | null => {
    if (faults.takeSessionExpiry()) {
      sessions.expire(token);
      return invalidSession();
    }
    const f = faults.current;
    if (f.requestLimitExceeded)
      return new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    if (faults.chance(f.errorRate503)) {
      return new SfError(503, 'SERVER_UNAVAILABLE', 'Server is unavailable. Please try again later.');
    }
    return null;
  };

  // --- REST -------------------------------------------------------------------------------------
  app.use(
    '/services/data',
    async (req: Request, res: Response, next: NextFunction) => {
      const parts = req.path.split('/').filter(Boolean);
      count(kindOf(parts, req.method.toUpperCase()));
      if (faults.current.latencyMs) await sleep(faults.current.latencyMs);
      const token = bearer(req);
      if (!sessions.isValid(token)) {
        await drainBody(req);
        throw invalidSession();
      }
      const fault = injected(token!);
      if (fault) {
        await drainBody(req);
        throw fault;
      }
      res.locals.identity = `${instanceUrl}/id/${data.orgId}/${sessions.userOf(token)}`;
      next();
    },
    // Bulk API 2.0 uploads are CSV; everything else is JSON.
    express.text({ limit: '150mb', type: ['text/csv'] }),
    express.json({
      limit: '50mb',
      type: (req) => !/^text\/csv/i.test(String(req.headers['content-type'] ?? '')),
    }),
    (req: Request, res: Response) => {
      const refused = faults.refusedBody(req.method, req.body);
      if (refused) throw new SfError(400, refused.errorCode, refused.message);
      const parts = req.path.split('/').filter(Boolean);
      let decoded: string[];
      try {
        decoded = parts.map(decodeURIComponent);
      } catch {
        throw notFound();
      }
      // The session's user (CreatedById, …) and the API and client id a change came from (its change
      // events' changeOrigin).
      withChangeOrigin(changeOriginOf(req.originalUrl.split('?')[0], req.get('Sforce-Call-Options')), () =>
        data.asUser(sessions.userOf(bearer(req)), () => rest.handle(req, res, decoded)),
      );
    },
  );

  /** A SOAP call (Metadata or Partner) from a valid session, else Salesforce's INVALID_SESSION_ID fault. */
  const soapCall = (req: Request) => {
    const call = parseSoap(String(req.body ?? ''));
    if (!sessions.isValid(call.sessionId)) {
      throw new SoapFault(
        500,
        'sf:INVALID_SESSION_ID',
        'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
      );
    }
    return call;
  };

  // --- Partner SOAP: login() and logout() (partnerLogin.ts); the other Partner calls below -------------
  // login() is not an API request (as token requests are not); logout() is.
  app.post(
    '/services/Soap/u/:version',
    express.text({ type: () => true, limit: '50mb' }),
    (req, res, next) => {
      res.type('text/xml');
      try {
        const call = parseSoap(String(req.body ?? ''));
        if (!SESSION_CALLS.includes(call.method)) {
          next();
          return;
        }
        if (call.method !== 'login') count('soap');
        const org = data.byId(data.orgId)?.rec;
        const ctx = {
          instanceUrl,
          orgId: data.orgId,
          organizationName: String(org?.Name ?? 'Local Org'),
          activeUser,
          newSession: (userId: string) => sessions.issue(instanceUrl, userId).access_token,
          isValid: (id: string | null) => sessions.isValid(id),
          endSession: (id: string) => sessions.expire(id),
        };
        res.send(runSessionCall(ctx, call, String(req.params.version)));
      } catch (e) {
        if (!(e instanceof SoapFault)) throw e;
        res.status(e.status).send(partnerFaultXml(e));
      }
    },
  );

  // --- Metadata SOAP ------------------------------------------------------------------------------
  app.post(
    '/services/Soap/m/:version',
    express.text({ type: () => true, limit: '80mb' }), // deploy() carries the base64 zip
    async (req, res) => {
      count('metadata');
      if (faults.current.latencyMs) await sleep(faults.current.latencyMs);
      res.type('text/xml');
      try {
        const call = soapCall(req);
        const fault = injected(call.sessionId!);
        if (fault) {
          throw new SoapFault(
            fault.status === 503 ? 503 : 500,
            `sf:${fault.errorCode}`,
            `${fault.errorCode}: ${fault.errorCode === 'INVALID_SESSION_ID' ? 'Invalid Session ID found in SessionHeader: Illegal Session' : fault.message}`,
          );
        }
        if (call.method === 'deploy') {
          const state = await deployments.deploy(
            String(call.args.ZipFile ?? ''),
            (call.args.DeployOptions ?? {}) as Record<string, unknown>,
          );
          res.send(soapResponse('deploy', asyncResultXml(state)));
        } else if (call.method === 'retrieve') {
          const state = await retrievals.retrieve((call.args.request ?? {}) as Record<string, unknown>);
          res.send(soapResponse('retrieve', retrieveAsyncResultXml(state)));
        } else if (call.method === 'checkRetrieveStatus') {
          const state = retrievals.status(String(call.args.id ?? call.args.asyncProcessId ?? ''));
          if (!state)
            throw new SoapFault(500, 'sf:INVALID_ID_FIELD', 'INVALID_ID_FIELD: invalid retrieve id');
          const includeZip = String(call.args.includeZip ?? 'true') !== 'false';
          const user = sessions.userOf(call.sessionId) ?? data.adminUserId;
          res.send(soapResponse('checkRetrieveStatus', retrieveResultXml(state, includeZip, user)));
        } else if (call.method === 'checkDeployStatus') {
          const state = deployments.status(String(call.args.asyncProcessId ?? ''));
          if (!state) throw new SoapFault(500, 'sf:INVALID_ID_FIELD', 'INVALID_ID_FIELD: invalid deploy id');
          const details = String(call.args.includeDetails) === 'true';
          res.send(soapResponse('checkDeployStatus', deployResultXml(state, details)));
        } else {
          res.send(runMetadataCall(metadata, call));
        }
      } catch (e) {
        if (!(e instanceof SoapFault)) throw e;
        res.status(e.status).send(faultXml(e));
      }
    },
  );

  // --- Partner SOAP: the calls after login/logout (partnerSoap.ts: convertLead) -------------------------
  app.post(
    '/services/Soap/u/:version',
    express.text({ type: () => true, limit: '50mb' }),
    async (req, res) => {
      if (faults.current.latencyMs) await sleep(faults.current.latencyMs);
      res.type('text/xml');
      try {
        const call = soapCall(req);
        res.send(data.asUser(sessions.userOf(call.sessionId), () => runPartnerCall(data, call, Date.now())));
      } catch (e) {
        if (!(e instanceof SoapFault)) throw e;
        res.status(e.status).send(partnerFaultXml(e));
      }
    },
  );

  app.use(() => {
    throw notFound();
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SfError) {
      res.status(err.status).json(err.body());
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res
        .status(400)
        .json([
          { errorCode: 'JSON_PARSER_ERROR', message: `The request body is not valid JSON: ${e.message}` },
        ]);
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json([{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'Request body too large' }]);
      return;
    }
    const errorId = crypto.randomInt(1e9);
    log.error({ err, errorId }, 'local org: unexpected error');
    res.status(500).json([
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
      },
    ]);
  });

  const server = http.createServer(app);
  // Idle keep-alive connections stay open for a minute, not Node's 5 s: a client busy for a few seconds
  // (a test runner compiling its next file) otherwise takes a pooled socket the server has just closed
  // and sees "socket hang up" on a request the org never received. Salesforce documents no idle timeout;
  // this one is the local org's choice, longer than the gaps of a test run.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
    });
  } catch (e) {
    data.close(); // releases the data dir for a retry
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  instanceUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ instanceUrl }, 'local org listening');

  let pubsub: PubSubServer | null = null;
  if (opts.pubsub !== false) {
    const bus = new ChangeEventBus(data, { retentionMs: opts.changeEventRetentionMs });
    data.onCommit = (changes) => bus.record(changes);
    pubsub = await startPubSubServer({
      bus,
      host,
      port: opts.pubsubPort,
      certDir: opts.dataDir ?? null,
      orgId: data.orgId,
      instanceUrl: () => instanceUrl,
      isValidToken: (t) => sessions.isValid(t),
      // Change Data Capture: Task change events need View All Data (permissions.ts).
      mayReadChangeEvents: (t) => hasUserPermission(data, sessions.userOf(t) ?? '', 'ViewAllData'),
      keepaliveMs: opts.pubsubKeepaliveMs,
      log,
    }).catch((e: unknown) => {
      server.close();
      data.close();
      throw e;
    });
  }

  let closed = false;
  return {
    instanceUrl,
    get accessToken() {
      return sessions.primary;
    },
    loginUrl: instanceUrl,
    port,
    pubsubEndpoint: pubsub?.endpoint ?? null,
    pubsubCertPem: pubsub?.certPem ?? null,
    pubsubCertFile: pubsub?.certFile ?? null,
    orgId: data.orgId,
    apiRequests: () => requests,
    resetApiRequests: () => {
      requests = 0;
      byKind = {};
    },
    setFaults: (f) => faults.set(parseFaults(f)),
    setDuplicateRules: (rules) => {
      duplicateRules = parseDuplicateRules({ rules });
    },
    clearFaults: () => faults.clear(),
    close: async () => {
      if (closed) return;
      closed = true;
      await pubsub?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      data.close();
    },
  };
}
