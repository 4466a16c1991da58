import fs from 'node:fs';
import path from 'node:path';
import lwc from '@lwc/rollup-plugin';
import { rollup, type Plugin } from 'rollup';
import { customLabels } from '../middleware/src/web/custom-labels';
import { PANEL_PREVIEW_DIR, PANEL_PREVIEW_FILES } from '../middleware/src/web/panel-preview-files';
import { projectFile } from '../middleware/src/project-root';

/**
 * Builds the previews' copy of the real `callTouchpointPanel` and `opportunityCallTouchpoints` LWCs and their
 * children (force-app) for the browser:
 * LWC compiler + engine 8.28.2 (the version sfdx-lwc-jest runs the component's jest tests with),
 * the open-source lightning-base-components, and the stand-ins in middleware/src/web/panel-preview/
 * for the few imports only Salesforce answers. Runs in `npm run build`; writes dist/panel-preview/.
 */

const STAND_INS = projectFile('middleware', 'src', 'web', 'panel-preview', 'stand-ins');

/** Imports only the platform answers → the preview's stand-ins; custom labels → force-app's values. */
function platformImports(): Plugin {
  const labels = customLabels();
  return {
    name: 'call-touchpoints-platform-imports',
    resolveId(source) {
      if (source.startsWith('@salesforce/label/c.'))
        return `\0label:${source.slice('@salesforce/label/c.'.length)}`;
      // `@salesforce/apex` (refreshApex) and `@salesforce/apex/Class.method` (the wire adapter).
      if (source === '@salesforce/apex' || source === '@salesforce/apex/CallTouchpointController.getPanel')
        return path.join(STAND_INS, 'apex.js');
      if (source === '@salesforce/apex/OpportunityTouchpointsController.getTouchpoints')
        return path.join(STAND_INS, 'opportunity-apex.js');
      // lightning/navigation re-exports force/navigation, which exists only inside Lightning Experience.
      if (source === 'lightning/navigation') return path.join(STAND_INS, 'navigation.js');
      // The Salesforce user's locale and time zone: in the preview, the browser's.
      if (source === '@salesforce/i18n/locale' || source === '@salesforce/i18n/timeZone')
        return path.join(STAND_INS, `i18n-${source.slice('@salesforce/i18n/'.length)}.js`);
      return null;
    },
    load(id) {
      if (!id.startsWith('\0label:')) return null;
      const name = id.slice('\0label:'.length);
      if (!(name in labels))
        this.error(`@salesforce/label/c.${name}: no such label in CustomLabels.labels-meta.xml`);
      return `export default ${JSON.stringify(labels[name])};`;
    },
  };
}

/**
 * Build-time constants the packages read: the engine's development checks sit behind
 * process.env.NODE_ENV and lightning-base-components' server-rendering branches behind
 * import.meta.env.SSR; a browser has neither.
 */
function browserConstants(): Plugin {
  const constants: [RegExp, string][] = [
    [/process\.env\.NODE_ENV/g, '"production"'],
    [/import\.meta\.env\.SSR/g, 'false'],
  ];
  return {
    name: 'call-touchpoints-browser-constants',
    transform(code) {
      if (!constants.some(([re]) => code.search(re) >= 0)) return null;
      return { code: constants.reduce((out, [re, value]) => out.replace(re, value), code), map: null };
    },
  };
}

/** force-app's components as `c/<name>` (the panel and the children it composes). */
function forceAppModules(): { name: string; path: string }[] {
  const dir = projectFile('force-app', 'main', 'default', 'lwc');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, `${d.name}.js`)))
    .map((d) => ({ name: `c/${d.name}`, path: path.join(dir, d.name, `${d.name}.js`) }));
}

export async function buildPanelPreview(outDir = projectFile(PANEL_PREVIEW_DIR)): Promise<void> {
  const bundle = await rollup({
    input: projectFile('middleware', 'src', 'web', 'panel-preview', 'main.js'),
    plugins: [
      platformImports(),
      lwc({
        rootDir: projectFile('middleware', 'src', 'web', 'panel-preview'),
        modules: [...forceAppModules(), { npm: 'lightning-base-components' }],
      }),
      browserConstants(),
    ],
    onwarn(warning, warn) {
      // lightning-card's template declares its title/footer slots once per branch of an if/else, which
      // the compiler reports as duplicates although only one branch renders.
      if (warning.pluginCode === 'LWC1137' && warning.loc?.file?.includes('lightning-base-components'))
        return;
      warn(warning);
    },
  });
  fs.mkdirSync(outDir, { recursive: true });
  await bundle.write({
    file: path.join(outDir, PANEL_PREVIEW_FILES.script),
    format: 'iife',
    inlineDynamicImports: true,
  });
  await bundle.close();
  // SLDS: base components render SLDS markup and expect its styles globally (lightning-base-components README).
  fs.copyFileSync(
    require.resolve('@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css'),
    path.join(outDir, PANEL_PREVIEW_FILES.slds),
  );
}

if (require.main === module) {
  buildPanelPreview().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
