/** Where `npm run build` puts the Task preview's panel bundle (scripts/build-panel-preview.ts). */
export const PANEL_PREVIEW_DIR = 'dist/panel-preview';

/** The files in it, served under /static/panel/. */
export const PANEL_PREVIEW_FILES = {
  script: 'call-touchpoint-panel.js',
  slds: 'salesforce-lightning-design-system.min.css',
} as const;
