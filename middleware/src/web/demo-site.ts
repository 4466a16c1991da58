import crypto from 'node:crypto';
import { ownValue, safeReviver } from '../prototype-keys';
import express, { Router, type Request } from 'express';
import { parse as parseCookie } from 'cookie';
import type { Logger } from '../log';
import { automatedVisitors } from '../store/automated';
import type { EventStore, KeyValueState, Store } from '../store/types';
import { VISITOR_ID } from '../tracking/cookie';
import { hmacSha1Base64 } from '../vendors/signatures';
import { DEMO_JS, SITE_CSS } from './assets';
import { html, htmlDocument, type Html } from './html';

/**
 * The demo: "Northwind Plumbing", a small business website carrying the tracking snippet, plus a
 * launcher page with links that arrive as different channels and a mock search-results page.
 *
 * The "simulate a call" helper is local-only: it is mounted only when the org is the embedded local
 * org, and it posts a properly SIGNED CallRail webhook (Base64 HMAC-SHA1 of the raw body, docs/vendors.md)
 * to this server's own /webhooks/callrail — the same path a real vendor delivery takes.
 */

export const DEMO_PHONE_DISPLAY = '(555) 010-4477';
export const DEMO_TRACKING_NUMBER = '+15550104477';
const SITE_STYLESHEET = '/demo/static/site.css';

export interface SimulateCallDeps {
  store: Store;
  /** Signing key the server's CallRail webhook verifies with (a per-process demo secret). */
  callrailSigningKey: string;
  /** Absolute URL of this server's CallRail webhook (known once the server listens). */
  webhookUrl: () => string;
  logger: Logger;
  now?: () => number;
}

export interface DemoSiteDeps {
  /** Present only when the org is the embedded local org. */
  simulateCall: SimulateCallDeps | null;
}

/** Arrival links on the launcher: each one lands as a different channel (R12 default sheet). */
export const ARRIVALS = {
  googleAds:
    '/demo/site/?gclid=demo-Cj0KCQiA-spring&utm_source=google&utm_medium=cpc&utm_campaign=Spring%20Promo&utm_content=plumber-ad-1&utm_term=emergency%20plumber',
  organicSearch: '/demo/search?q=plumber+near+me',
  organicResult: '/demo/site/?utm_source=google&utm_medium=organic',
  email: '/demo/site/services?utm_source=newsletter&utm_medium=email&utm_campaign=November%20Newsletter',
  direct: '/demo/site/',
} as const;

const SITE_PAGES: Record<string, { title: string; body: () => Html }> = {
  '': {
    title: 'Home',
    body: () =>
      html`<section class="hero">
          <h1>Fast, friendly plumbing in Northwind.</h1>
          <p>Leaks, clogs, water heaters and bathroom remodels. Licensed and insured since 1998.</p>
          <p>
            Call us: <strong>${DEMO_PHONE_DISPLAY}</strong> — or
            <a class="button" href="/demo/site/contact">request a visit</a>
          </p>
        </section>
        <div class="content">
          <div class="cards">
            <div class="card">
              <h3>Emergency repairs</h3>
              <p>Burst pipe at 2 a.m.? We answer day and night.</p>
              <a href="/demo/site/services">Our services →</a>
            </div>
            <div class="card">
              <h3>Honest prices</h3>
              <p>Flat call-out fee, written quote before we start.</p>
              <a href="/demo/site/pricing">See pricing →</a>
            </div>
            <div class="card">
              <h3>Spring Promo</h3>
              <p>15% off water-heater service until May 31.</p>
              <a href="/demo/site/contact">Book now →</a>
            </div>
          </div>
        </div>`,
  },
  services: {
    title: 'Services',
    body: () =>
      html`<div class="content">
        <h1>Services</h1>
        <div class="cards">
          <div class="card">
            <h3>Leak detection</h3>
            <p>Acoustic and thermal detection without tearing walls open.</p>
          </div>
          <div class="card">
            <h3>Drain cleaning</h3>
            <p>Hydro-jetting for kitchens, bathrooms and main lines.</p>
          </div>
          <div class="card">
            <h3>Water heaters</h3>
            <p>Repair and replacement, tank and tankless.</p>
          </div>
          <div class="card">
            <h3>Remodels</h3>
            <p>Bathrooms and kitchens, from plan to final inspection.</p>
          </div>
        </div>
        <p><a href="/demo/site/pricing">Pricing →</a></p>
      </div>`,
  },
  pricing: {
    title: 'Pricing',
    body: () =>
      html`<div class="content">
        <h1>Pricing</h1>
        <div class="cards">
          <div class="card">
            <h3>Call-out</h3>
            <p class="price">$89</p>
            <p>Includes the first 30 minutes.</p>
          </div>
          <div class="card">
            <h3>Drain cleaning</h3>
            <p class="price">from $149</p>
            <p>Most clogs cleared in one visit.</p>
          </div>
          <div class="card">
            <h3>Water heater service</h3>
            <p class="price">$199</p>
            <p>15% off with Spring Promo.</p>
          </div>
        </div>
        <p>
          Questions? Call <strong>${DEMO_PHONE_DISPLAY}</strong> or
          <a href="/demo/site/contact">write to us</a>.
        </p>
      </div>`,
  },
  contact: {
    title: 'Contact',
    body: () =>
      html`<div class="content">
        <h1>Request a visit</h1>
        <form class="contact" method="post" action="/demo/site/contact">
          <label for="name">Name</label><input id="name" name="name" autocomplete="name" />
          <label for="email">Email</label
          ><input id="email" name="email" type="email" autocomplete="email" required />
          <label for="message">What can we help with?</label
          ><textarea id="message" name="message" rows="4"></textarea>
          <p><button type="submit">Send request</button></p>
        </form>
      </div>`,
  },
};

function sitePage(title: string, body: Html, deps: DemoSiteDeps): string {
  const tools = deps.simulateCall
    ? html`<aside class="demo-tools" aria-label="Demo tools">
          <h2>Demo only — local-only helper</h2>
          <p>
            This box is not part of the business website. It exists only because this server runs with the
            embedded <strong>local org</strong>; it is not mounted when a real Salesforce org is connected. It
            stands in for a call-tracking vendor: the server builds a CallRail call webhook for
            <em>your</em> visitor cookie (<code>_biz_uid</code>), signs it with this process's demo signing
            key and posts it to <code>/webhooks/callrail</code>, exactly like CallRail would after you called
            ${DEMO_PHONE_DISPLAY}.
          </p>
          <button type="button" data-simulate-call>Simulate a call now</button>
          <button type="button" class="secondary" data-simulate-call data-minutes-after-last-view="45">
            Simulate a call 45 minutes after my last page view
          </button>
          <p class="demo-status" data-demo-status role="status"></p>
        </aside>
        <script src="/demo/static/demo.js" defer></script>`
    : html`<aside class="demo-tools">
        <h2>Demo</h2>
        <p>
          The “simulate a call” helper is only available with the embedded local org (no Salesforce org
          configured). Call tracking through a real vendor works as configured.
        </p>
      </aside>`;
  return htmlDocument({
    title: `${title} · Northwind Plumbing`,
    stylesheet: SITE_STYLESHEET,
    // The tracking snippet, as a customer's website carries it.
    head: html`<script src="/t.js" async></script>`,
    body: html`<header class="site-header">
        <a class="logo" href="/demo/site/">Northwind Plumbing</a>
        <nav aria-label="Site">
          <a href="/demo/site/">Home</a><a href="/demo/site/services">Services</a
          ><a href="/demo/site/pricing">Pricing</a><a href="/demo/site/contact">Contact</a>
        </nav>
        <span class="phone">☎ ${DEMO_PHONE_DISPLAY}</span>
      </header>
      <main>${body}</main>
      ${tools}
      <footer>
        Northwind Plumbing is a made-up business for the Call Touchpoints demo.
        <a href="/demo/">Demo start page</a> · <a href="/tasks">Calls</a>
      </footer>`,
  });
}

function launcher(deps: DemoSiteDeps): string {
  return htmlDocument({
    title: 'Call Touchpoints demo',
    stylesheet: SITE_STYLESHEET,
    body: html`<div class="launcher">
      <h1>Call Touchpoints demo</h1>
      <p>
        Visit <strong>Northwind Plumbing</strong>, a small business website that carries the tracking snippet
        (<code>&lt;script src="/t.js" async&gt;</code>). Pick how you arrive — each link lands as a different
        marketing channel — browse a page or two, then simulate a phone call and watch the call Task get its
        touchpoint.
      </p>
      <ul>
        <li>
          <a id="arrive-google-ads" href="${ARRIVALS.googleAds}">Arrive from a Google Ads click</a> —
          <code>gclid</code> +
          <code>utm_source=google&amp;utm_medium=cpc&amp;utm_campaign=Spring Promo</code> → Paid Search
        </li>
        <li>
          <a id="arrive-organic" href="${ARRIVALS.organicSearch}">Arrive from an organic search result</a>
          — through a mock search-results page (see the note there) → Organic Search
        </li>
        <li>
          <a id="arrive-email" href="${ARRIVALS.email}">Arrive from the November newsletter</a> —
          <code>utm_medium=email</code> → Email
        </li>
        <li><a id="arrive-direct" href="${ARRIVALS.direct}">Type the address (direct)</a> → Direct</li>
      </ul>
      <p>
        ${deps.simulateCall ? 'Each site page shows a clearly marked demo box with the “simulate a call” buttons (local org only).' : 'The “simulate a call” helper is off: this server is connected to a real Salesforce org.'}
      </p>
      <p>
        Then: <a href="/tasks">recent calls and their join status</a> ·
        <a href="/reports/calls-by-channel">calls by channel report</a>
      </p>
      <p class="note">
        To start over as a new visitor, open the demo in a private window (the visitor id lives in the
        <code>_biz_uid</code> cookie).
      </p>
    </div>`,
  });
}

function searchPage(q: string): string {
  return htmlDocument({
    title: `${q} - Search`,
    stylesheet: SITE_STYLESHEET,
    body: html`<div class="serp">
      <p class="note">
        <strong>A mock search-results page.</strong> A real organic search visit is recognised by its referrer
        (<code>www.google.com</code>), but this page is served by the demo server itself, so the browser would
        report the demo's own host as the referrer — and the tracking snippet never fakes a referrer. So the
        result link is tagged the way many sites tag their Google Business Profile links:
        <code>utm_source=google&amp;utm_medium=organic</code>, which the default channel sheet classifies as
        Organic Search.
      </p>
      <form action="/demo/search">
        <input name="q" value="${q}" aria-label="Search" /> <button>Search</button>
      </form>
      <div class="result">
        <div class="url">northwind-plumbing.example › plumbing</div>
        <a id="organic-result" href="${ARRIVALS.organicResult}"
          >Northwind Plumbing — Fast, friendly plumbing in Northwind</a
        >
        <p>Leaks, clogs, water heaters. Licensed and insured since 1998. Call ${DEMO_PHONE_DISPLAY}.</p>
      </div>
      <div class="result">
        <div class="url">example.org › directory</div>
        <span>Plumbers near you — a directory (not a link in this demo)</span>
      </div>
    </div>`,
  });
}

/** A CallRail post-call webhook body (the fields docs/vendors.md lists), carrying the visitor cookie. */
export function callRailPayload(call: {
  id: string;
  visitorId: string;
  startedAt: Date;
  durationSeconds: number;
}) {
  return {
    id: call.id,
    start_time: call.startedAt.toISOString(),
    duration: String(call.durationSeconds),
    direction: 'inbound',
    answered: true,
    customer_phone_number:
      '+15550109' +
      call.id
        .slice(-3)
        .replace(/[^0-9]/g, '0')
        .padStart(3, '0'),
    tracking_phone_number: DEMO_TRACKING_NUMBER,
    source_name: 'Website',
    custom: { _biz_uid: call.visitorId },
  };
}

/** Signs and posts one CallRail webhook; resolves with the HTTP status and body text. */
export async function postSignedCallRail(url: string, signingKey: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Signature: hmacSha1Base64(signingKey, body) },
    body,
  });
  return { status: res.status, text: await res.text() };
}

function visitorOf(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const id = parseCookie(header)._biz_uid;
  return id && VISITOR_ID.test(id) ? id : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The visitor's last recorded activity; waits briefly for the snippet's batch to arrive. */
async function lastActivity(
  store: Pick<EventStore, 'sessionsForVisitor'>,
  visitorId: string,
  waitMs: number,
): Promise<number | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const sessions = await store.sessionsForVisitor(visitorId);
    if (sessions.length) return Math.max(...sessions.map((s) => s.lastActivityAt));
    if (Date.now() >= deadline) return null;
    await sleep(200);
  }
}

/** What the demo says when the tracking's bot filter dropped this visitor's page views (docs/tracking.md). */
export const AUTOMATED_VISITOR =
  "this visitor's page views were dropped as automated traffic: the browser's user agent says it is " +
  'headless or a bot (Chromium sends HeadlessChrome with sendBeacon even when a test sets another user ' +
  'agent). Browse with a regular browser, launch Chromium with --user-agent=…, or set ' +
  'TRACKING_BOT_FILTER=off on the server for tests with automated browsers.';

async function isAutomated(store: KeyValueState, visitorId: string): Promise<boolean> {
  return (await automatedVisitors(store, [visitorId])).size > 0;
}

export function createDemoRouter(deps: DemoSiteDeps): Router {
  const router = Router();
  // Routes are not strict: '/demo' also answers '/demo/' (and '/demo/site' '/demo/site/').
  router.get('/demo', (_req, res) => void res.type('html').send(launcher(deps)));
  router.get('/demo/search', (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : 'plumber near me';
    res.type('html').send(searchPage(q));
  });
  router.get(SITE_STYLESHEET, (_req, res) => void res.type('css').send(SITE_CSS));
  router.get('/demo/static/demo.js', (_req, res) => void res.type('js').send(DEMO_JS));
  router.get('/demo/site/:page', (req, res, next) => {
    const page = ownValue(SITE_PAGES, String(req.params.page));
    if (!page) return next();
    res.type('html').send(sitePage(page.title, page.body(), deps));
  });
  router.get(
    '/demo/site',
    (_req, res) => void res.type('html').send(sitePage('Home', SITE_PAGES[''].body(), deps)),
  );
  router.post('/demo/site/contact', (_req, res) => {
    res.type('html').send(
      sitePage(
        'Thank you',
        html`<div class="content">
          <h1>Thank you!</h1>
          <p>
            We will get back to you within one business day. In a hurry? Call
            <strong>${DEMO_PHONE_DISPLAY}</strong>.
          </p>
        </div>`,
        deps,
      ),
    );
  });

  const sim = deps.simulateCall;
  if (sim)
    router.post(
      '/demo/api/simulate-call',
      express.json({ limit: '4kb', reviver: safeReviver }),
      simulateCallHandler(sim),
    );
  return router;
}

/** POST /demo/api/simulate-call: a signed CallRail webhook for this browser's visitor. */
function simulateCallHandler(sim: SimulateCallDeps): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const visitorId = visitorOf(req);
      if (!visitorId) {
        res.status(409).json({
          error:
            'no _biz_uid cookie yet: open a page of the demo site first (and allow the tracking snippet to run)',
        });
        return;
      }
      const startedAt = await simulatedCallStart(sim, visitorId, req.body, res);
      if (startedAt === null) return;
      // The call is still placed (it becomes a standalone touchpoint), but the user hears why first.
      const warning = (await isAutomated(sim.store, visitorId)) ? AUTOMATED_VISITOR : undefined;
      const id = 'CALDEMO' + crypto.randomBytes(8).toString('hex');
      const payload = callRailPayload({ id, visitorId, startedAt, durationSeconds: 95 });
      const delivery = await postSignedCallRail(sim.webhookUrl(), sim.callrailSigningKey, payload);
      if (delivery.status >= 300) {
        sim.logger.warn({ status: delivery.status }, 'demo call webhook was not accepted');
        res.status(502).json({
          error: `the CallRail webhook answered HTTP ${delivery.status}: ${delivery.text.slice(0, 200)}`,
        });
        return;
      }
      res.json({
        vendorCallId: id,
        startedAt: startedAt.toISOString(),
        taskUrl: `/tasks/by-call/callrail/${encodeURIComponent(id)}`,
        warning,
      });
    } catch (err) {
      next(err);
    }
  };
}

/**
 * When the simulated call starts: `startedAt`, or `minutesAfterLastActivity` after the visitor's
 * last page view, or now. Null once a 4xx naming the problem has been sent.
 */
async function simulatedCallStart(
  sim: SimulateCallDeps,
  visitorId: string,
  requestBody: unknown,
  res: express.Response,
): Promise<Date | null> {
  const body = (requestBody ?? {}) as { minutesAfterLastActivity?: unknown; startedAt?: unknown };
  const now = (sim.now ?? Date.now)();
  let startedAt = new Date(now);
  if (body.startedAt !== undefined) {
    const ms = typeof body.startedAt === 'string' ? Date.parse(body.startedAt) : NaN;
    if (!Number.isFinite(ms) || !/(Z|[+-]\d{2}:?\d{2})$/.test(String(body.startedAt))) {
      res.status(400).json({ error: 'startedAt must be an ISO 8601 instant with Z or an offset' });
      return null;
    }
    startedAt = new Date(ms);
  } else if (body.minutesAfterLastActivity !== undefined) {
    const m = body.minutesAfterLastActivity;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 0 || m > 24 * 60) {
      res
        .status(400)
        .json({ error: 'minutesAfterLastActivity must be a whole number of minutes from 0 to 1440' });
      return null;
    }
    const last = await lastActivity(sim.store, visitorId, 3000);
    if (last === null) {
      const automated = await isAutomated(sim.store, visitorId);
      res.status(409).json({
        error: automated
          ? AUTOMATED_VISITOR
          : 'no page views recorded for this visitor yet: browse a page first',
      });
      return null;
    }
    startedAt = new Date(last + m * 60_000);
  } else {
    // A call "now": give the snippet's pending batch a moment to land first.
    await lastActivity(sim.store, visitorId, 3000);
  }
  return startedAt;
}
