import express, { Router, type Request, type Response } from 'express';
import { serialize } from 'cookie';
import { sameSecret } from '../tracking/admin';
import { appPage, html } from '../web/html';
import { isSignedIn, localPath } from './access';
import { refuseCrossSite } from './cross-site';
import { issueSession, SESSION_COOKIE, SESSION_MS } from './session-cookie';

/**
 * GET/POST /login and /logout: the operator signs in to the pages with ADMIN_TOKEN and gets an
 * HttpOnly, SameSite=Strict session cookie (Secure over https) for 8 hours (docs/security.md
 * "Pages and sign-in").
 */
function loginPage(next: string, message: string | null): string {
  return appPage({
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
      <p class="muted">
        These pages show data from the Salesforce org. Sign in with the server's ADMIN_TOKEN.
      </p>
      ${message ? html`<p class="error" role="alert">${message}</p>` : ''}
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${next}" />
        <label
          >ADMIN_TOKEN <input type="password" name="token" autocomplete="current-password" required
        /></label>
        <button type="submit">Sign in</button>
      </form>`,
  });
}

function sessionCookie(req: Request, value: string, maxAgeS: number): string {
  return serialize(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeS,
  });
}

export function createSignInRouter(adminToken: string | null, now: () => number = Date.now): Router {
  const router = Router();
  const noToken = 'Sign-in is off: set ADMIN_TOKEN on the server to use the pages.';

  router.get('/login', (req, res) => {
    const next = localPath(req.query.next);
    res.set('cache-control', 'no-store');
    if (isSignedIn(req, adminToken, now())) return void res.redirect(303, next);
    res
      .status(adminToken ? 200 : 401)
      .type('html')
      .send(loginPage(next, adminToken ? null : noToken));
  });

  router.post(
    '/login',
    refuseCrossSite,
    express.urlencoded({ extended: false, limit: '4kb' }),
    (req, res) => {
      const body = (req.body ?? {}) as { token?: unknown; next?: unknown };
      const next = localPath(body.next);
      res.set('cache-control', 'no-store');
      if (!adminToken) return void res.status(401).type('html').send(loginPage(next, noToken));
      if (typeof body.token !== 'string' || !sameSecret(body.token, adminToken))
        return void res
          .status(401)
          .type('html')
          .send(loginPage(next, 'That is not the ADMIN_TOKEN of this server.'));
      res.set('Set-Cookie', sessionCookie(req, issueSession(adminToken, now()), SESSION_MS / 1000));
      res.redirect(303, next);
    },
  );

  const logout = (req: Request, res: Response) => {
    res.set('Set-Cookie', sessionCookie(req, '', 0));
    res.set('cache-control', 'no-store');
    res.redirect(303, '/login');
  };
  // POST only, and only from our own pages: a link or an image on another site must not sign out.
  router.post('/logout', refuseCrossSite, logout);
  router.get('/logout', (_req, res) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .set('cache-control', 'no-store')
      .type('html')
      .send(
        appPage({
          title: 'Sign out',
          body: html`<h1>Sign out</h1>
            <form class="sign-out" method="post" action="/logout">
              <button type="submit">Sign out</button>
            </form>`,
        }),
      );
  });
  return router;
}
