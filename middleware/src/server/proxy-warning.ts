import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';
import type { Logger } from '../log';

/**
 * Per-address limits (failed authentication, /collect requests and new visitor ids) key a client by
 * its address: behind a reverse proxy that address is the proxy's unless the proxy sends
 * X-Forwarded-For and TRUST_PROXY trusts it. Then every client shares one budget, and one vendor's
 * 20 bad signatures lock out every vendor (issue 24). Nothing at start-up can see a proxy, so serve
 * says how it keys clients at start-up and warns once at the first request that shows a proxy
 * (Via, Forwarded, X-Real-IP or X-Forwarded-Proto/-Host) without a usable X-Forwarded-For.
 */
export function describeClientAddressing(config: Config): string[] {
  const { trustProxy } = config;
  const trusted = Array.isArray(trustProxy) ? trustProxy.join(', ') : `${trustProxy} hop(s)`;
  const lines = [
    `          rate limits count per client address; X-Forwarded-For is believed from: ${trusted} (TRUST_PROXY). ` +
      'Behind a proxy, make it send X-Forwarded-For, or all clients share one address.',
  ];
  // TRUST_PROXY names a proxy in front: say plainly what a proxy without X-Forwarded-For costs.
  const proxyDeclared = Array.isArray(trustProxy) ? trustProxy.some((t) => t !== 'loopback') : trustProxy > 0;
  if (proxyDeclared)
    lines.push(
      `          warning: requests from the proxy (${trusted}) without X-Forwarded-For all count as ONE client: ` +
        `AUTH_FAILURE_LIMIT (${config.authFailureLimit} failures per 15 min — one vendor's bad signatures then lock out every vendor), ` +
        `COLLECT_RATE_LIMIT (${config.tracking.collectRateLimitPerMinute}/min) and COLLECT_NEW_VISITORS_PER_MINUTE ` +
        `(${config.tracking.newVisitorsPerMinute}) are shared by everyone behind it; the first such request is logged.`,
    );
  return lines;
}

const PROXY_HEADERS = ['via', 'forwarded', 'x-real-ip', 'x-forwarded-proto', 'x-forwarded-host'];

export function proxyWithoutForwardedFor(logger: Logger) {
  let warned = false;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!warned && PROXY_HEADERS.some((h) => req.headers[h] !== undefined)) {
      const peer = req.socket.remoteAddress ?? 'unknown';
      const forwarded = req.headers['x-forwarded-for'] !== undefined;
      // With a usable X-Forwarded-For express's req.ip is the client, not the peer.
      if (!forwarded || req.ip === peer) {
        warned = true;
        logger.warn(
          { peer, xForwardedFor: forwarded },
          forwarded
            ? 'requests come through a proxy whose X-Forwarded-For is not trusted: every client behind it counts as one address for the rate limits; set TRUST_PROXY to the proxy address'
            : 'requests come through a proxy that sends no X-Forwarded-For: every client behind it counts as one address for the rate limits; configure the proxy to send X-Forwarded-For',
        );
      }
    }
    next();
  };
}
