/**
 * The operations console: one HTML page, one stylesheet, one script, no build step. The script
 * polls `/console/state` and writes every value with `textContent`, so a tenant name from a file
 * can never become markup.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>genesys-division-proxy · operations</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body>
<header>
  <h1>genesys-division-proxy <span>operations</span></h1>
  <p id="updated" aria-live="polite">loading…</p>
</header>
<main>
  <section class="cards">
    <article id="token"><h2>Genesys token</h2><dl></dl></article>
    <article id="redis"><h2>Redis</h2><dl></dl></article>
    <article id="budget"><h2>Genesys budget <small>this replica</small></h2><dl></dl></article>
    <article id="directories"><h2>Directories</h2><dl></dl></article>
  </section>
  <section>
    <h2>Tenants</h2>
    <table id="tenants"><thead><tr>
      <th>tenant</th><th>divisions</th><th>keys (expiry · last use)</th><th>requests / min<br><small>limit · last hour</small></th>
      <th>Genesys calls / min<br><small>share · last hour</small></th><th>refused last hour<br><small>401 · 403 · 404 · 429</small></th>
    </tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Refusals <small id="refusal-counts"></small></h2>
    <table id="refusals"><thead><tr><th>time</th><th>status</th><th>tenant</th><th>key id</th><th>route</th><th>reason</th><th>correlation id</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Division drift</h2>
    <table id="drift"><thead><tr><th>time</th><th>directory</th><th>object</th><th>from</th><th>to</th><th>gained by</th><th>lost by</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Tenant file reloads</h2>
    <table id="reloads"><thead><tr><th>time</th><th>outcome</th><th>tenants</th><th>problems</th></tr></thead><tbody></tbody></table>
  </section>
</main>
</body>
</html>
`;

export const CONSOLE_CSS = `
:root { --fg: #1d2433; --muted: #667085; --line: #e4e7ec; --ok: #12805c; --bad: #b42318; --warn: #b54708; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); }
body { margin: 0; background: #f7f8fa; }
header { display: flex; align-items: baseline; justify-content: space-between; padding: 12px 24px; background: #101828; color: #fff; }
header h1 { font-size: 18px; margin: 0; } header h1 span { font-weight: 400; color: #98a2b3; }
header p { margin: 0; color: #d0d5dd; } header p.stale { color: #fda29b; }
main { padding: 16px 24px; }
h2 { font-size: 15px; margin: 20px 0 8px; } small { color: var(--muted); font-weight: 400; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
.cards article { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px 10px; }
.cards h2 { margin: 8px 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; } dt { color: var(--muted); } dd { margin: 0; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { background: #f2f4f7; font-weight: 600; font-size: 13px; }
td .id, .id { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
td.empty { color: var(--muted); font-style: italic; }
`;

export const CONSOLE_SCRIPT = `'use strict';
(function () {
  var REFRESH_MS = 2000;
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : '—'; }
  function day(iso) { return iso ? new Date(iso).toISOString().slice(0, 10) : '—'; }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    var sign = seconds < 0 ? '-' : '';
    var s = Math.abs(seconds);
    if (s < 120) return sign + s + ' s';
    if (s < 7200) return sign + Math.round(s / 60) + ' min';
    if (s < 172800) return sign + Math.round(s / 3600) + ' h';
    return sign + Math.round(s / 86400) + ' d';
  }
  function fill(dl, rows) {
    dl.replaceChildren();
    rows.forEach(function (row) {
      dl.appendChild(el('dt', row[0]));
      dl.appendChild(el('dd', row[1], row[2]));
    });
  }
  function rows(tbody, items, columns, empty) {
    tbody.replaceChildren();
    if (items.length === 0) {
      var tr = el('tr');
      var td = el('td', empty, 'empty');
      td.colSpan = columns;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
    items.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (cell) {
        var td = el('td');
        (Array.isArray(cell) ? cell : [cell]).forEach(function (part) {
          if (part instanceof Node) td.appendChild(part); else td.appendChild(document.createTextNode(part === null || part === undefined ? '—' : String(part)));
        });
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }
  function line(text, cls) { return el('div', text, cls); }
  function division(d) { return line((d.name || '(name unknown)') + ' · ' + d.id); }
  function refused(r) { return [r['401'], r['403'], r['404'], r['429']].join(' · '); }
  function render(s) {
    var token = s.genesysToken;
    fill(document.querySelector('#token dl'), [
      ['state', token.held ? 'held' : 'none', token.held ? 'ok' : 'bad'],
      ['expires in', duration(token.expiresInSeconds)],
      ['last login', token.lastLogin ? token.lastLogin.outcome + ' at ' + time(token.lastLogin.at) : 'none on this replica', token.lastLogin && token.lastLogin.outcome === 'failure' ? 'bad' : ''],
      ['reason', token.lastLogin && token.lastLogin.reason ? token.lastLogin.reason : '—'],
      ['next attempt in', duration(token.retryInSeconds)]
    ]);
    fill(document.querySelector('#redis dl'), s.redis.configured
      ? [['state', s.redis.up ? 'up' : 'down', s.redis.up ? 'ok' : 'bad'], ['since', time(s.redis.since)]]
      : [['state', 'not configured (one replica, in-memory state)']]);
    fill(document.querySelector('#budget dl'), [
      ['budget', s.budget.upstreamPerMinute + ' / min'],
      ['share per tenant', s.budget.sharePerTenantPerMinute + ' / min'],
      ['calls this minute', s.budget.upstreamCallsLastMinute],
      ['calls last hour', s.budget.upstreamCallsLastHour]
    ]);
    fill(document.querySelector('#directories dl'), s.directories.flatMap(function (d) {
      return [[d.name, d.loadedAt ? d.entries + ' objects, loaded ' + duration(d.ageSeconds) + ' ago' : 'not loaded yet', d.lastFailure ? 'warn' : ''],
        [' ', d.lastFailure ? 'last failure ' + time(d.lastFailure.at) + ': ' + d.lastFailure.reason : 'loaded at ' + time(d.loadedAt)]];
    }));
    rows(document.querySelector('#tenants tbody'), s.tenants.map(function (t) {
      return [
        [line(t.name), line(t.id + ' · ' + t.access, 'id')],
        t.divisions.map(division),
        t.keys.map(function (k) {
          var expiry = k.expiresAt ? (k.expired ? 'expired ' + day(k.expiresAt) : 'expires ' + day(k.expiresAt) + ' (in ' + duration(k.expiresInSeconds) + ')') : 'no expiry';
          return line(k.id + ' · ' + expiry + ' · ' + (k.lastUsedAt ? 'used ' + time(k.lastUsedAt) : 'not used here'), k.expired ? 'bad' : (k.expiresInSeconds !== null && k.expiresInSeconds < 604800 ? 'warn' : ''));
        }),
        [line(t.usage.lastMinute.requests + ' / ' + t.limits.requestsPerMinute), line('last hour ' + t.usage.lastHour.requests, 'id')],
        [line(t.usage.lastMinute.upstreamCalls + ' / ' + t.limits.budgetSharePerMinute), line('last hour ' + t.usage.lastHour.upstreamCalls, 'id')],
        refused(t.usage.lastHour.refusals)
      ];
    }), 6, 'no tenants configured');
    document.getElementById('refusal-counts').textContent = 'last hour 401 · 403 · 404 · 429: ' + refused(s.refusals.lastHour);
    rows(document.querySelector('#refusals tbody'), s.refusals.recent.map(function (r) {
      return [time(r.at), r.status, r.tenant, r.keyId, r.method + ' ' + r.route, r.reason, el('span', r.correlationId, 'id')];
    }), 7, 'no refusals yet');
    rows(document.querySelector('#drift tbody'), s.drift.map(function (d) {
      return [time(d.at), d.directory, [line(d.name), line(d.id, 'id')], division(d.from), division(d.to), d.gainedBy.join(', ') || '—', d.lostBy.join(', ') || '—'];
    }), 7, 'no object has moved between divisions since this replica started');
    rows(document.querySelector('#reloads tbody'), s.reloads.map(function (r) {
      return [time(r.at), el('span', r.ok ? (r.changed ? 'applied' : 'unchanged') : 'failed: last good set kept', r.ok ? 'ok' : 'bad'), r.ok ? r.tenants : '—',
        (r.problems || []).map(function (p) { return line(p.file + (p.field ? ': ' + p.field : '') + ': ' + p.message); })];
    }), 4, 'no reload since start');
    var updated = document.getElementById('updated');
    updated.textContent = 'updated ' + time(s.generatedAt) + ' · ' + s.scope;
    updated.className = '';
  }
  function poll() {
    fetch('/console/state', { cache: 'no-store' })
      .then(function (response) { if (!response.ok) throw new Error('HTTP ' + response.status); return response.json(); })
      .then(render)
      .catch(function (error) {
        var updated = document.getElementById('updated');
        updated.textContent = 'could not refresh (' + error.message + '); retrying';
        updated.className = 'stale';
      })
      .finally(function () { setTimeout(poll, REFRESH_MS); });
  }
  poll();
})();
`;
