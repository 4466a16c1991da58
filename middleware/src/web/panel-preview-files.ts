import { html, raw } from './html';
import { RECORD_ID } from './panel-data';

/** Where `npm run build` puts the Task preview's panel bundle (scripts/build-panel-preview.ts). */
export const PANEL_PREVIEW_DIR = 'dist/panel-preview';

/** The files in it, served under /static/panel/. */
export const PANEL_PREVIEW_FILES = {
  script: 'call-touchpoint-panel.js',
  slds: 'salesforce-lightning-design-system.min.css',
} as const;

/**
 * <head> of a preview page: SLDS for the base components (they expect it page-wide), then the bundle
 * (no inline script: CSP). The Task and Opportunity previews share one bundle.
 */
export const PANEL_HEAD = raw(
  `<link rel="stylesheet" href="/static/panel/${PANEL_PREVIEW_FILES.slds}">` +
    `<script src="/static/panel/${PANEL_PREVIEW_FILES.script}" defer></script>`,
);

/**
 * A preview page's body: the link back, the component's mount point (the bundle renders into it) or
 * why there is none, and a word when the id cannot be a Salesforce record id.
 */
export function previewMountBody(
  page: { back: string; backLabel: string; mountId: string; what: string },
  id: string,
  bundleBuilt: boolean,
) {
  return html`<p><a href="${page.back}">← ${page.backLabel}</a></p>
    ${
      bundleBuilt
        ? html`<div id="${page.mountId}" data-record-id="${id}"></div>`
        : html`<p class="error">
            The ${page.what} is not built: run <span class="mono">npm run build</span> (it writes
            ${PANEL_PREVIEW_DIR}/).
          </p>`
    }${
      !RECORD_ID.test(id)
        ? html`<p class="muted">“${id}” is not a Salesforce record id (15 or 18 letters and digits).</p>`
        : ''
    }`;
}
