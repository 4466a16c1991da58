"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderPanel = renderPanel;
exports.createTasksRouter = createTasksRouter;
const express_1 = require("express");
const soql_1 = require("../salesforce/soql");
const html_1 = require("./html");
const format_1 = require("./format");
const panel_data_1 = require("./panel-data");
const STATUS_LABEL = {
    merged: 'Merged',
    standalone: 'Standalone',
    'no-touchpoint': 'No touchpoint',
    'missing-id': 'Missing BizibleId',
    pending: 'Pending',
    'not-found': 'Not found',
};
function field(label, value, href) {
    const shown = value === null || value === undefined || value === '' ? '—' : String(value);
    return (0, html_1.html) `<dt>${label}</dt><dd>${href ? (0, html_1.html) `<a href="${href}">${shown}</a>` : shown}</dd>`;
}
function recordLink(deps, id, label) {
    if (!id)
        return (0, html_1.html) ``;
    const url = deps.recordUrl?.(id) ?? null;
    return url ? (0, html_1.html) `<a class="record-link" href="${url}">${label}</a>` : (0, html_1.html) `<span class="record-id">${label}: ${id}</span>`;
}
function renderPanel(data, deps) {
    const t = data.touchpoint;
    const s = data.session;
    return (0, html_1.html) `<section class="panel state-${data.state}" data-state="${data.state}" aria-labelledby="panel-header">
  <p class="panel-kicker">Call touchpoint${data.task?.Subject ? (0, html_1.html) ` · ${data.task.Subject}` : ''}</p>
  <h1 id="panel-header" class="panel-header">${data.header}</h1>
  <p class="status-line"><span class="badge status-${data.state}" data-testid="join-status">${STATUS_LABEL[data.state]}</span>
  ${data.detail ? (0, html_1.html) `<span class="detail" data-testid="join-detail">${data.detail}</span>` : ''}</p>
  ${data.nextStep ? (0, html_1.html) `<p class="next-step"><strong>What to do:</strong> ${data.nextStep}</p>` : ''}
  ${t
        ? (0, html_1.html) `<div class="positions" aria-label="Positions">${data.positions.length
            ? data.positions.map((p) => (0, html_1.html) `<span class="badge position">${p}</span> `)
            : (0, html_1.html) `<span class="muted">No attribution position</span>`}</div>
  <ul class="percentages" aria-label="Attribution">
    <li><span class="pct">${(0, format_1.formatPercent)(t.First_Touch_Percent__c)}</span> First touch</li>
    <li><span class="pct">${(0, format_1.formatPercent)(t.Lead_Creation_Percent__c)}</span> Lead creation</li>
    <li><span class="pct">${(0, format_1.formatPercent)(t.U_Shaped_Percent__c)}</span> U-shaped</li>
  </ul>
  <div class="columns">
  <div>
  <h2>Touchpoint ${recordLink(deps, t.Id, 'open record')}</h2>
  <dl>
    ${field('Touchpoint type', t.Touchpoint_Type__c)}
    ${field('Medium', t.Medium__c)}
    ${field('Channel', t.Channel__c)}
    ${field('Subchannel', t.Subchannel__c)}
    ${field('Source', t.Source__c)}
    ${field('Campaign', t.Campaign__c)}
    ${field('Ad content', t.Ad_Content__c)}
    ${field('Keyword', t.Keyword__c)}
    ${field('Touchpoint date', (0, format_1.formatInstant)(t.Touchpoint_Date__c))}
  </dl>
  </div>
  ${s
            ? (0, html_1.html) `<div>
  <h2>Web session ${recordLink(deps, s.Id, 'open record')}</h2>
  <dl>
    ${field('Started', (0, format_1.formatInstant)(s.Started_At__c))}
    ${field('Last activity', (0, format_1.formatInstant)(s.Last_Activity_At__c))}
    ${field('Landing page', s.Landing_Page__c)}
    ${field('Referrer', s.Referrer_Page__c)}
    ${field('Page views', s.Page_Views__c)}
    ${field('UTM source / medium', [s.Source__c, s.Medium__c].filter(Boolean).join(' / '))}
    ${field('UTM campaign', s.Campaign__c)}
    ${field('UTM content', s.Content__c)}
    ${field('UTM term', s.Term__c)}
    ${field('Click id', s.Click_Id__c)}
  </dl>
  </div>`
            : ''}
  </div>`
        : ''}
  ${data.timeline.length
        ? (0, html_1.html) `<h2>Timeline</h2>
  <ol class="timeline">${data.timeline.map((step) => (0, html_1.html) `<li>${step.minutesSincePrevious !== null ? (0, html_1.html) `<span class="gap">${(0, format_1.formatMinutes)(step.minutesSincePrevious)}</span>` : ''}<strong>${step.label}</strong> <span class="muted">${(0, format_1.formatInstant)(step.at)}</span>${step.detail ? (0, html_1.html) `<br><span class="step-detail">${step.detail}</span>` : ''}</li>`)}</ol>`
        : ''}
  ${data.task ? (0, html_1.html) `<p class="task-meta muted">Task ${data.task.Id} · BizibleId ${data.task.BizibleId ?? '(empty)'}</p>` : ''}
</section>`;
}
function createTasksRouter(deps) {
    const router = (0, express_1.Router)();
    router.get('/tasks', async (_req, res, next) => {
        try {
            const conn = await deps.getConnection();
            const biz = (0, soql_1.soqlName)(deps.bizibleIdField);
            const result = await conn.query(`SELECT Id, Subject, CreatedDate, Call_Started_At__c, ${biz}, Call_Join_Status__c, Call_Join_Detail__c ` +
                `FROM Task WHERE Type = 'Call' OR ${biz} != null ORDER BY CreatedDate DESC LIMIT 50`);
            const rows = result.records;
            const body = (0, html_1.html) `<h1>Recent calls</h1>
<p class="muted">Calls (Tasks of type Call or with a BizibleId) in the org, newest first. This page refreshes every 5 seconds.</p>
${rows.length
                ? (0, html_1.html) `<table class="calls">
<thead><tr><th scope="col">Call</th><th scope="col">Started</th><th scope="col">BizibleId</th><th scope="col">Join status</th><th scope="col">Detail</th></tr></thead>
<tbody>${rows.map((r) => {
                    const status = r.Call_Join_Status__c || 'Pending';
                    const cls = status.toLowerCase().replace(/[^a-z]+/g, '-');
                    return (0, html_1.html) `<tr><td><a href="/tasks/${r.Id}">${r.Subject || r.Id}</a></td><td>${(0, format_1.formatInstant)(r.Call_Started_At__c ?? r.CreatedDate)}</td><td class="mono">${r[biz] || '—'}</td><td><span class="badge status-${cls}">${status}</span></td><td>${r.Call_Join_Detail__c ?? ''}</td></tr>`;
                })}</tbody>
</table>`
                : (0, html_1.html) `<p class="empty">No calls yet. Open the <a href="/demo/">demo site</a> and press “Simulate a call”.</p>`}`;
            res.type('html').send((0, html_1.appPage)({ title: 'Recent calls', nav: 'tasks', body, head: (0, html_1.raw)('<meta http-equiv="refresh" content="5">') }));
        }
        catch (err) {
            next(err);
        }
    });
    async function load(id) {
        const conn = await deps.getConnection();
        return (0, panel_data_1.loadPanelData)(conn, id, { bizibleIdField: deps.bizibleIdField });
    }
    // Where the demo sends the browser after a simulated call: the Task appears once the webhook's
    // outbox item reached the org (normally at once), so this page waits and then redirects.
    router.get('/tasks/by-call/:vendor/:callId', async (req, res, next) => {
        try {
            const vendorCallId = `${req.params.vendor}:${req.params.callId}`;
            const conn = await deps.getConnection();
            const found = await conn.query(`SELECT Id FROM Task WHERE Vendor_Call_Id__c = ${(0, soql_1.soqlString)(vendorCallId)} LIMIT 1`);
            const task = found.records[0];
            if (task)
                return void res.redirect(302, `/tasks/${encodeURIComponent(task.Id)}`);
            const body = (0, html_1.html) `<h1>Waiting for the call…</h1><p>The webhook for call <span class="mono">${vendorCallId}</span> was accepted; its Task is not in the org yet. This page checks again every second.</p>`;
            res
                .status(202)
                .type('html')
                .send((0, html_1.appPage)({ title: 'Waiting for the call', nav: 'tasks', body, head: (0, html_1.raw)('<meta http-equiv="refresh" content="1">') }));
        }
        catch (err) {
            next(err);
        }
    });
    router.get('/tasks/:id/panel.json', async (req, res, next) => {
        try {
            const data = await load(req.params.id);
            res.status(data.state === 'not-found' ? 404 : 200).json(data);
        }
        catch (err) {
            next(err);
        }
    });
    router.get('/tasks/:id', async (req, res, next) => {
        try {
            const id = req.params.id;
            const data = await load(id);
            // Pending panels refresh themselves: the join normally finishes within seconds.
            const head = data.state === 'pending' ? (0, html_1.raw)('<meta http-equiv="refresh" content="2">') : undefined;
            const body = (0, html_1.html) `<p><a href="/tasks">← Recent calls</a></p>${renderPanel(data, deps)}${!panel_data_1.RECORD_ID.test(id) ? (0, html_1.html) `<p class="muted">“${id}” is not a Salesforce record id (15 or 18 letters and digits).</p>` : ''}`;
            res
                .status(data.state === 'not-found' ? 404 : 200)
                .type('html')
                .send((0, html_1.appPage)({ title: data.header, nav: 'tasks', body, head }));
        }
        catch (err) {
            next(err);
        }
    });
    return router;
}
//# sourceMappingURL=tasks-page.js.map