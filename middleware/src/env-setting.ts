import { z } from 'zod';
import { UserError } from './user-error';

/**
 * The building blocks of the settings read from the environment. Each module that owns settings
 * declares them in its own `config.ts` with `envSchema`; config.ts composes those into `Config`.
 * A value that cannot be used is refused with a message that names the variable and the fix, and
 * never repeats a secret's value (docs/configuration.md).
 */

/** A setting that cannot be used; the message names the variable and the fix. Exit code 2 (usage). */
export class ConfigError extends UserError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Given the variable's name, the schema that reads its value (undefined when unset). */
export type Setting<T> = (name: string) => z.ZodType<T, string | undefined>;

/** The message for a problem zod found in `text`, the value of variable `name` (trimmed). */
export type Message = (name: string, text: string, issue: z.core.$ZodIssue) => string;

/**
 * A variable that `schema` reads from its trimmed text; unset or blank gives `fallback` (so
 * `FOO=` means the default). Every problem `schema` finds is reported as `message(…)`: zod's own
 * wording never reaches the user. Issues carry the offending input (a list's item, say).
 */
export function setting<T, F = T>(schema: z.ZodType<T>, fallback: F, message: Message): Setting<T | F> {
  return (name) =>
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const text = raw?.trim();
        if (!text) return fallback;
        const parsed = schema.safeParse(text, { reportInput: true });
        if (parsed.success) return parsed.data;
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', message: message(name, text, issue) });
        return z.NEVER;
      });
}

/** The message of settings that take any text: never shown, as such a setting cannot be wrong. */
const ANY_TEXT: Message = (name) => `${name} cannot be read`;

/** Free text (a token, a path, a URL), trimmed; `fallback` when unset. */
export function text<F extends string | null = null>(fallback: F = null as F): Setting<string | F> {
  return setting(z.string(), fallback, ANY_TEXT);
}

/** A comma-separated list, items trimmed, empty items dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A comma-separated list of free text; empty when unset. */
export function list(): Setting<string[]> {
  return setting(z.string().transform(splitList), [], ANY_TEXT);
}

/** A whole number from `min` to `max`, with the same reading as Number() ("1e3" is 1000). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType<number> {
  return z.coerce.number().int().min(min).max(max);
}

/** A count from `min` up, in `unit`: "NAME must be a whole number of <unit> (<min> or more), got …". */
export function wholeNumber<F extends number | null>(
  unit: string,
  min: number,
  fallback: F,
): Setting<number | F> {
  return setting(
    integer(min),
    fallback,
    (name, text) => `${name} must be a whole number of ${unit} (${min} or more), got "${text}"`,
  );
}

/** One of `choices`' keys, case-insensitive; the message sees the value in lower case. */
export function choice<V>(choices: Record<string, V>, fallback: string, message: Message): Setting<V> {
  const schema = z
    .string()
    .toLowerCase()
    .refine((key) => Object.hasOwn(choices, key))
    .transform((key) => choices[key]);
  return setting(schema, choices[fallback], (name, text, issue) => message(name, text.toLowerCase(), issue));
}

/** A yes/no setting: every boolean variable reads true/false and on/off alike. */
export function yesNo(fallback: boolean, message: Message): Setting<boolean> {
  return choice({ true: true, on: true, false: false, off: false }, fallback ? 'true' : 'false', message);
}

/** Text matching `pattern`, or `fallback` when unset. */
export function matching<F extends string | null>(
  pattern: RegExp,
  fallback: F,
  message: Message,
): Setting<string | F> {
  return setting(z.string().regex(pattern), fallback, message);
}

type SettingValues<S> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/**
 * One module's settings: `settings` maps each variable's name to how it is read; `build` turns the
 * values into the module's part of `Config` (it may refuse a combination with `ctx.addIssue`).
 */
export function envSchema<S extends Record<string, Setting<unknown>>, R>(
  settings: S,
  build: (values: SettingValues<S>, ctx: z.RefinementCtx) => R,
): z.ZodType<R> {
  const shape = Object.fromEntries(Object.entries(settings).map(([name, read]) => [name, read(name)]));
  return z.object(shape).transform((values, ctx) => build(values as SettingValues<S>, ctx));
}

/** What `schema` reads from `input`; its first problem stops it as a ConfigError, as config always did. */
function readOrRefuse<R>(schema: z.ZodType<R>, input: unknown): R {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0].message);
  return parsed.data;
}

/** A module's settings from `env` (a process's environment). */
export function readSettings<R>(schema: z.ZodType<R>, env: NodeJS.ProcessEnv): R {
  return readOrRefuse(schema, env);
}

/** One setting given another way (a command-line flag), the message naming it as `name`. */
export function readSetting<T>(read: Setting<T>, name: string, value: string | undefined): T {
  return readOrRefuse(read(name), value);
}
