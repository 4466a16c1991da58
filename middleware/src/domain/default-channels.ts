import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseChannelSheet, type ChannelRules } from './channels';

/**
 * Our default channel sheet (R12) is the CSV file next to this module, so admins can read it and
 * copy it as the start of their own. tsc does not copy .csv files into dist/, so the file is found
 * from the project root (the nearest package.json above this module), which works both from
 * middleware/src (tests) and dist/middleware/src (the built CLI). This is the domain's only file
 * read: a shipped resource, read once and cached — never runtime data.
 */
const RELATIVE_PATH = join('middleware', 'src', 'domain', 'default-channels.csv');

let cached: ChannelRules | null = null;

export function defaultChannelSheetPath(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, RELATIVE_PATH)))
      return join(dir, RELATIVE_PATH);
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`default channel sheet ${RELATIVE_PATH} not found above ${__dirname}`);
    dir = parent;
  }
}

export function defaultChannelRules(): ChannelRules {
  if (!cached) cached = parseChannelSheet(readFileSync(defaultChannelSheetPath(), 'utf8'));
  return cached;
}
