/**
 * The dashboard's only script of its own (served at /dashboard/assets/dashboard.js), a few lines
 * of vanilla JS beside htmx:
 * - sends the session's CSRF token (from `<meta name="csrf-token">`) on every htmx request;
 * - copy buttons (`data-copy="<element id>"`) for secrets shown once, and the URL of such a
 *   page replaced by the plain one, so Reload neither re-posts the form nor shows the secret again;
 * - live updates: one EventSource on /dashboard/stream; on a `change` it fires `herald:refresh`
 *   on <body> (throttled to one per second), and every region with
 *   `hx-trigger="herald:refresh from:body"` re-fetches itself. A (re)connect also refreshes, so
 *   nothing that happened while the stream was down is missed.
 */
export const DASHBOARD_JS = String.raw`(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : null;
  document.addEventListener('htmx:config:request', function (e) {
    var ctx = e.detail && e.detail.ctx;
    if (csrf && ctx && ctx.request) ctx.request.headers['X-CSRF-Token'] = csrf;
  });

  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('[data-copy]') : null;
    if (!b) return;
    var el = document.getElementById(b.getAttribute('data-copy'));
    if (!el) return;
    var selectIt = function () {
      var r = document.createRange();
      r.selectNodeContents(el);
      var s = window.getSelection();
      s.removeAllRanges();
      s.addRange(r);
      b.textContent = 'Selected: press Ctrl+C';
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(el.textContent || '').then(function () { b.textContent = 'Copied'; }, selectIt);
    } else selectIt();
  });

  // A page showing a secret once was the answer to a POST: make Reload show the plain page.
  var once = document.querySelector('[data-secret-once][data-canonical]');
  if (once && window.history.replaceState) window.history.replaceState(null, '', once.getAttribute('data-canonical'));

  var status = document.querySelector('[data-live-status]');
  var setStatus = function (state, text) {
    if (!status) return;
    status.setAttribute('data-state', state);
    status.textContent = text;
  };
  if (!document.querySelector('[data-live]') || !window.EventSource) {
    if (status) status.hidden = true;
    return;
  }
  var last = 0;
  var timer = null;
  var refresh = function () {
    timer = null;
    last = Date.now();
    if (window.htmx) window.htmx.trigger(document.body, 'herald:refresh');
  };
  var schedule = function () {
    if (timer) return;
    timer = setTimeout(refresh, Math.max(100, 1000 - (Date.now() - last)));
  };
  var es = new EventSource('/dashboard/stream');
  es.addEventListener('open', function () { setStatus('live', 'Live'); schedule(); });
  es.addEventListener('change', schedule);
  es.addEventListener('error', function () {
    setStatus('offline', es.readyState === 2 ? 'Offline: reload the page' : 'Reconnecting');
  });
  window.addEventListener('pagehide', function () { es.close(); });
})();
`;
