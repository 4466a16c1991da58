import net from 'node:net';
import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';
import { hasBearer } from '../tracking/admin';
import { appPage, html } from '../web/html';
import { wantsHtml } from './negotiate';
import { describeClientAddressing } from './proxy-warning';
import { SESSION_COOKIE, validSession } from './session-cookie';

/**
 * Who may reach what (docs/security.md "Who can reach what"). Decided once at start-up from the
 * org mode and the listening address; the middlewares below enforce it per request.
 */
export interface Exposure {
  /** The listening address is a loopback one: only this machine can connect. */
  loopback: boolean;
  /** Pages with org data need a signed-in person: a real org, or any HOST beyond loopback. */
  signInRequired: boolean;
  /** /metrics needs METRICS_TOKEN: when it is set, and always with a real org or an opened HOST. */
  metricsTokenRequired: boolean;
  /** Host header names answered (DNS rebinding guard); null = any (opened HOST, no PUBLIC_HOSTNAMES). */
  allowedHosts: string[] | null;
}

export function isLoopbackAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

const LOOPBACK_HOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export function exposureOf(config: Config, local: boolean, host: string): Exposure {
  const loopback = isLoopbackAddress(host);
  const open = !local || !loopback;
  const own = net.isIPv6(host) ? `[${host.toLowerCase()}]` : host.toLowerCase();
  return {
    loopback,
    signInRequired: open,
    metricsTokenRequired: open || config.metricsToken !== null,
    allowedHosts:
      loopback || config.publicHostnames.length
        ? [...new Set([...LOOPBACK_HOST_NAMES, ...(loopback ? [own] : []), ...config.publicHostnames])]
        : null,
  };
}

/** The start-up lines that say what is reachable from where (no secrets). */
export function describeExposure(e: Exposure, config: Config, address: string, local: boolean): string[] {
  const reach = e.loopback
    ? 'reachable from this machine only'
    : 'reachable from the network: tracking, webhooks, /healthz, sign-in';
  const pages = !e.signInRequired
    ? 'pages open without sign-in (local org on loopback)'
    : config.adminToken
      ? 'pages need sign-in with ADMIN_TOKEN'
      : 'pages refused: set ADMIN_TOKEN to sign in';
  const metrics = !e.metricsTokenRequired
    ? '/metrics open'
    : config.metricsToken
      ? '/metrics needs METRICS_TOKEN'
      : '/metrics refused: set METRICS_TOKEN';
  const hosts = e.allowedHosts
    ? `Host names answered: ${e.allowedHosts.join(', ')}`
    : 'any Host name answered';
  const lines = [
    `exposure: listening on ${address} — ${reach}`,
    `          ${pages}; ${metrics}; ${hosts}`,
    ...describeClientAddressing(config),
  ];
  if (local && !e.loopback)
    lines.push('          (HOST opens the embedded local org demo to the network: sign-in is required)');
  return lines;
}

/** The Host header's name without port, lower case; IPv6 literals keep their brackets. */
function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(header.trim().toLowerCase());
  return m ? m[1].replace(/\.$/, '') : null;
}

/**
 * DNS rebinding guard: a page of evil.example whose name was re-pointed at 127.0.0.1 sends
 * `Host: evil.example`; only the names we serve are answered (421 Misdirected Request otherwise).
 */
export function hostCheck(allowed: string[] | null) {
  const names = new Set(allowed ?? []);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!allowed) return next();
    const name = hostName(req.headers.host);
    if (name && names.has(name)) return next();
    res
      .status(421)
      .type('text/plain')
      .send(
        `This server does not answer for host "${String(req.headers.host ?? '').slice(0, 100)}": it serves ` +
          `${allowed.join(', ')}. To serve another name, add it to PUBLIC_HOSTNAMES.`,
      );
  };
}

/** A valid session cookie or `Authorization: Bearer <ADMIN_TOKEN>`. */
export function isSignedIn(req: Request, adminToken: string | null, now: number): boolean {
  if (!adminToken) return false;
  const cookie = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
  return validSession(adminToken, cookie, now) || hasBearer(req, adminToken);
}

/** Only a local path (`/tasks/…`), never another site (`//evil`, `/\evil`, `https:`): no open redirect. */
export function localPath(value: unknown, fallback = '/tasks'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\\\s]*$/.test(value) && value.length <= 2000
    ? value
    : fallback;
}

function refuse(req: Request, res: Response, status: number, message: string): void {
  res.set('cache-control', 'no-store');
  if (wantsHtml(req))
    res
      .status(status)
      .type('html')
      .send(
        appPage({
          title: 'Sign-in required',
          body: html`<h1>Sign-in required</h1>
            <p class="error">${message}</p>`,
        }),
      );
  else res.status(status).json({ error: message });
}

/** Guards the pages that show org data: redirect browsers to /login, 401 for API clients; no data. */
export function requireSignIn(e: Exposure, adminToken: string | null, now: () => number = Date.now) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!e.signInRequired) return next();
    if (isSignedIn(req, adminToken, now())) {
      res.locals.signedIn = true; // the pages offer "Sign out"
      return next();
    }
    // Nothing presented (a browser that is not signed in) is not a wrong token: not a failed authentication.
    if (!req.headers.authorization && !req.headers.cookie?.includes(SESSION_COOKIE))
      res.locals.noCredential = true;
    if (!adminToken)
      return refuse(
        req,
        res,
        401,
        'These pages show Salesforce data: set ADMIN_TOKEN on the server to use the pages.',
      );
    // A browser navigating (its Accept names text/html) is sent to the form; curl and fetch get 401.
    if (wantsHtml(req) && (req.get('accept') ?? '').includes('text/html')) {
      res.set('cache-control', 'no-store');
      return void res.redirect(303, `/login?next=${encodeURIComponent(localPath(req.originalUrl))}`);
    }
    res.set('WWW-Authenticate', 'Bearer realm="call-touchpoints"');
    refuse(
      req,
      res,
      401,
      'sign in first: open /login in a browser, or send Authorization: Bearer <ADMIN_TOKEN>',
    );
  };
}

/** /metrics: Bearer METRICS_TOKEN where the exposure asks for it. */
export function requireMetricsToken(e: Exposure, metricsToken: string | null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!e.metricsTokenRequired) return next();
    if (metricsToken && hasBearer(req, metricsToken)) return next();
    if (!req.headers.authorization) res.locals.noCredential = true;
    res.set('WWW-Authenticate', 'Bearer realm="call-touchpoints metrics"');
    res.status(401).json({
      error: metricsToken
        ? 'missing or wrong bearer token: send Authorization: Bearer <METRICS_TOKEN>'
        : '/metrics is refused on this server: set METRICS_TOKEN and send Authorization: Bearer <METRICS_TOKEN>',
    });
  };
}
