/*! Call Touchpoints tracking snippet, served at /t.js. Docs: docs/tracking.md. No dependencies. */
(function (w, d) {
  'use strict';
  var NAME = '_biz_uid';
  var YEAR_S = 31536000;
  var BATCH = 20;
  var HOLD = 100; // events kept in memory at most (before consent or while offline)
  var DELAY_MS = 1000;

  // Every entry point is wrapped: the snippet must never throw into the host page.
  function safe(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (_e) {
        return undefined;
      }
    };
  }

  function readCookie() {
    var m = /(?:^|;\s*)_biz_uid=([^;]*)/.exec(d.cookie);
    return m ? m[1] : null;
  }

  function hex() {
    var b = new Uint8Array(16);
    var s = '';
    var c = w.crypto;
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    for (var j = 0; j < 16; j++) s += (b[j] + 256).toString(16).slice(1);
    return s;
  }

  // The widest domain the browser accepts (example.co.uk, never co.uk), so www. and the apex
  // share one id; host-only for IP addresses and single-label hosts.
  function writeCookie(id) {
    var base = NAME + '=' + id + '; Max-Age=' + YEAR_S + '; Path=/; SameSite=Lax';
    if (location.protocol === 'https:') base += '; Secure';
    var host = location.hostname;
    var parts = host.split('.');
    if (parts.length > 1 && !/^[\d.]+$/.test(host)) {
      for (var i = parts.length - 2; i >= 0; i--) {
        d.cookie = base + '; Domain=' + parts.slice(i).join('.');
        if (readCookie() === id) return;
      }
    }
    d.cookie = base;
  }

  function emailOf(form) {
    var els = form.elements || [];
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.type === 'email' || /e-?mail/i.test(el.name || el.id || '')) {
        var v = String(el.value || '').trim();
        if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return v;
      }
    }
    return null;
  }

  function hook(name, onChange) {
    var orig = history[name];
    if (typeof orig !== 'function') return;
    history[name] = function () {
      var result = orig.apply(this, arguments);
      onChange();
      return result;
    };
  }

  // Single-page-app navigations, form submissions (with the email typed), and the page going away.
  function listen(pageView, push, flush) {
    hook('pushState', safe(pageView));
    hook('replaceState', safe(pageView));
    w.addEventListener('popstate', safe(pageView));
    d.addEventListener(
      'submit',
      safe(function (ev) {
        if (ev.target && ev.target.tagName === 'FORM') {
          push('form_submit', emailOf(ev.target));
          flush(true); // the page is usually about to unload
        }
      }),
      true,
    );
    d.addEventListener(
      'visibilitychange',
      safe(function () {
        if (d.visibilityState === 'hidden') flush(true);
      }),
    );
    w.addEventListener(
      'pagehide',
      safe(function () {
        flush(true);
      }),
    );
  }

  safe(function () {
    if (w.callTouchpoints && w.callTouchpoints.version) return; // included twice
    var script = d.currentScript;
    if (!script || !script.src) return;
    var nav = w.navigator;
    var endpoint = new URL('collect', script.src).href; // next to /t.js on the middleware
    var optOut =
      script.getAttribute('data-honor-dnt') !== 'false' &&
      (nav.globalPrivacyControl === true ||
        nav.doNotTrack === '1' ||
        nav.doNotTrack === 'yes' ||
        w.doNotTrack === '1');
    var consented = !script.hasAttribute('data-requires-consent');
    var queue = [];
    var timer = null;
    var uid = null;
    var lastUrl = null;
    var pageRef = '';

    // An existing _biz_uid (ours, the server's or Marketo Measure's) is kept, never replaced.
    // One we cannot read as 32 hex chars stops tracking rather than being overwritten.
    function visitor() {
      if (uid) return uid;
      var v = readCookie();
      if (v === null) writeCookie((v = hex()));
      if (/^[0-9a-fA-F]{32}$/.test(v)) uid = v.toLowerCase();
      return uid;
    }

    function send(body, beacon) {
      if (beacon && nav.sendBeacon && nav.sendBeacon(endpoint, body)) return;
      if (w.fetch) {
        w.fetch(endpoint, {
          method: 'POST',
          body: body,
          keepalive: true,
          credentials: 'include',
          headers: { 'Content-Type': 'text/plain' },
        })['catch'](function () {});
      }
    }

    function flush(beacon) {
      clearTimeout(timer);
      timer = null;
      if (!consented || optOut || !queue.length) return;
      var id = visitor();
      if (!id) return void (queue = []);
      while (queue.length) {
        var batch = queue.splice(0, BATCH);
        for (var i = 0; i < batch.length; i++) batch[i].visitorId = id;
        send(JSON.stringify({ events: batch }), beacon);
      }
    }

    function push(type, email) {
      if (optOut) return;
      var e = { type: type, url: location.href, referrer: pageRef, clientTime: Date.now(), eventId: hex() };
      if (email) e.email = email;
      queue.push(e);
      if (queue.length > HOLD) queue.shift();
      if (!consented) return; // held in memory until consent()
      if (queue.length >= BATCH) flush(false);
      else if (!timer) timer = setTimeout(safe(flush), DELAY_MS);
    }

    // Page views, including single-page-app navigations: the referrer of an in-app navigation
    // is the previous URL, so it never looks like a new external arrival.
    function pageView() {
      var url = location.href;
      if (url === lastUrl) return;
      pageRef = lastUrl === null ? d.referrer : lastUrl;
      lastUrl = url;
      push('page_view');
    }

    w.callTouchpoints = {
      version: 1,
      // Consent given: set the cookie and send what was held. Call on every page once the
      // visitor agreed (consent is not remembered by the snippet).
      consent: safe(function () {
        if (consented) return;
        consented = true;
        if (!optOut) visitor();
        flush(false);
      }),
      // Consent withdrawn: stop sending, drop what is held, and ask the server to suppress this
      // cookie (POST /collect/consent; docs/privacy.md) so nothing of it is collected or joined again.
      withdrawConsent: safe(function () {
        var id = uid || readCookie();
        consented = false;
        queue = [];
        uid = null;
        if (!id || !/^[0-9a-fA-F]{32}$/.test(id) || !w.fetch) return;
        w.fetch(new URL('collect/consent', script.src).href, {
          method: 'POST',
          body: JSON.stringify({ consent: 'withdrawn', visitorId: id.toLowerCase() }),
          keepalive: true,
          credentials: 'include',
          headers: { 'Content-Type': 'text/plain' },
        })['catch'](function () {});
      }),
      // The visitor id, or null before consent / under an opt-out.
      visitorId: safe(function () {
        return consented && !optOut ? visitor() : null;
      }),
    };

    if (optOut) return;
    listen(pageView, push, flush);
    pageView();
  })();
})(window, document);
