import pino from 'pino';
import { ConfigError } from './env-setting';
import { maskPersonalData, maskValue } from './log-mask';

/**
 * Structured JSON logs (pino). Secrets never reach logs: known secret-bearing keys are redacted wherever they
 * appear one or two levels deep. Personal data neither (docs/security.md, "What is logged"): fields that hold
 * it are masked by name, and every string of every line (message, fields, errors, child bindings) goes
 * through maskPersonalData: phone numbers and e-mail addresses masked, URL query strings removed.
 */
const SECRET_KEYS = [
  'accessToken',
  'access_token',
  'authorization',
  'Authorization',
  'token',
  'secret',
  'clientSecret',
  'password',
  'signature',
  'signingKey',
];
const PERSONAL_KEYS = ['callerNumber', 'phone', 'Phone', 'MobilePhone', 'email', 'Email'];
const SECRET_KEY_SET = new Set(SECRET_KEYS);

const everywhere = (keys: string[]) => [...keys, ...keys.map((k) => `*.${k}`)];
export const redactPaths = [
  ...everywhere(SECRET_KEYS),
  ...everywhere(PERSONAL_KEYS),
  'req.headers.authorization',
];

/** Secrets are replaced outright; personal values keep their masked shape ("+•••••••••67"). */
function censor(value: unknown, path: string[]): unknown {
  if (SECRET_KEY_SET.has(path[path.length - 1]) || path.includes('headers')) return '[redacted]';
  return typeof value === 'string' ? maskPersonalData(value) : '[redacted]';
}

export type Logger = pino.Logger;

const LEVELS = [...Object.keys(pino.levels.values), 'silent'];

/** LOG_LEVEL (or a command's default): one of pino's levels, refused by name otherwise. */
function logLevel(value: string): string {
  if (LEVELS.includes(value)) return value;
  throw new ConfigError(
    `LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${value}". ` +
      'For more detail than info, set LOG_LEVEL=debug.',
  );
}

export function createLogger(
  options: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      name: options.name ?? 'call-touchpoints',
      level: logLevel(options.level ?? process.env.LOG_LEVEL ?? 'info'),
      redact: { paths: redactPaths, censor },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { bindings: (bindings) => maskValue(bindings) as Record<string, unknown> },
      hooks: {
        // Every argument of every call (merging object, Error, message, format args), masked.
        logMethod(args, method) {
          const masked = args.map((a, i) =>
            i === 0 && a instanceof Error ? { err: maskValue(a) } : maskValue(a),
          ) as Parameters<typeof method>;
          if (args[0] instanceof Error && args.length === 1) masked.push(maskPersonalData(args[0].message));
          method.apply(this, masked);
        },
      },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that writes nothing: for tests and pure library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
