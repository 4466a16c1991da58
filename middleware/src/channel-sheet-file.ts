import { readFileSync } from 'node:fs';
import { ChannelSheetError, defaultChannelRules, parseChannelSheet, type ChannelRules } from './domain';
import { envSchema, text } from './env-setting';
import { UserError } from './user-error';

/**
 * The channel sheet (R12) a command runs with: a customer's CSV (`--channels FILE` or
 * CHANNEL_RULES_FILE) or, without one, the built-in sheet. The one loader `join` and `serve` share,
 * so both classify sessions the same way. Read and validated once, at start-up.
 */

export interface ChannelSheetSettings {
  /** CHANNEL_RULES_FILE: channel sheet CSV for serve and join (R12); null → the built-in sheet. */
  channelRulesFile: string | null;
}

export const channelSheetSettings = envSchema({ CHANNEL_RULES_FILE: text() }, (s): ChannelSheetSettings => ({
  channelRulesFile: s.CHANNEL_RULES_FILE,
}));

/** A sheet that cannot be used; the message names where it came from, the file, and the row/column. */
export class ChannelSheetFileError extends UserError {}

/**
 * @param file the CSV path, or null for the built-in sheet
 * @param origin how the user named it (`--channels`, `CHANNEL_RULES_FILE`), echoed in errors
 */
export function loadChannelRules(file: string | null | undefined, origin: string): ChannelRules {
  if (!file) return defaultChannelRules();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ChannelSheetFileError(
      `${origin} ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err}); check the path`,
    );
  }
  try {
    return parseChannelSheet(text);
  } catch (err) {
    if (err instanceof ChannelSheetError)
      throw new ChannelSheetFileError(`${origin} ${file}: ${err.message}`);
    throw err;
  }
}

/** One line for start-up output: which sheet is in use. */
export function describeChannelRules(file: string | null | undefined, rules: ChannelRules): string {
  return file ? `${file} (${rules.rules.length} rules)` : `built-in sheet (${rules.rules.length} rules)`;
}
