import type { Command } from 'commander';
import { buildProgram } from '../src/cli/main';

/** Every command with its subcommands, depth first. */
const allCommands = (c: Command): Command[] => [c, ...c.commands.flatMap(allCommands)];

describe('--help of every command', () => {
  const program = buildProgram();
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
