import fs from 'node:fs';
import path from 'node:path';
import { projectFile } from '../src/project-root';

/**
 * The docs write every CLI command as `node bin/call-touchpoints.js …` (issue 27; docs/development.md
 * says why not `npx call-touchpoints`: it installs and rebuilds the checkout, and an interrupted first
 * run breaks later ones). A bare `call-touchpoints <command>` is not on PATH after `npm install`.
 * Quoted output (the banner, error messages: `call-touchpoints serve: …`, `call-touchpoints serve —
 * …`) is allowed.
 */
const COMMANDS =
  /(?<![\w/.-])call-touchpoints (serve|deploy|join|simulate|import-events|outbox|erase|local-org|--help)\b(?![:—])/;

function docs(): string[] {
  const files = ['README.md', path.join('packages', 'local-org', 'README.md')];
  for (const f of fs.readdirSync(projectFile('docs')))
    if (f.endsWith('.md')) files.push(path.join('docs', f));
  return files.filter((f) => fs.existsSync(projectFile(f)));
}

describe('commands in the docs', () => {
  test.each(docs())('%s writes commands as node bin/call-touchpoints.js …', (file) => {
    const lines = fs.readFileSync(projectFile(file), 'utf8').split('\n');
    const bad = lines
      .map((line, i) => ({ line, n: i + 1 }))
      .filter(({ line, n }) => {
        // docs/development.md says why not npx ("… not\n`npx call-touchpoints`: …").
        const explainsNpx = /\bnot\s*$/.test(lines[n - 2] ?? '') || /not `npx call-touchpoints`/.test(line);
        if (/npx call-touchpoints/.test(line) && !explainsNpx) return true;
        const rest = line.replace(/node bin\/call-touchpoints\.js/g, '');
        // Lines quoting the program's own messages name the command as it prints itself.
        if (/^\s*call-touchpoints serve — |Run \\?`call-touchpoints deploy/.test(rest)) return false;
        return COMMANDS.test(rest) && !/call-touchpoints serve — listening/.test(rest);
      })
      .map(({ line, n }) => `${file}:${n}: ${line.trim()}`);
    expect(bad).toEqual([]);
  });
});
