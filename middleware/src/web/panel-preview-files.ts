import { raw } from './html';

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
