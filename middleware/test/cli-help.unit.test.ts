import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/main';

/** Every command with its subcommands, depth first. */
const allCommands = (c: Command): Command[] => [c, ...c.commands.flatMap(allCommands)];

/** The program as `--help` prints it on a pipe (80 columns), whatever the test runner's terminal. */
function programAt80(): Command {
  const program = buildProgram();
  for (const c of allCommands(program)) c.configureHelp({ helpWidth: 80 });
  return program;
}

describe('--help of every command', () => {
  const program = programAt80();
  const commands = allCommands(program);

  it('covers every command', () => {
    expect(commands.map((c) => c.name())).toEqual(
      expect.arrayContaining(['serve', 'deploy', 'join', 'simulate', 'import-events', 'local-org']),
    );
  });

  it.each(commands.map((c) => [c.name(), c] as const))(
    '%s: descriptions are single sentences commander wraps itself (no stray line breaks or double spaces)',
    (_name, cmd) => {
      const texts = [
        cmd.description(),
        ...cmd.options.map((o) => o.description),
        ...cmd.registeredArguments.map((a) => a.description),
      ];
      for (const text of texts) {
        expect(text).not.toMatch(/\n/);
        expect(text).not.toMatch(/ {2}/);
      }
      // In the help output, the description paragraph is commander's wrap of that one line: every
      // line but the last is filled, so no line ends where the next word would still have fitted.
      const width = 80;
      const help = cmd.helpInformation({ error: false });
      const paragraph = help.split('\n\n')[1] ?? '';
      if (cmd.description()) {
        const lines = paragraph.split('\n');
        lines.slice(0, -1).forEach((line, i) => {
          const nextWord = lines[i + 1].trim().split(' ')[0];
          expect([line, line.length + 1 + nextWord.length > width]).toEqual([line, true]);
        });
      }
    },
  );
});

describe('docs/configuration.md flag reference', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Command-line flags'));
  const program = programAt80();

  it.each(program.commands.map((c) => [c.name(), c] as const))(
    'call-touchpoints %s: the docs/configuration.md block is the Options part of its --help',
    (name, cmd) => {
      const block = new RegExp(
        '`node bin/call-touchpoints\\.js ' + name + '`\\n\\n```text\\n([\\s\\S]*?)```',
      ).exec(section);
      expect(block).not.toBeNull();
      const options = cmd.helpInformation({ error: false }).split('Options:\n')[1];
      expect(block![1]).toBe(options);
    },
  );
});
