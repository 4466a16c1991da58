import express, { Router, type RequestHandler } from 'express';
import type { SalesforcePort } from '../salesforce/port';
import { soqlName, soqlString } from '../salesforce/soql';
import { callTaskCondition } from '../join';
import { appPage, dataTable, html, raw, signedIn, type Html } from './html';
import fs from 'node:fs';
import path from 'node:path';
import { projectFile } from '../project-root';
import { formatInstant } from './format';
import { loadPanelData, personType, RECORD_ID, type PanelData } from './panel-data';
import { joinReasonLabel } from '../domain/join-reason';
import { PANEL_HEAD, PANEL_PREVIEW_DIR, PANEL_PREVIEW_FILES, previewMountBody } from './panel-preview-files';
import { PAGE_ATTEMPTS, refreshAsked, TtlCache } from './ttl-cache';
import { parkedCallsSection } from './parked-calls';
import { loadRecordDetail, recordDetailBody, type RecordDetail } from './record-page';
import type { OutboxItem } from '../store/types';
import { nextPause, reloadCount, vendorCallIdOf, WAIT_CACHE_MS } from './call-wait';

/**
 * /tasks (recent calls and their join status) and /tasks/:id (the Task panel as a sales rep sees it
 * in Lightning: the real callTouchpointPanel LWC, built by `npm run build` into dist/panel-preview/,
 * whose Apex wire reads /tasks/:id/panel.json, the controller's answer built by panel-data.ts).
 */
export interface TasksPageDeps {
  /** The org; these pages count as 'pages'. */
  salesforce: SalesforcePort;
  bizibleIdField: string;
  /** Link to a record in the org's UI, or null when the org has none (the embedded local org). */
  recordUrl?: (id: string) => string | null;
  /** Calls the pipeline set aside (store.parked), shown above the list; absent: none shown. */
  parkedCalls?: () => Promise<OutboxItem[]>;
  now?: () => number;
}

/**
 * Page views are served from a short cache (each org read counts against the org's daily API
 * limit); `?refresh=1` reads again. A pending panel is kept only briefly: the join settles it
 * within seconds and the panel asks again every 5 s while it is pending.
 */
export const PANEL_CACHE_MS = 20_000;
const PENDING_CACHE_MS = 2_000;
export const LIST_CACHE_MS = 10_000;

interface TaskRow {
  Id: string;
  Subject?: string | null;
  CreatedDate?: string | null;
  Call_Started_At__c?: string | null;
  Call_Join_Status__c?: string | null;
  Call_Join_Detail__c?: string | null;
  Call_Join_Reason__c?: string | null;
  WhoId?: string | null;
  Who?: { Name?: string | null } | null;
  [field: string]: unknown;
}

/** Issue 22: the person the call was linked to ("Lead: Caller +1 415 555 0101"), or that it was not. */
function callerCell(r: TaskRow): string {
  if (!r.WhoId) return 'not linked to a Lead or Contact';
  return `${personType(r.WhoId) ?? 'Record'}: ${r.Who?.Name || r.WhoId}`;
}

export function createTasksRouter(deps: TasksPageDeps): Router {
  const router = Router();
  const bundleDir = projectFile(PANEL_PREVIEW_DIR);
  const bundleBuilt = fs.existsSync(path.join(bundleDir, PANEL_PREVIEW_FILES.script));
  router.use('/static/panel', express.static(bundleDir, { index: false, fallthrough: false }));
  const biz = soqlName(deps.bizibleIdField);
  const sf = deps.salesforce.for('pages', { maxAttempts: PAGE_ATTEMPTS });
  const listCache = new TtlCache<TaskRow[]>({ maxEntries: 1, ttlMs: () => LIST_CACHE_MS, now: deps.now });
  const panelCache = new TtlCache<PanelData>({
    maxEntries: 500,
    ttlMs: (d) => (d.state === 'pending' ? PENDING_CACHE_MS : PANEL_CACHE_MS),
    now: deps.now,
  });

  router.get('/tasks', async (req, res, next) => {
    try {
      const rows = await listCache.get(
        'recent',
        () =>
          sf.query<TaskRow>(
            `SELECT Id, Subject, CreatedDate, Call_Started_At__c, ${biz}, Call_Join_Status__c, Call_Join_Reason__c, Call_Join_Detail__c, WhoId, Who.Name ` +
              `FROM Task WHERE ${callTaskCondition(deps.bizibleIdField)} ORDER BY CreatedDate DESC LIMIT 50`,
          ),
        refreshAsked(req.query, sf.budget().deferring),
      );
      const parked = parkedCallsSection((await deps.parkedCalls?.()) ?? []);
      const body = recentCallsBody(newestCallFirst(rows), biz, parked);
      res.type('html').send(
        appPage({
          signedIn: signedIn(res),
          title: 'Recent calls',
          nav: 'tasks',
          body,
          head: raw(`<meta http-equiv="refresh" content="${LIST_CACHE_MS / 1000}">`),
        }),
      );
    } catch (err) {
      next(err);
    }
  });

  function load(id: string, refresh: boolean): Promise<PanelData> {
    return panelCache.get(id, () => loadPanelData(sf, id, { bizibleIdField: deps.bizibleIdField }), refresh);
  }

  router.get('/tasks/by-call/:vendor/:callId', waitForCall(sf, deps.now));

  router.get('/tasks/:id/panel.json', async (req, res, next) => {
    try {
      const data = await load(req.params.id, refreshAsked(req.query, sf.budget().deferring));
      res.status(data.state === 'notFound' ? 404 : 200).json(data);
    } catch (err) {
      next(err);
    }
  });

  // Where the panel's "Open touchpoint" / "Open web session" lead (panel-preview/stand-ins/navigation.js).
  router.get('/tasks/record/:id', recordPage(sf, deps));

  router.get('/tasks/:id', async (req, res, next) => {
    try {
      const id = req.params.id;
      // Read here too (from the cache the panel's own request then hits): 404 for a Task not shown.
      const data = await load(id, refreshAsked(req.query, sf.budget().deferring));
      const body = previewMountBody(
        { back: '/tasks', backLabel: 'Recent calls', mountId: 'call-touchpoint-panel', what: 'panel' },
        id,
        bundleBuilt,
      );
      res
        .status(data.state === 'notFound' ? 404 : 200)
        .type('html')
        .send(appPage({ title: data.subject ?? 'Call', nav: 'tasks', body, head: PANEL_HEAD }));
    } catch (err) {
      next(err);
    }
  });

  return router;
}

/**
 * /tasks/record/:id: the record in the org's UI (a real org), else — the embedded local org has no
 * record pages — the touchpoint's or web session's fields (record-page.ts), else "No record page".
 */
function recordPage(sf: SalesforcePort, deps: TasksPageDeps): RequestHandler {
  const cache = new TtlCache<RecordDetail | null>({
    maxEntries: 200,
    ttlMs: () => PANEL_CACHE_MS,
    now: deps.now,
  });
  return async (req, res, next) => {
    const id = String(req.params.id);
    const url = RECORD_ID.test(id) ? (deps.recordUrl?.(id) ?? null) : null;
    if (url) return void res.redirect(302, url);
    const object = typeof req.query.object === 'string' ? req.query.object : undefined;
    let detail: RecordDetail | null;
    try {
      detail = await cache.get(`${id}:${object ?? ''}`, () => loadRecordDetail(sf, id, object));
    } catch (err) {
      return next(err);
    }
    const page = detail
      ? { title: id, body: recordDetailBody(detail) }
      : { title: 'No record page', body: noRecordPageBody(id) };
    res
      .status(detail ? 200 : 404)
      .type('html')
      .send(appPage({ signedIn: signedIn(res), nav: 'tasks', ...page }));
  };
}

/** The time /tasks shows for a call: when it started, else when its Task was created. */
const callTime = (r: TaskRow): number => Date.parse(r.Call_Started_At__c ?? r.CreatedDate ?? '') || 0;

/**
 * Newest call first, by the time the page shows (the 50 Tasks created last are read: a call's Task is
 * created after it started, so these are the newest calls). Creation order alone put a late-written
 * older call above newer ones (issue 27).
 */
export function newestCallFirst(rows: readonly TaskRow[]): TaskRow[] {
  return [...rows].sort((a, b) => callTime(b) - callTime(a));
}

/** /tasks: the parked calls, then the recent calls' table (or how to make one). */
function recentCallsBody(rows: TaskRow[], biz: string, parked: Html | string) {
  return html`${parked}
    <h1>Recent calls</h1>
    <p class="muted">
      Calls (Tasks of type Call or with a BizibleId) in the org, newest call first. This page refreshes every
      ${LIST_CACHE_MS / 1000} seconds.
    </p>
    ${
      rows.length
        ? dataTable(
            'calls',
            ['Call', 'Started', 'BizibleId', 'Caller', 'Join status', 'Reason', 'Detail'],
            rows.map((r) => {
              const status = r.Call_Join_Status__c || 'Pending';
              const cls = status.toLowerCase().replace(/[^a-z]+/g, '-');
              return html`<td><a href="/tasks/${r.Id}">${r.Subject || r.Id}</a></td>
                <td>${formatInstant(r.Call_Started_At__c ?? r.CreatedDate)}</td>
                <td class="mono">${(r[biz] as string | null) || '—'}</td>
                <td>${callerCell(r)}</td>
                <td><span class="badge status-${cls}">${status}</span></td>
                <td class="reason">${joinReasonLabel(r.Call_Join_Reason__c) ?? ''}</td>
                <td>${r.Call_Join_Detail__c ?? ''}</td>`;
            }),
          )
        : html`<p class="empty">
            No calls yet. Open the <a href="/demo/">demo site</a> and press “Simulate a call”.
          </p>`
    }`;
}

/** /tasks/by-call/…: the Task is not in the org yet; `pause` null once the page stops checking. */
function waitingBody(vendorCallId: string, pause: number | null) {
  return html`<h1>Waiting for the call…</h1>
    <p>
      The webhook for call <span class="mono">${vendorCallId}</span> was accepted; its Task is not in the org
      yet.
      ${
        pause === null
          ? 'This page has stopped checking: reload it to check again, or see the calls list.'
          : `This page checks again in ${pause} s.`
      }
    </p>`;
}

function noRecordPageBody(id: string) {
  return html`<h1>No record page</h1>
    <p>
      Record <span class="mono">${id}</span> is not a touchpoint or web session of this org, and the embedded
      local org has no record pages of its own. <a href="/tasks">Recent calls</a>
    </p>`;
}

/**
 * Where the demo sends the browser after a simulated call: the Task appears once the webhook's
 * outbox item reached the org (normally at once), so this page waits and then redirects.
 */
function waitForCall(sf: SalesforcePort, now?: () => number): RequestHandler {
  const waitCache = new TtlCache<boolean | string>({
    maxEntries: 1000,
    ttlMs: () => WAIT_CACHE_MS,
    now,
  });
  return async (req, res, next) => {
    try {
      const vendorCallId = vendorCallIdOf(String(req.params.vendor), String(req.params.callId));
      if (!vendorCallId)
        return void res
          .status(404)
          .type('text/plain')
          .send('Not a vendor call id: /tasks/by-call/<vendor>/<call id>.');
      const taskId = await waitCache.get(vendorCallId, async () => {
        const found = await sf.query<{ Id: string }>(
          `SELECT Id FROM Task WHERE Vendor_Call_Id__c = ${soqlString(vendorCallId)} LIMIT 1`,
        );
        return found[0]?.Id ?? false;
      });
      if (taskId) return void res.redirect(302, `/tasks/${encodeURIComponent(taskId)}`);
      const n = reloadCount(req.query.n);
      const pause = nextPause(n);
      const body = waitingBody(vendorCallId, pause);
      // Built from the checked id only (no characters that need escaping in HTML).
      const again = `/tasks/by-call/${vendorCallId.replace(':', '/')}?n=${n + 1}`;
      res
        .status(202)
        .set('cache-control', 'no-store')
        .type('html')
        .send(
          appPage({
            signedIn: signedIn(res),
            title: 'Waiting for the call',
            nav: 'tasks',
            body,
            head:
              pause === null ? undefined : raw(`<meta http-equiv="refresh" content="${pause};url=${again}">`),
          }),
        );
    } catch (err) {
      next(err);
    }
  };
}
