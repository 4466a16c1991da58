/**
 * Tiny server-side HTML helpers. Every dynamic value goes through `html` tagged templates, which
 * escape interpolations unless they are already `Html` (built by this module), so pages cannot be
 * broken or scripted by data coming from visitors, vendors or the org.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template: `html\`<p>${userText}</p>\`` escapes userText. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/**
 * The pages' tables — the list pages' (class `calls`: Calls, set-aside calls, Opportunities) and the
 * reports' (class `report`, with a Total row): the column headings, then one row a record, each row
 * its cells (`<td>`, or a `<th scope="row">` first), and the footer row's cells when there is one.
 */
export function dataTable(
  className: string,
  columns: readonly (Html | string)[],
  rows: readonly Html[],
  footer?: Html,
): Html {
  return html`<table class="${className}">
    <thead>
      <tr>
        ${columns.map((column) => html`<th scope="col">${column}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (cells) =>
          html`<tr>
            ${cells}
          </tr>`,
      )}
    </tbody>
    ${
      footer
        ? html`<tfoot>
            <tr>
              ${footer}
            </tr>
          </tfoot>`
        : ''
    }
  </table>`;
}

/** Marks trusted markup (constants of this codebase only, never data) as Html. */
export function raw(markup: string): Html {
  return new Html(markup);
}

export interface PageOptions {
  title: string;
  body: Html;
  /** Extra markup for <head> (styles, meta refresh). */
  head?: Html;
  /** Which top-level section to highlight in the navigation. */
  nav?: 'demo' | 'tasks' | 'opportunities' | 'reports' | null;
  /** Signed in with the ADMIN_TOKEN session: the navigation offers "Sign out". */
  signedIn?: boolean;
}

/** Whether requireSignIn (server/access.ts) let this request in with a session. */
export function signedIn(res: { locals: Record<string, unknown> }): boolean {
  return res.locals.signedIn === true;
}

/** A whole page: doctype, UTF-8, mobile viewport, one stylesheet, extra <head> markup and the body. */
export function htmlDocument(d: {
  title: string;
  stylesheet: string;
  head?: Html;
  bodyClass?: string;
  body: Html;
}): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${d.title}</title>
        <link rel="stylesheet" href="${d.stylesheet}" />
        ${d.head ?? ''}
      </head>
      <body${d.bodyClass ? html` class="${d.bodyClass}"` : ''}>
        ${d.body}
      </body>
    </html>`.value
  );
}

/** The app's own pages (Task preview, report): one stylesheet, a small top navigation. */
export function appPage(options: PageOptions): string {
  const link = (key: PageOptions['nav'], href: string, label: string) =>
    html`<a href="${href}" ${options.nav === key ? raw(' aria-current="page"') : ''}>${label}</a>`;
  return htmlDocument({
    title: `${options.title} · Call Touchpoints`,
    stylesheet: '/static/app.css',
    head: options.head,
    bodyClass: 'app',
    body: html`<header class="app-header">
        <span class="brand">Call Touchpoints</span>
        <nav aria-label="Main">
          ${link('demo', '/demo/', 'Demo site')} ${link('tasks', '/tasks', 'Calls')}
          ${link('opportunities', '/opportunities', 'Opportunities')}
          ${link('reports', '/reports/calls-by-channel', 'Calls by channel')}
        </nav>
        ${
          options.signedIn
            ? html`<form class="sign-out" method="post" action="/logout">
                <button type="submit">Sign out</button>
              </form>`
            : ''
        }
      </header>
      <main>${options.body}</main>`,
  });
}
