import fs from 'node:fs';
import { Router } from 'express';
import { projectFile } from '../project-root';
import type { SalesforcePort } from '../salesforce/port';
import { appPage, dataTable, html, signedIn } from './html';
import { loadOpportunityData, type OpportunityData } from './opportunity-data';
import { PANEL_HEAD, PANEL_PREVIEW_DIR, PANEL_PREVIEW_FILES, previewMountBody } from './panel-preview-files';
import { PAGE_ATTEMPTS, refreshAsked, TtlCache } from './ttl-cache';

/**
 * /opportunities (recent Opportunities) and /opportunities/:id (the Opportunity record page's
 * component as a user sees it in Lightning: the real opportunityCallTouchpoints LWC from the same
 * bundle as the Task preview, whose Apex wire reads /opportunities/:id/touchpoints.json, the
 * controller's answer built by opportunity-data.ts).
 */
export interface OpportunitiesPageDeps {
  /** The org; these pages count as 'pages'. */
  salesforce: SalesforcePort;
  now?: () => number;
}

/** As the Task panel's: each org read counts against the daily API limit; `?refresh=1` reads again. */
export const OPPORTUNITY_CACHE_MS = 20_000;

interface OpportunityRow {
  Id: string;
  Name?: string | null;
  StageName?: string | null;
  Amount?: number | null;
  CloseDate?: string | null;
}

export function createOpportunitiesRouter(deps: OpportunitiesPageDeps): Router {
  const router = Router();
  const bundleBuilt = fs.existsSync(projectFile(PANEL_PREVIEW_DIR, PANEL_PREVIEW_FILES.script));
  const sf = deps.salesforce.for('pages', { maxAttempts: PAGE_ATTEMPTS });
  const listCache = new TtlCache<OpportunityRow[]>({
    maxEntries: 1,
    ttlMs: () => OPPORTUNITY_CACHE_MS,
    now: deps.now,
  });
  const dataCache = new TtlCache<OpportunityData>({
    maxEntries: 500,
    ttlMs: () => OPPORTUNITY_CACHE_MS,
    now: deps.now,
  });
  const load = (id: string, refresh: boolean) =>
    dataCache.get(id, () => loadOpportunityData(sf, id), refresh);

  router.get('/opportunities', async (req, res, next) => {
    try {
      const rows = await listCache.get(
        'recent',
        () =>
          sf.query<OpportunityRow>(
            'SELECT Id, Name, StageName, Amount, CloseDate FROM Opportunity ORDER BY CreatedDate DESC LIMIT 50',
          ),
        refreshAsked(req.query, sf.budget().deferring),
      );
      res.type('html').send(
        appPage({
          signedIn: signedIn(res),
          title: 'Opportunities',
          nav: 'opportunities',
          body: listBody(rows),
        }),
      );
    } catch (err) {
      next(err);
    }
  });

  router.get('/opportunities/:id/touchpoints.json', async (req, res, next) => {
    try {
      const data = await load(req.params.id, refreshAsked(req.query, sf.budget().deferring));
      res.status(data.state === 'notFound' ? 404 : 200).json(data);
    } catch (err) {
      next(err);
    }
  });

  router.get('/opportunities/:id', async (req, res, next) => {
    try {
      const id = req.params.id;
      // Read here too (the component's own request then hits the cache): 404 for one not shown.
      const data = await load(id, refreshAsked(req.query, sf.budget().deferring));
      res
        .status(data.state === 'notFound' ? 404 : 200)
        .type('html')
        .send(
          appPage({
            signedIn: signedIn(res),
            title: data.name ?? 'Opportunity',
            nav: 'opportunities',
            body: previewMountBody(
              {
                back: '/opportunities',
                backLabel: 'Opportunities',
                mountId: 'opportunity-call-touchpoints',
                what: 'component',
              },
              id,
              bundleBuilt,
            ),
            head: PANEL_HEAD,
          }),
        );
    } catch (err) {
      next(err);
    }
  });

  return router;
}

function listBody(rows: OpportunityRow[]) {
  return html`<h1>Opportunities</h1>
    <p class="muted">
      The org's newest Opportunities. Open one to see its touchpoints and the revenue each earned, as the
      Opportunity record page shows them in Salesforce.
    </p>
    ${
      rows.length
        ? dataTable(
            'calls',
            ['Opportunity', 'Stage', 'Amount', 'Close date'],
            rows.map(
              (r) =>
                html`<td><a href="/opportunities/${r.Id}">${r.Name || r.Id}</a></td>
                  <td>${r.StageName ?? ''}</td>
                  <td>${typeof r.Amount === 'number' ? r.Amount.toLocaleString('en-US') : '—'}</td>
                  <td>${r.CloseDate ?? ''}</td>`,
            ),
          )
        : html`<p class="empty">No Opportunities in the org yet.</p>`
    }`;
}
