import fs from 'node:fs';
import { buildProgram } from '../src/cli/main';
import { projectFile } from '../src/project-root';

/**
 * Every command the README shows is run by CI or by a test (issue 27): a README command that nothing
 * runs fails here, naming it. `npm ci` and `npm test` are CI's own steps (.ci/run); `npm start` is
 * `serve`, which serve-process.test.ts runs as its own process; `npm run X` must be a script; CLI
 * commands must exist.
 */
const readme = fs.readFileSync(projectFile('README.md'), 'utf8');
const ci = fs.readFileSync(projectFile('.ci', 'run'), 'utf8');
const scripts = (
  JSON.parse(fs.readFileSync(projectFile('package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const cliCommands = new Set(buildProgram().commands.map((c) => c.name()));

/** The shell commands in the README's ```sh blocks, `a && b` split into a and b. */
function readmeCommands(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((b) =>
    b
      .split('\n')
      .flatMap((line) => line.split('&&'))
      .map((c) => c.trim())
      .filter(Boolean),
  );
}

/** Why the command is known to work, or null. */
function runBy(command: string): string | null {
  if (command === 'npm ci' || command === 'npm install')
    return /^npm ci\b/m.test(ci) ? '.ci/run installs with npm ci' : null;
  if (command === 'npm test') return /^npm test$/m.test(ci) ? '.ci/run runs npm test' : null;
  if (command === 'npm start')
    return /^node (--[\w-]+(=\S+)? )*bin\/call-touchpoints\.js serve$/.test(scripts.start) &&
      cliCommands.has('serve')
      ? 'serve-process.test.ts runs bin/call-touchpoints.js serve'
      : null;
  const run = /^npm run ([\w:-]+)$/.exec(command);
  if (run) return scripts[run[1]] ? `package.json script ${run[1]}` : null;
  const cli = /^node bin\/call-touchpoints\.js ([\w-]+)/.exec(command);
  if (cli) return cliCommands.has(cli[1]) ? `CLI command ${cli[1]}` : null;
  return null;
}

describe('the README', () => {
  test('shows the two commands on its first screen: install and run, then pass the tests', () => {
    expect(readmeCommands().slice(0, 4)).toEqual(['npm install', 'npm start', 'npm ci', 'npm test']);
    const firstScreen = readme.split('\n').slice(0, 45).join('\n');
    expect(firstScreen).toContain('npm install && npm start');
    expect(firstScreen).toContain('npm ci && npm test');
  });

  test('every command it shows is run by CI or a test', () => {
    const unknown = readmeCommands().filter((c) => runBy(c) === null);
    expect(unknown).toEqual([]);
  });

  test('is at most about 150 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
  });

  test('links the developer and architecture docs, and every linked doc exists', () => {
    expect(readme).toContain('(docs/development.md)');
    expect(readme).toContain('(docs/architecture.md)');
    const links = [...readme.matchAll(/\]\(((?:docs|packages)\/[^)#]+)/g)].map((m) => m[1]);
    expect(links.filter((l) => !fs.existsSync(projectFile(l)))).toEqual([]);
  });
});
