/** The dashboard's one stylesheet, served at /dashboard/assets/dashboard.css. */
export const DASHBOARD_CSS = String.raw`
:root {
  --bg: #f6f7fb; --panel: #fff; --ink: #1d2433; --muted: #5b6478; --line: #e3e6ee; --brand: #3b4fd8;
  --brand-ink: #fff; --ok: #177245; --ok-bg: #e3f5ea; --bad: #b42318; --bad-bg: #fde8e6; --warn: #8a5300;
  --warn-bg: #fff1d6; --info: #1f5fae; --info-bg: #e4eefb; --off: #596173; --off-bg: #eceef3;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--brand); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: var(--mono); font-size: 13px; }
code { background: #eef0f6; border-radius: 4px; padding: .05rem .3rem; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; overflow-wrap: anywhere; }
h1 code { font-size: inherit; background: none; padding: 0; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
p { margin: .4rem 0 .8rem; }
.muted { color: var(--muted); }
.small { font-size: 13px; }

.topbar { background: #151a2d; color: #e8ebf5; }
.topbar .inner { max-width: 1200px; margin: 0 auto; padding: 0 1.25rem; display: flex; align-items: center; gap: 1.5rem; height: 54px; }
.brand { font-weight: 700; letter-spacing: .02em; color: #fff; display: flex; align-items: center; gap: .5rem; }
.brand:hover { text-decoration: none; }
.brand .dot { width: 10px; height: 10px; border-radius: 50%; background: #7c8cff; box-shadow: 0 0 0 3px rgba(124,140,255,.25); }
.nav { display: flex; gap: .25rem; flex: 1; overflow-x: auto; }
.nav a { color: #c5cbe0; padding: .4rem .7rem; border-radius: 6px; white-space: nowrap; }
.nav a:hover { background: rgba(255,255,255,.08); color: #fff; text-decoration: none; }
.nav a[aria-current="page"] { background: rgba(255,255,255,.14); color: #fff; }
.session { display: flex; align-items: center; gap: .75rem; font-size: 13px; color: #aab2cc; }
.session form { margin: 0; }
.session code { background: rgba(255,255,255,.1); color: #dfe3f2; }
.live { display: inline-flex; align-items: center; gap: .35rem; }
.live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #8a90a3; }
.live[data-state="live"]::before { background: #3ccf7c; }
.live[data-state="offline"]::before { background: #e5a23a; }

main { max-width: 1200px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
.page-head { display: flex; align-items: flex-end; justify-content: space-between; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.panel > h2:first-child, .panel > h3:first-child { margin-top: 0; }

.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: .8rem; margin-bottom: 1rem; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: .9rem 1rem; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.card .value { font-size: 1.6rem; font-weight: 650; margin-top: .15rem; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--muted); font-size: 13px; }
.card.ok .value { color: var(--ok); } .card.bad .value { color: var(--bad); } .card.warn .value { color: var(--warn); }

table { width: 100%; border-collapse: collapse; background: var(--panel); font-variant-numeric: tabular-nums; }
.table-wrap { border: 1px solid var(--line); border-radius: 10px; overflow-x: auto; background: var(--panel); margin-bottom: 1rem; }
th, td { text-align: left; padding: .55rem .75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #fafbfd; font-weight: 600; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover { background: #fafbff; }
td.num, th.num { text-align: right; }
td .mono, td code { overflow-wrap: anywhere; }
.cell-wrap { max-width: 28rem; overflow-wrap: anywhere; }

.badge { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; background: var(--off-bg); color: var(--off); }
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.info { background: var(--info-bg); color: var(--info); }

.btn, button { display: inline-flex; align-items: center; gap: .35rem; font: inherit; font-size: 14px; font-weight: 550; border-radius: 7px; padding: .42rem .85rem; border: 1px solid var(--line); background: #fff; color: var(--ink); cursor: pointer; text-decoration: none; }
.btn:hover, button:hover { background: #f2f4fa; text-decoration: none; }
.btn.primary, button.primary { background: var(--brand); border-color: var(--brand); color: var(--brand-ink); }
.btn.primary:hover, button.primary:hover { background: #3043c4; }
.btn.danger, button.danger { color: var(--bad); border-color: #f1c3bd; }
.btn.danger:hover, button.danger:hover { background: var(--bad-bg); }
.btn.small, button.small { padding: .2rem .55rem; font-size: 13px; }
.topbar button { background: transparent; color: #c5cbe0; border-color: rgba(255,255,255,.2); padding: .2rem .6rem; font-size: 13px; }
.topbar button:hover { background: rgba(255,255,255,.1); color: #fff; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
.actions form { margin: 0; }

form.stack { display: grid; gap: .75rem; max-width: 40rem; }
form.inline { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
label { display: grid; gap: .25rem; font-weight: 550; font-size: 14px; }
label .hint { font-weight: 400; color: var(--muted); font-size: 13px; }
input[type="text"], input[type="url"], input[type="password"], input[type="datetime-local"], select, textarea {
  font: inherit; font-size: 14px; font-weight: 400; padding: .45rem .6rem; border: 1px solid #cfd4e0; border-radius: 7px; background: #fff; color: var(--ink); width: 100%; }
input:focus, select:focus, textarea:focus, button:focus-visible, a:focus-visible { outline: 2px solid #9aa6ff; outline-offset: 1px; }
form.inline label { min-width: 12rem; }
form.inline label.check { min-width: 0; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; margin: 0; }
legend { font-weight: 550; font-size: 14px; padding: 0 .3rem; }
.checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .2rem .8rem; }
.checks label { display: flex; align-items: center; gap: .4rem; font-weight: 400; font-family: var(--mono); font-size: 13px; }
.spaced { margin-top: .6rem; }
form.inline + form.inline { margin-top: .75rem; }
.check { display: flex; align-items: center; gap: .45rem; font-weight: 400; }

.flash { border-radius: 8px; padding: .7rem 1rem; margin-bottom: 1rem; border: 1px solid; }
.flash.ok { background: var(--ok-bg); border-color: #b6e2c8; color: #0f5132; }
.flash.bad { background: var(--bad-bg); border-color: #f5c2bc; color: #7a1b12; }
.flash.info { background: var(--info-bg); border-color: #bcd3f2; color: #173f73; }

.secret { border: 2px solid #e5a23a; background: #fffaf0; border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.secret .value { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: .5rem 0; }
.secret code { font-size: 14px; padding: .35rem .6rem; background: #fff; border: 1px solid #f0d6a8; user-select: all; }

.empty { text-align: center; padding: 2.2rem 1rem; color: var(--muted); background: var(--panel); border: 1px dashed #cfd4e0; border-radius: 10px; margin-bottom: 1rem; }
.empty strong { display: block; color: var(--ink); font-size: 1.05rem; margin-bottom: .3rem; }
.hints { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
.hints li { padding: .6rem .8rem; border-radius: 8px; background: #f7f8fc; border-left: 4px solid var(--brand); }
.hints li.bad { border-left-color: var(--bad); background: #fff7f6; }
.hints li.warn { border-left-color: #e5a23a; background: #fffbf2; }
.hints li.ok { border-left-color: var(--ok); background: #f4fbf7; }

dl.props { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.25rem; margin: 0; }
dl.props dt { color: var(--muted); font-size: 13px; }
dl.props dd { margin: 0; overflow-wrap: anywhere; }

pre.payload, pre.excerpt { background: #0f1424; color: #dfe4f3; padding: .9rem 1rem; border-radius: 8px; overflow: auto; max-height: 32rem; margin: .3rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.excerpt { max-height: 12rem; background: #f4f5f9; color: var(--ink); border: 1px solid var(--line); }
.j-key { color: #9cc2ff; } .j-str { color: #a8e6a3; } .j-num { color: #ffc98b; } .j-lit { color: #f0a5ff; }

.pager { display: flex; justify-content: flex-end; gap: .5rem; margin: -.25rem 0 1rem; }
.filters { display: flex; gap: .5rem; flex-wrap: wrap; align-items: flex-end; margin-bottom: 1rem; }
.filters label { min-width: 11rem; }
.login { max-width: 26rem; margin: 8vh auto; }
.login .brand { color: var(--ink); font-size: 1.4rem; margin-bottom: 1rem; }
.login .brand .dot { background: var(--brand); }
progress.bar { appearance: none; -webkit-appearance: none; width: 8rem; height: 8px; border: 0; border-radius: 99px; background: #e8ebf3; overflow: hidden; vertical-align: middle; }
progress.bar::-webkit-progress-bar { background: #e8ebf3; border-radius: 99px; }
progress.bar::-webkit-progress-value { background: var(--brand); border-radius: 99px; }
progress.bar::-moz-progress-bar { background: var(--brand); border-radius: 99px; }
.progress-cell { display: inline-flex; align-items: center; gap: .5rem; white-space: nowrap; }
.progress-line { display: flex; align-items: center; gap: .75rem; margin-bottom: .8rem; }
.progress-line progress.bar { width: 16rem; height: 10px; }
.timeline { list-style: none; padding: 0; margin: 0; border-left: 2px solid var(--line); }
.timeline li { position: relative; padding: .25rem 0 .75rem 1rem; }
.timeline li::before { content: ""; position: absolute; left: -6px; top: .6rem; width: 10px; height: 10px; border-radius: 50%; background: var(--brand); }

.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; margin-bottom: 1.25rem; }
.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: .75rem .9rem .5rem; }
.chart figcaption { font-weight: 600; font-size: .9rem; margin-bottom: .35rem; }
.chart svg { display: block; height: auto; }
.legend { display: flex; gap: 1rem; list-style: none; padding: 0; margin: .35rem 0 0; font-size: .8rem; }
.legend li { display: inline-flex; align-items: center; gap: .35rem; }
.legend svg { height: 12px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.htmx-indicator { opacity: 0; transition: opacity 200ms ease-in; }
.htmx-request .htmx-indicator, .htmx-request.htmx-indicator { opacity: 1; }
@media (max-width: 720px) { .session .who { display: none; } .topbar .inner { gap: .75rem; } }
`;
