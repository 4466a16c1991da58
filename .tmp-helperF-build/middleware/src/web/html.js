"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Html = void 0;
exports.escapeHtml = escapeHtml;
exports.html = html;
exports.raw = raw;
exports.appPage = appPage;
/**
 * Tiny server-side HTML helpers. Every dynamic value goes through `html` tagged templates, which
 * escape interpolations unless they are already `Html` (built by this module), so pages cannot be
 * broken or scripted by data coming from visitors, vendors or the org.
 */
class Html {
    value;
    constructor(value) {
        this.value = value;
    }
    toString() {
        return this.value;
    }
}
exports.Html = Html;
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
function render(part) {
    if (part === null || part === undefined || part === false)
        return '';
    if (part instanceof Html)
        return part.value;
    if (Array.isArray(part))
        return part.map(render).join('');
    return escapeHtml(String(part));
}
/** Tagged template: `html\`<p>${userText}</p>\`` escapes userText. */
function html(strings, ...values) {
    let out = strings[0];
    for (let i = 0; i < values.length; i++)
        out += render(values[i]) + strings[i + 1];
    return new Html(out);
}
/** Marks trusted markup (constants of this codebase only, never data) as Html. */
function raw(markup) {
    return new Html(markup);
}
/** The app's own pages (Task preview, report): one stylesheet, a small top navigation. */
function appPage(options) {
    const link = (key, href, label) => html `<a href="${href}"${options.nav === key ? raw(' aria-current="page"') : ''}>${label}</a>`;
    return ('<!doctype html>\n' +
        html `<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Call Touchpoints</title>
<link rel="stylesheet" href="/static/app.css">
${options.head ?? ''}
</head>
<body class="app">
<header class="app-header">
  <span class="brand">Call Touchpoints</span>
  <nav aria-label="Main">${link('demo', '/demo/', 'Demo site')} ${link('tasks', '/tasks', 'Calls')} ${link('reports', '/reports/calls-by-channel', 'Calls by channel')}</nav>
</header>
<main>
${options.body}
</main>
</body>
</html>
`.value);
}
//# sourceMappingURL=html.js.map