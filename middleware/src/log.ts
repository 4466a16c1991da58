import pino from 'pino';

/**
 * Structured JSON logs (pino). Secrets never reach logs: known secret-bearing keys are redacted
 * wherever they appear one or two levels deep.
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

export const redactPaths = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'req.headers.authorization'];

export type Logger = pino.Logger;

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'call-touchpoints',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination(2),
  );
}

/** A logger that writes nothing: for tests and pure library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
