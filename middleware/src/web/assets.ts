/**
 * Static assets of the app's pages and the demo site, kept as strings so the compiled dist/ tree
 * needs no copy step. Served by web/static.ts with long-lived caching disabled (they are tiny).
 */

export const APP_CSS = `
*{box-sizing:border-box}
body.app{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#181818;background:#f3f3f3}
.app-header{display:flex;gap:24px;align-items:center;background:#032d60;color:#fff;padding:10px 24px}
.app-header .brand{font-weight:700;font-size:16px}
.app-header nav a{color:#d8e6fe;margin-right:16px;text-decoration:none}
.app-header nav a[aria-current=page]{color:#fff;border-bottom:2px solid #fff}
.app-header .sign-out{margin-left:auto}
.app-header .sign-out button{background:none;border:1px solid #d8e6fe;color:#d8e6fe;border-radius:4px;padding:4px 10px;cursor:pointer;font:inherit}
main{max-width:980px;margin:20px auto;padding:0 16px}
h1{font-size:20px;margin:4px 0 8px}
h2{font-size:15px;margin:18px 0 6px;color:#3e3e3c}
a{color:#0b5cab}
.muted{color:#706e6b}
.mono{font-family:ui-monospace,Menlo,monospace;font-size:12px}
.badge{display:inline-block;border-radius:12px;padding:1px 10px;font-size:12px;font-weight:600;background:#ecebea;color:#181818}
.badge.status-merged{background:#cdefc4;color:#194e31}
.badge.status-standalone{background:#fef1cd;color:#8c4b02}
.badge.status-missing-id,.badge.status-missing-bizibleid{background:#feded8;color:#8e030f}
.badge.status-pending{background:#d8e6fe;color:#014486}
table{border-collapse:collapse;background:#fff;width:100%;border:1px solid #dddbda}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #ecebea;vertical-align:top}
thead th{background:#fafaf9;font-size:12px;color:#3e3e3c}
.swatch{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
figure{background:#fff;border:1px solid #dddbda;border-radius:6px;margin:12px 0;padding:12px;overflow-x:auto}
figcaption{color:#706e6b;font-size:12px}
form.range{display:flex;gap:12px;align-items:end;margin:10px 0}
form.range label{display:flex;flex-direction:column;font-size:12px;color:#3e3e3c}
.error{background:#feded8;color:#8e030f;padding:8px 12px;border-radius:4px}
.empty{background:#fff;padding:16px;border:1px dashed #c9c7c5}
.app-header{flex-wrap:wrap;row-gap:4px}
.mono{overflow-wrap:anywhere}
svg.chart{max-width:100%;height:auto}
@media (max-width:600px){
.app-header{padding:10px 16px;gap:12px}
main{padding:0 10px}
.panel{padding:14px}
.columns{grid-template-columns:1fr}
dl{grid-template-columns:minmax(90px,35%) 1fr}
.percentages{flex-wrap:wrap;gap:16px}
table.calls thead{display:none}
table.calls,table.calls tbody,table.calls tr,table.calls td{display:block;width:100%}
table.calls tr{border-bottom:1px solid #dddbda;padding:6px 0}
table.calls td{border:0;padding:2px 10px;overflow-wrap:anywhere}
table.report{display:block;overflow-x:auto}
form.range{flex-wrap:wrap}
}
`;

export const SITE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 Georgia,"Times New Roman",serif;color:#1d2b36;background:#fbfaf7}
.site-header{background:#0f4c5c;color:#fff;padding:14px 28px;display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:10px}
.site-header .logo{font-size:22px;font-weight:700;color:#fff;text-decoration:none}
.site-header nav a{color:#e7f2f4;margin-left:18px;text-decoration:none;font-family:system-ui,sans-serif;font-size:15px}
.phone{font-family:system-ui,sans-serif;font-weight:700;font-size:18px;color:#ffd166}
.hero{padding:36px 28px;background:#e7f2f4}
.hero h1{margin:0 0 8px;font-size:30px}
.content{max-width:860px;margin:0 auto;padding:20px 28px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:16px}
.card{background:#fff;border:1px solid #d9e2e6;border-radius:8px;padding:14px 16px}
.price{font-size:24px;font-weight:700;color:#0f4c5c}
form.contact label{display:block;margin:10px 0 4px;font-family:system-ui,sans-serif}
form.contact input,form.contact textarea{width:100%;max-width:420px;padding:8px;border:1px solid #9fb3bd;border-radius:4px;font:inherit}
button,.button{font-family:system-ui,sans-serif;background:#0f4c5c;color:#fff;border:0;border-radius:6px;padding:9px 16px;font-size:15px;cursor:pointer;text-decoration:none;display:inline-block}
.demo-tools{margin:28px auto;max-width:860px;border:2px dashed #c0392b;background:#fff6f4;border-radius:8px;padding:14px 18px;font-family:system-ui,sans-serif;font-size:14px}
.demo-tools h2{margin:0 0 6px;font-size:15px;color:#c0392b}
.demo-tools button{margin:6px 8px 6px 0}
.demo-tools button.secondary{background:#fff;color:#0f4c5c;border:1px solid #0f4c5c}
.demo-status{font-weight:600;min-height:1.4em}
.launcher{max-width:860px;margin:0 auto;padding:24px 28px;font-family:system-ui,sans-serif}
@media (max-width:480px){.launcher,.content{padding:16px 14px}}
.launcher li{margin:10px 0}
.launcher code{background:#eef;padding:1px 4px;border-radius:3px;font-size:13px;overflow-wrap:anywhere}
.serp{max-width:720px;margin:0 auto;padding:24px;font-family:arial,sans-serif}
.serp .result{margin:18px 0}
.serp .result a{font-size:19px;color:#1a0dab}
.serp .url{color:#006621;font-size:13px}
.note{background:#fffbe6;border:1px solid #f0d264;padding:8px 12px;border-radius:6px;font-family:system-ui,sans-serif;font-size:14px}
footer{color:#5b6b75;font-size:13px;text-align:center;padding:20px;font-family:system-ui,sans-serif}
`;

/**
 * The demo's "simulate a call" buttons. Plain buttons (not a form), so the tracking snippet does
 * not record them as form submits; the server builds and signs the vendor webhook.
 */
export const DEMO_JS = `(function () {
  var status = document.querySelector('[data-demo-status]');
  function say(text) { if (status) status.textContent = text; }
  var buttons = document.querySelectorAll('[data-simulate-call]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener('click', function () {
      var body = {};
      var after = button.getAttribute('data-minutes-after-last-view');
      if (after) body.minutesAfterLastActivity = Number(after);
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
      say('Calling… (posting a signed CallRail webhook)');
      fetch('/demo/api/simulate-call', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      }).then(function (res) {
        return res.json().then(function (json) { return { ok: res.ok, json: json }; });
      }).then(function (r) {
        if (!r.ok) throw new Error(r.json.error || 'the call could not be simulated');
        if (r.json.warning) {
          say('Call received by the webhook, but ' + r.json.warning + ' Opening the Task in 5 seconds…');
          setTimeout(function () { window.location.href = r.json.taskUrl; }, 5000);
          return;
        }
        say('Call received by the webhook. Opening the Task…');
        window.location.href = r.json.taskUrl;
      }).catch(function (err) {
        say('Could not simulate the call: ' + err.message);
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      });
    });
  });
})();
`;
