import { Router } from 'express';
import type { Connection } from 'jsforce';
import { soqlName, soqlString } from '../salesforce/soql';
import { callTaskCondition } from '../salesforce/tasks';
import { appPage, html, raw, type Html } from './html';
import { formatInstant, formatPercent } from './format';
import { label } from './panel-labels';
import { loadPanelData, RECORD_ID, type PanelData } from './panel-data';
import { refreshAsked, TtlCache } from './ttl-cache';

/**
 * /tasks (recent calls and their join status) and /tasks/:id (the Task panel as a sales rep sees
 * it in Lightning, read from the org with the Apex controller's query shape, see panel-data.ts).
 */
export interface TasksPageDeps {
  getConnection: () => Promise<Connection>;
  bizibleIdField: string;
  /** Link to a record in the org's UI, or null when the org has none (the embedded local org). */
  recordUrl?: (id: string) => string | null;
  now?: () => number;
}

/**
 * Page views are served from a short cache (each org read counts against the org's daily API
 * limit); `?refresh=1` reads again. A pending panel is kept only briefly: the join settles it
 * within seconds and the page re-asks every 2 s.
 */
export const PANEL_CACHE_MS = 20_000;
const PENDING_CACHE_MS = 2_000;
export const LIST_CACHE_MS = 10_000;

const STATUS_LABEL: Record<PanelData['state'], string> = {
  merged: 'Merged',
  standalone: 'Standalone',
  'no-touchpoint': 'No touchpoint',
  'missing-id': 'Missing BizibleId',
  pending: 'Pending',
  'not-found': 'Not found',
};

function field(label: string, value: string | number | null | undefined, href?: string | null): Html {
  const shown = value === null || value === undefined || value === '' ? '—' : String(value);
  return html`<dt>${label}</dt>
    <dd>${href ? html`<a href="${href}">${shown}</a>` : shown}</dd>`;
}

function recordLink(deps: TasksPageDeps, id: string | null | undefined, label: string): Html {
  if (!id) return html``;
  const url = deps.recordUrl?.(id) ?? null;
  return url
    ? html`<a class="record-link" href="${url}">${label}</a>`
    : html`<span class="record-id">${label}: ${id}</span>`;
}

export function renderPanel(data: PanelData, deps: TasksPageDeps): Html {
  const t = data.touchpoint;
  const s = data.session;
  const shown = data.state === 'merged' || data.state === 'standalone';
  return html`<section
    class="panel state-${data.state}"
    data-state="${data.state}"
    aria-labelledby="panel-header"
  >
    <p class="panel-kicker">
      ${label('CTP_Panel_Title')}${data.task?.Subject ? html` · ${data.task.Subject}` : ''}
    </p>
    <h1 id="panel-header" class="panel-header">${data.header}</h1>
    <p class="status-line">
      <span class="badge status-${data.state}" data-testid="join-status">${STATUS_LABEL[data.state]}</span>
      ${data.statusText ? html`<strong class="status-text">${data.statusText}</strong>` : ''}
    </p>
    ${data.detail ? html`<p class="detail" data-testid="join-detail">${data.detail}</p>` : ''}
    ${data.nextStep ? html`<p class="next-step"><strong>${label('CTP_Next_Step_Heading')}:</strong> ${data.nextStep}</p>` : ''}
    ${
      shown && t
        ? html`<div class="positions" aria-label="${label('CTP_Positions')}">
              ${
                data.positions.length
                  ? data.positions.map((p) => html`<span class="badge position">${p}</span> `)
                  : html`<span class="muted">${label('CTP_Not_Set')}</span>`
              }
            </div>
            <ul class="percentages" aria-label="${label('CTP_Attribution')}">
              <li>
                <span class="pct">${formatPercent(t.First_Touch_Percent__c)}</span>
                ${label('CTP_First_Touch')}
              </li>
              <li>
                <span class="pct">${formatPercent(t.Lead_Creation_Percent__c)}</span>
                ${label('CTP_Lead_Creation')}
              </li>
              <li>
                <span class="pct">${formatPercent(t.U_Shaped_Percent__c)}</span> ${label('CTP_U_Shaped')}
              </li>
            </ul>
            <div class="columns">
              <div>
                <h2>Touchpoint ${recordLink(deps, t.Id, label('CTP_Open_Touchpoint'))}</h2>
                <dl>
                  ${field('Touchpoint type', t.Touchpoint_Type__c)} ${field('Medium', t.Medium__c)}
                  ${field('Channel', t.Channel__c)} ${field('Subchannel', t.Subchannel__c)}
                  ${field('Source', t.Source__c)} ${field('Campaign', t.Campaign__c)}
                  ${field('Ad content', t.Ad_Content__c)} ${field('Keyword', t.Keyword__c)}
                  ${field(label('CTP_Call_Time'), formatInstant(data.callTime))}
                </dl>
              </div>
              ${
                s && data.state === 'merged'
                  ? html`<div>
                      <h2>
                        ${label('CTP_Session_Details')}
                        ${recordLink(deps, s.Id, label('CTP_Open_Web_Session'))}
                      </h2>
                      <dl>
                        ${field('Started', formatInstant(s.Started_At__c))}
                        ${field('Last activity', formatInstant(s.Last_Activity_At__c))}
                        ${field('Landing page', s.Landing_Page__c)} ${field('Referrer', s.Referrer_Page__c)}
                        ${field('Page views', s.Page_Views__c)} ${field(label('CTP_UTM_Source'), s.Source__c)}
                        ${field(label('CTP_UTM_Medium'), s.Medium__c)}
                        ${field(label('CTP_UTM_Campaign'), s.Campaign__c)}
                        ${field(label('CTP_UTM_Content'), s.Content__c)}
                        ${field(label('CTP_UTM_Term'), s.Term__c)}
                        ${field(label('CTP_Click_Id'), s.Click_Id__c)}
                      </dl>
                    </div>`
                  : ''
              }
            </div>`
        : ''
    }
    ${
      data.timeline.length
        ? html`<h2>${label('CTP_Timeline')}</h2>
            <ol class="timeline">
              ${data.timeline.map(
                (step) =>
                  html`<li>
                    ${step.minutesSincePrevious !== null ? html`<span class="gap">${label('CTP_Minutes_Later', step.minutesSincePrevious)}</span>` : ''}<strong
                      >${step.title}</strong
                    >
                    <span class="muted">${formatInstant(step.at)}</span><br /><span class="step-text"
                      >${step.text}</span
                    >${step.subtext ? html`<br /><span class="step-detail">${step.subtext}</span>` : ''}
                  </li>`,
              )}
            </ol>`
        : ''
    }
    ${data.task ? html`<p class="task-meta muted">Task ${data.task.Id} · BizibleId ${data.task.BizibleId ?? '(empty)'}</p>` : ''}
  </section>`;
}

interface TaskRow {
  Id: string;
  Subject?: string | null;
  CreatedDate?: string | null;
  Call_Started_At__c?: string | null;
  Call_Join_Status__c?: string | null;
  Call_Join_Detail__c?: string | null;
  [field: string]: unknown;
}

export function createTasksRouter(deps: TasksPageDeps): Router {
  const router = Router();
  const biz = soqlName(deps.bizibleIdField);
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
        async () =>
          (
            await (
              await deps.getConnection()
            ).query<TaskRow>(
              `SELECT Id, Subject, CreatedDate, Call_Started_At__c, ${biz}, Call_Join_Status__c, Call_Join_Detail__c ` +
                `FROM Task WHERE ${callTaskCondition(deps.bizibleIdField)} ORDER BY CreatedDate DESC LIMIT 50`,
            )
          ).records,
        refreshAsked(req.query),
      );
      const body = html`<h1>Recent calls</h1>
        <p class="muted">
          Calls (Tasks of type Call or with a BizibleId) in the org, newest first. This page refreshes every
          ${LIST_CACHE_MS / 1000} seconds.
        </p>
        ${
          rows.length
            ? html`<table class="calls">
                <thead>
                  <tr>
                    <th scope="col">Call</th>
                    <th scope="col">Started</th>
                    <th scope="col">BizibleId</th>
                    <th scope="col">Join status</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map((r) => {
                    const status = r.Call_Join_Status__c || 'Pending';
                    const cls = status.toLowerCase().replace(/[^a-z]+/g, '-');
                    return html`<tr>
                      <td><a href="/tasks/${r.Id}">${r.Subject || r.Id}</a></td>
                      <td>${formatInstant(r.Call_Started_At__c ?? r.CreatedDate)}</td>
                      <td class="mono">${(r[biz] as string | null) || '—'}</td>
                      <td><span class="badge status-${cls}">${status}</span></td>
                      <td>${r.Call_Join_Detail__c ?? ''}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>`
            : html`<p class="empty">
                No calls yet. Open the <a href="/demo/">demo site</a> and press “Simulate a call”.
              </p>`
        }`;
      res.type('html').send(
        appPage({
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
    return panelCache.get(
      id,
      async () => loadPanelData(await deps.getConnection(), id, { bizibleIdField: deps.bizibleIdField }),
      refresh,
    );
  }

  // Where the demo sends the browser after a simulated call: the Task appears once the webhook's
  // outbox item reached the org (normally at once), so this page waits and then redirects.
  router.get('/tasks/by-call/:vendor/:callId', async (req, res, next) => {
    try {
      const vendorCallId = `${req.params.vendor}:${req.params.callId}`;
      const conn = await deps.getConnection();
      const found = await conn.query<{ Id: string }>(
        `SELECT Id FROM Task WHERE Vendor_Call_Id__c = ${soqlString(vendorCallId)} LIMIT 1`,
      );
      const task = found.records[0];
      if (task) return void res.redirect(302, `/tasks/${encodeURIComponent(task.Id)}`);
      const body = html`<h1>Waiting for the call…</h1>
        <p>
          The webhook for call <span class="mono">${vendorCallId}</span> was accepted; its Task is not in the
          org yet. This page checks again every second.
        </p>`;
      res
        .status(202)
        .type('html')
        .send(
          appPage({
            title: 'Waiting for the call',
            nav: 'tasks',
            body,
            head: raw('<meta http-equiv="refresh" content="1">'),
          }),
        );
    } catch (err) {
      next(err);
    }
  });

  router.get('/tasks/:id/panel.json', async (req, res, next) => {
    try {
      const data = await load(req.params.id, refreshAsked(req.query));
      res.status(data.state === 'not-found' ? 404 : 200).json(data);
    } catch (err) {
      next(err);
    }
  });

  router.get('/tasks/:id', async (req, res, next) => {
    try {
      const id = req.params.id;
      const data = await load(id, refreshAsked(req.query));
      // Pending panels refresh themselves: the join normally finishes within seconds.
      const head = data.state === 'pending' ? raw('<meta http-equiv="refresh" content="2">') : undefined;
      const body = html`<p>
          <a href="/tasks">← Recent calls</a> ·
          <a href="/tasks/${encodeURIComponent(id)}?refresh=1">Read again from the org</a>
        </p>
        ${renderPanel(data, deps)}${
          !RECORD_ID.test(id)
            ? html`<p class="muted">“${id}” is not a Salesforce record id (15 or 18 letters and digits).</p>`
            : ''
        }`;
      res
        .status(data.state === 'not-found' ? 404 : 200)
        .type('html')
        .send(appPage({ title: data.header, nav: 'tasks', body, head }));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
