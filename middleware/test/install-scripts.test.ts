import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

/**
 * npm 11 warns "N packages have install scripts not yet covered by allowScripts" for every
 * installed package with a preinstall/install/postinstall script that package.json does not decide
 * on. The lockfile marks them (`hasInstallScript`), so a new one fails here, not on a newcomer's screen.
 */
describe('npm install scripts', () => {
  it('every package with an install script is allowed or denied in package.json allowScripts', () => {
    const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = new Set(
      Object.entries(lock.packages)
        .filter(([key, p]) => key && p.hasInstallScript)
        .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)),
    );
    const allowScripts = read('package.json').allowScripts as Record<string, boolean>;
    expect([...withScripts].filter((name) => !(name in allowScripts))).toEqual([]);
    // Only the native SQLite binding needs its script (prebuild-install / node-gyp).
    expect(Object.keys(allowScripts).filter((name) => allowScripts[name])).toEqual(['better-sqlite3']);
  });
});
