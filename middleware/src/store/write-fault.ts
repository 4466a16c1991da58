/**
 * Whose fault a failed write is (docs/security.md, "Health means the service"), pure. A write that
 * failed for what one request sent (a value the database refuses, a constraint) is that request's
 * error; the store is failing for everyone only when it cannot write at all (disk full, I/O error,
 * connection lost, read-only, damaged file), and only that counts against /healthz (write-health.ts).
 *
 * PostgreSQL: SQLSTATE class 22 "Data Exception" (e.g. 22021 character_not_in_repertoire for a NUL
 * in text) and class 23 "Integrity Constraint Violation"
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). SQLite: SQLITE_CONSTRAINT*,
 * SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE (https://www.sqlite.org/rescode.html).
 */
export function isRequestFault(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH|RANGE)/.test(code);
}
