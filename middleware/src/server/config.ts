import net from 'node:net';
import { z } from 'zod';
import { envSchema, integer, setting, splitList, text, wholeNumber } from '../env-setting';

/** serve's listener and who may reach it (docs/configuration.md; docs/security.md). */
export interface ServerSettings {
  port: number;
  /** HOST: the interface serve listens on (default 127.0.0.1; 0.0.0.0 opens it to the network). */
  host: string;
  /**
   * TRUST_PROXY: which clients may set X-Forwarded-For/-Proto (express `trust proxy`): a number of
   * hops, or a list of addresses, CIDRs and the names loopback, linklocal, uniquelocal.
   */
  trustProxy: number | string[];
  /** PUBLIC_HOSTNAMES: host names (Host header) serve answers besides the loopback names. */
  publicHostnames: string[];
  /** AUTH_FAILURE_LIMIT: failed authentications per client address per 15 minutes before 429 (default 20). */
  authFailureLimit: number;
  /** SHUTDOWN_DEADLINE_S: a stop that takes longer exits 1 naming the step that hung (cli/bounded-stop.ts). */
  shutdownDeadlineS: number;
}

/**
 * SHUTDOWN_DEADLINE_S default: past the longest clean stop — the http drain (5 s), then the calls
 * pipeline and the join, each bounded at 10 s (start.ts SHUTDOWN_WAIT_MS) — with a margin.
 */
export const DEFAULT_SHUTDOWN_DEADLINE_S = 30;

/** The names express's `trust proxy` (proxy-addr) knows besides addresses and CIDRs. */
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(item: string): boolean {
  if (TRUST_PROXY_NAMES.includes(item)) return true;
  const [address, bits, extra] = item.split('/');
  const family = net.isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  return (
    family !== 0 &&
    extra === undefined &&
    (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits))
  );
}

/** Digits: a number of hops; anything else: a list whose every item must be an address, CIDR or name. */
const trustProxy = z.string().transform((value, ctx) => {
  if (/^\d+$/.test(value)) return Number(value);
  const items = value.split(',').map((s) => s.trim());
  for (const item of items.filter((i) => !isProxyAddress(i))) ctx.addIssue({ code: 'custom', input: item });
  return items;
});

/** Host names as the Host header carries them: lower case, no port; IPv6 in brackets. */
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/;

const hostNames = z
  .string()
  .transform((value) => splitList(value.toLowerCase()))
  .pipe(z.array(z.string().regex(HOST_NAME)));

export const serverSettings = envSchema(
  {
    PORT: setting(
      integer(0, 65535),
      8080,
      (name, value) => `${name} must be a whole number from 0 to 65535, got "${value}"`,
    ),
    HOST: text('127.0.0.1'),
    TRUST_PROXY: setting(
      trustProxy,
      ['loopback'],
      (name, _value, issue) =>
        `${name}: "${String(issue.input)}" is not an address, CIDR or known name; set it to a number of ` +
        'proxy hops (e.g. 1), or a comma-separated list of proxy addresses or CIDRs and the names ' +
        `${TRUST_PROXY_NAMES.join(', ')} (default loopback)`,
    ),
    PUBLIC_HOSTNAMES: setting(
      hostNames,
      [],
      (name, _value, issue) =>
        `${name}: "${String(issue.input)}" is not a host name; list names without scheme or port, e.g. calls.example.com,10.0.0.5`,
    ),
    AUTH_FAILURE_LIMIT: wholeNumber('failed attempts per 15 minutes', 1, 20),
    SHUTDOWN_DEADLINE_S: wholeNumber('seconds', 1, DEFAULT_SHUTDOWN_DEADLINE_S),
  },
  (s): ServerSettings => ({
    port: s.PORT,
    host: s.HOST,
    trustProxy: s.TRUST_PROXY,
    publicHostnames: s.PUBLIC_HOSTNAMES,
    authFailureLimit: s.AUTH_FAILURE_LIMIT,
    shutdownDeadlineS: s.SHUTDOWN_DEADLINE_S,
  }),
);
