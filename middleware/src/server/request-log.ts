import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log';
import { httpDuration } from '../metrics';

/**
 * One structured log line per request (successful reads at debug) and the httpDuration histogram. Logs the path without its
 * query string (webhook tokens may travel as ?token=) and no headers, so no secret reaches a log.
 * The metric's route label is the matched route pattern (never the raw path), keeping its label
 * values a fixed set.
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    // Read now: a mounted router (e.g. /static/panel) strips its prefix from req.path while it serves.
    const path = req.path;
    res.on('finish', () => {
      // This runs outside any request's error handling: a throw here would end the process (a request with a
      // `__proto__` key once did), so a failure only costs this request's log line and sample.
      try {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        httpDuration.observe({ route, status: String(res.statusCode) }, seconds);
        // Reads that went well (pages, assets, a browser's favicon probes) at debug: at info they
        // scroll serve's banner away. So are stored page views (POST /collect answered 2xx): a line
        // per page view of every tracked site is the busiest log and the costliest per event
        // (issue 28); events_collected_total counts them. Other writes, refusals and failures stay visible.
        const read = req.method === 'GET' || req.method === 'HEAD';
        const collected = path === '/collect' && res.statusCode < 300;
        const quiet = collected || (read && (res.statusCode < 400 || path === '/favicon.ico'));
        const level = res.statusCode >= 500 ? 'error' : quiet ? 'debug' : 'info';
        logger[level](
          {
            method: req.method,
            path,
            route,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
          },
          'request',
        );
      } catch (err) {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'request log hook failed');
      }
    });
    next();
  };
}
