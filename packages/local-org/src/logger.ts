/**
 * What the local org logs through: a structured logger's info/warn/error (merge object first, then the
 * message). The caller injects its own (serve and the CLI pass their pino logger, which fits as is),
 * so the package needs no logging library of its own.
 */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Logs nothing: the default for tests and library use. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
