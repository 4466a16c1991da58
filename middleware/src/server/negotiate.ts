import type { Request } from 'express';

/** A browser asking for a page (GET, HTML preferred), as opposed to an API or webhook client. */
export function wantsHtml(req: Request): boolean {
  return (
    req.method === 'GET' &&
    !req.path.startsWith('/api/') &&
    !req.path.startsWith('/webhooks/') &&
    req.accepts(['html', 'json']) === 'html'
  );
}
