// dsync inspector: the list of captures (live over Server-Sent Events, paged
// by keyset as it scrolls) and the detail of one. No framework; every piece
// of captured data reaches the page through textContent, never as HTML.
'use strict';

const TOKEN = document.querySelector('meta[name="dsync-token"]').content;
const BASE = new URL('.', location.href); // the inspector's root, e.g. /_dsync/
const PAGE = 100;

const $ = (id) => document.getElementById(id);
const list = $('list');
const detail = $('detail');

const state = {
  items: [],        // summaries shown, newest first
  selected: -1,     // index in items (keyboard cursor)
  opened: null,     // id of the capture in the detail pane
  exhausted: false, // no older page left
  loading: false,
  newWhileLoading: false,
  generation: 0,    // bumps on every filter change; stale answers are dropped
  shown: 0,
  total: 0,
  replayUrl: localStorage.getItem('dsync.replayUrl') || '',
};

// ---- helpers ---------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function api(path, options = {}) {
  const headers = Object.assign({ 'X-Dsync-Token': TOKEN }, options.headers || {});
  return fetch(new URL('api/' + path, BASE), Object.assign({}, options, { headers }))
    .then(async (res) => {
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error || `HTTP ${res.status}`);
      return body;
    });
}

function filters() {
  const params = new URLSearchParams();
  for (const name of ['code', 'verification', 'status', 'q']) {
    const value = $('f-' + name).value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function timeOf(iso) {
  const d = new Date(iso);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function statusBadge(status) {
  if (status === null || status === undefined) return el('span', { class: 'badge none' }, '—');
  return el('span', { class: `badge s${String(status)[0]}` }, String(status));
}

function verificationBadge(v) {
  return el('span', { class: `badge ${v || 'none'}` }, v || '—');
}

let toastTimer;
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.remove('show'), 1800);
}

async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    // Not a secure context (opened by a LAN address): the old way.
    const area = el('textarea', { class: 'visually-hidden' }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  toast(`${what} copied`);
}

// ---- the list --------------------------------------------------------------

function row(item, fresh) {
  const li = el('li', {
    role: 'option', id: 'c-' + item.id, 'data-id': item.id, 'aria-selected': 'false',
    class: fresh ? 'fresh' : null, title: `${item.received_at} · ${item.size} bytes · ${item.source || ''}`,
  },
  el('span', { class: 'time' }, timeOf(item.received_at)),
  el('span', { class: 'what' },
    el('span', { class: 'code' }, item.code || 'request (not an event)'),
    el('span', { class: 'resource' }, item.resource || '')),
  el('span', null, verificationBadge(item.verification)),
  el('span', null, statusBadge(item.status)));
  li.addEventListener('click', () => { select(state.items.findIndex((i) => i.id === item.id)); open(item.id); });
  return li;
}

// The status filter offers the statuses answered so far.
function renderStatuses(statuses) {
  if (!statuses) return;
  const select = $('f-status');
  const classes = [...new Set(statuses.map((s) => `${String(s)[0]}xx`))];
  const values = [...classes, ...statuses.map(String)];
  const have = [...select.options].map((o) => o.value).filter(Boolean);
  if (values.join() === have.join()) return;
  const current = select.value;
  select.replaceChildren(el('option', { value: '' }, 'any'), ...values.map((v) => el('option', { value: v }, v)));
  if (current && !values.includes(current)) select.append(el('option', { value: current }, current));
  select.value = current;
}

function renderCount() {
  $('count').textContent = `${state.shown.toLocaleString()} of ${state.total.toLocaleString()} shown`;
  const end = $('list-end');
  if (!state.items.length) end.textContent = state.total ? 'No capture matches these filters.' : 'No captures yet: send a webhook to the listener.';
  else if (state.exhausted) end.textContent = '';
  else end.textContent = 'Scroll for older captures…';
}

async function reload() {
  const generation = ++state.generation;
  state.items = []; state.selected = -1; state.exhausted = false; state.loading = false; state.newWhileLoading = false;
  list.replaceChildren();
  await loadOlder(generation);
}

async function loadOlder(generation = state.generation) {
  if (state.loading || state.exhausted) return;
  state.loading = true;
  const params = filters();
  params.set('limit', PAGE);
  const oldest = state.items[state.items.length - 1];
  if (oldest) params.set('before', oldest.rowid);
  try {
    const page = await api('captures?' + params);
    if (generation !== state.generation) return;
    state.shown = page.shown; state.total = page.total;
    renderStatuses(page.statuses);
    state.exhausted = page.items.length < PAGE;
    const known = new Set(state.items.map((i) => i.id));
    for (const item of page.items.filter((i) => !known.has(i.id))) {
      state.items.push(item);
      list.append(row(item, false));
    }
    markOpened();
    renderCount();
  } catch (e) {
    toast('Could not load captures: ' + e.message);
    if (generation === state.generation) state.loading = false;
    return;
  }
  if (generation !== state.generation) return;
  state.loading = false;
  // Something was announced while the first page loaded: catch up from its top.
  if (state.newWhileLoading && state.items.length) { state.newWhileLoading = false; loadNewer(); }
  // A short first page on a tall screen: keep filling.
  if (!state.exhausted && list.scrollHeight <= list.clientHeight + 40) loadOlder(generation);
}

let fetchingNew = false, newPending = false;
// A new capture was announced: ask for everything newer than the top row,
// with the current filters, so searching and filtering stay the server's job.
async function loadNewer() {
  // No top row to start from yet: the first page (loading, or to load) covers it.
  if (!state.items.length) {
    if (state.loading) state.newWhileLoading = true; else reload();
    return;
  }
  if (fetchingNew) { newPending = true; return; }
  fetchingNew = true;
  const generation = state.generation;
  try {
    const params = filters();
    params.set('limit', 500);
    params.set('after', state.items[0].rowid);
    const page = await api('captures?' + params);
    if (generation !== state.generation) return;
    // More arrived than one page holds: start over rather than leave a gap.
    if (page.items.length >= 500) { reload(); return; }
    state.shown = page.shown; state.total = page.total;
    renderStatuses(page.statuses);
    const known = new Set(state.items.map((i) => i.id));
    const fresh = page.items.filter((i) => !known.has(i.id));
    const atTop = list.scrollTop < 10;
    for (const item of fresh.slice().reverse()) {
      state.items.unshift(item);
      list.prepend(row(item, true));
    }
    if (state.selected >= 0) state.selected += fresh.length;
    if (!atTop) list.scrollTop += fresh.length * (list.firstElementChild?.offsetHeight || 0);
    renderCount();
  } catch (e) {
    toast('Could not load new captures: ' + e.message);
  } finally {
    fetchingNew = false;
    if (newPending) { newPending = false; loadNewer(); }
  }
}

function select(index) {
  if (!state.items.length) return;
  index = Math.max(0, Math.min(index, state.items.length - 1));
  const previous = list.children[state.selected];
  if (previous) previous.setAttribute('aria-selected', 'false');
  state.selected = index;
  const li = list.children[index];
  li.setAttribute('aria-selected', 'true');
  list.setAttribute('aria-activedescendant', li.id);
  li.scrollIntoView({ block: 'nearest' });
  if (index >= state.items.length - 5) loadOlder();
}

function markOpened() {
  for (const li of list.children) li.classList.toggle('opened', li.dataset.id === state.opened);
}

// ---- the detail ------------------------------------------------------------

async function open(id) {
  state.opened = id;
  markOpened();
  if (location.hash !== '#' + id) history.replaceState(null, '', '#' + encodeURIComponent(id));
  detail.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  try {
    const d = await api('captures/' + encodeURIComponent(id));
    if (state.opened !== id) return;
    detail.replaceChildren(...renderDetail(d));
    detail.scrollTop = 0;
  } catch (e) {
    detail.replaceChildren(el('p', { class: 'result bad' }, `Could not open ${id}: ${e.message}`));
  }
}

function cell(text, absent) {
  return absent ? el('td', null, el('span', { class: 'absent' }, 'absent')) : el('td', null, text);
}

function renderDiff(diff) {
  const out = [el('h3', null, 'What changed ', el('span', { class: 'muted' }, `(${diff.summary})`))];
  if (diff.rows.length || diff.unchanged.length) {
    const body = el('tbody');
    for (const r of diff.rows) {
      body.append(el('tr', { class: r.op },
        el('td', null, r.path), cell(r.before, r.before === null), cell(r.after, r.after === null)));
    }
    const table = el('table', { class: 'diff', 'aria-label': 'Before and after, side by side' },
      el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Attribute'),
        el('th', { scope: 'col' }, 'Before'), el('th', { scope: 'col' }, 'After'))), body);
    out.push(table);
    if (diff.unchanged.length) {
      const rows = el('tbody');
      for (const r of diff.unchanged) rows.append(el('tr', { class: 'unchanged' }, el('td', null, r.path), el('td', null, r.value), el('td', null, r.value)));
      out.push(el('details', null, el('summary', null, `${diff.unchanged.length} unchanged attribute${diff.unchanged.length === 1 ? '' : 's'}`),
        el('table', { class: 'diff' }, rows)));
    }
  }
  const m = diff.members;
  if (m.added.length || m.removed.length) {
    out.push(el('div', { class: 'members' }, memberList('added', 'Members added', m.added), memberList('removed', 'Members removed', m.removed)));
  }
  return out;
}

const SHOWN_MEMBERS = 10;
function memberList(kind, title, members) {
  const ul = el('ul');
  const shown = members.slice(0, SHOWN_MEMBERS);
  for (const who of shown) ul.append(el('li', null, who));
  const box = el('div', { class: kind }, el('h4', null, `${title} (${members.length.toLocaleString()})`), ul);
  if (members.length > SHOWN_MEMBERS) {
    const rest = el('ul');
    for (const who of members.slice(SHOWN_MEMBERS)) rest.append(el('li', null, who));
    box.append(el('details', null, el('summary', null, `${(members.length - SHOWN_MEMBERS).toLocaleString()} more`), rest));
  }
  return box;
}

function renderVerification(d) {
  const v = d.verification;
  const out = [el('h3', null, 'Signature')];
  if (!v) { out.push(el('p', { class: 'muted' }, 'Not checked (the body was not kept).')); return out; }
  out.push(el('p', { class: 'verdict' }, verificationBadge(v.status), ` ${v.scheme}`, v.reason ? ` — ${v.reason}` : ''));
  const g = d.diagnosis;
  if (g && g.culprit) out.push(el('p', { class: 'why' }, el('strong', null, 'Why: '), g.culprit.explanation, el('span', { class: 'muted' }, ` (${g.culprit.kind})`)));
  if (g && g.hints) for (const h of g.hints) out.push(el('p', { class: 'why muted' }, 'hint: ' + h));
  if (g && g.note) out.push(el('p', { class: 'why muted' }, g.note));
  return out;
}

function renderAnswer(d) {
  const out = [el('h3', null, 'Answer sent')];
  out.push(el('p', null, d.response ? statusBadge(d.response.status) : el('span', { class: 'muted' }, 'none recorded')));
  const f = d.forward;
  if (f) {
    out.push(el('p', null, `forwarded to ${f.url}: `, f.status ? statusBadge(f.status) : el('span', { class: 'result bad' }, f.error || 'no answer'),
      f.latency_ms !== undefined && f.latency_ms !== null ? ` in ${f.latency_ms.toFixed(1)} ms` : ''));
  }
  return out;
}

function renderBody(d) {
  const b = d.body;
  const out = [el('h3', null, 'Body ', el('span', { class: 'muted' }, `(${b.size.toLocaleString()} bytes, ${b.encoding === 'base64' ? 'not UTF-8: shown as base64' : b.encoding})`))];
  if (b.encoding === 'omitted') { out.push(el('p', { class: 'muted' }, 'Not kept: it was over the size limit.')); return out; }
  const pre = el('pre', { class: 'body', id: 'body-text', tabindex: '0', 'aria-label': 'Body' });
  const show = (mode) => {
    pre.textContent = mode === 'pretty' && b.pretty !== null ? b.pretty : b.raw;
    pre.dataset.mode = mode;
    prettyBtn.setAttribute('aria-pressed', String(mode === 'pretty'));
    rawBtn.setAttribute('aria-pressed', String(mode === 'raw'));
  };
  const prettyBtn = el('button', { type: 'button', disabled: b.pretty === null, onclick: () => show('pretty') }, 'Pretty');
  const rawBtn = el('button', { type: 'button', onclick: () => show('raw') }, b.encoding === 'base64' ? 'Raw (base64)' : 'Raw (exact bytes)');
  out.push(el('div', { class: 'tabs', role: 'group', 'aria-label': 'Body view' }, prettyBtn, rawBtn), pre);
  show(b.pretty !== null ? 'pretty' : 'raw');
  return out;
}

function renderHeaders(d) {
  const body = el('tbody');
  for (const [name, value] of d.headers) body.append(el('tr', null, el('td', null, name), el('td', null, value)));
  return [el('h3', null, `Headers (${d.headers.length}, in received order)`),
    el('table', { class: 'headers' }, el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Value'))), body)];
}

function renderActions(d) {
  const url = el('input', { type: 'url', id: 'replay-url', value: state.replayUrl, placeholder: 'http://127.0.0.1:3000/webhooks', required: true });
  const result = el('p', { class: 'result', id: 'replay-result', role: 'status', 'aria-live': 'polite' });
  const button = el('button', { type: 'submit', id: 'replay-button' }, 'Replay');
  const form = el('form', { class: 'replay', onsubmit: async (ev) => {
    ev.preventDefault();
    state.replayUrl = url.value.trim();
    localStorage.setItem('dsync.replayUrl', state.replayUrl);
    button.disabled = true;
    result.className = 'result';
    result.textContent = `Replaying to ${state.replayUrl}…`;
    try {
      const r = await api(`captures/${encodeURIComponent(d.id)}/replay`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: state.replayUrl }),
      });
      result.className = 'result ' + (r.status >= 200 && r.status < 300 ? 'ok' : 'bad');
      result.textContent = `${r.status} from ${r.url} in ${r.latency_ms.toFixed(1)} ms (${r.signed ? 're-signed with a fresh timestamp' : 'unsigned: no secret configured'})` + (r.answer ? ` — ${r.answer}` : '');
    } catch (e) {
      result.className = 'result bad';
      result.textContent = 'Replay failed: ' + e.message;
    } finally {
      button.disabled = false;
    }
  } }, el('label', null, 'Replay to', url), button);
  const download = el('a', { class: 'button', href: new URL(`api/captures/${encodeURIComponent(d.id)}/download?token=${encodeURIComponent(TOKEN)}`, BASE).href, download: d.file_name }, 'Download capture');
  return [
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: () => copy(d.curl, 'curl command') }, 'Copy as curl'),
      el('button', { type: 'button', onclick: () => copy(replayCommand(d), 'replay command') }, 'Copy replay command'),
      download),
    form, result,
  ];
}

function replayCommand(d) {
  const url = ($('replay-url')?.value || state.replayUrl).trim();
  const quoted = /^[A-Za-z0-9_\-.\/:=@%+,]+$/.test(url) ? url : `'${url.replace(/'/g, "'\\''")}'`;
  return url ? `${d.replay_command} --url ${quoted}` : d.replay_command;
}

function renderDetail(d) {
  const title = d.summary.code || `${d.method} ${d.path}`;
  const out = [
    el('h2', null, title),
    el('p', { class: 'meta' }, [d.summary.resource, new Date(d.received_at).toLocaleString(), `${d.method} ${d.path}`, d.remote_addr ? `from ${d.remote_addr}` : null, d.id].filter(Boolean).join(' · ')),
    ...renderActions(d),
    ...renderVerification(d),
  ];
  if (d.diff) out.push(...renderDiff(d.diff));
  out.push(...renderAnswer(d), ...renderHeaders(d), ...renderBody(d));
  return out;
}

// ---- live updates ----------------------------------------------------------

function connect() {
  const live = $('live');
  const source = new EventSource(new URL('api/live?token=' + encodeURIComponent(TOKEN), BASE));
  source.addEventListener('open', () => { live.dataset.state = 'live'; live.textContent = 'live'; loadNewer(); });
  source.addEventListener('capture', () => loadNewer());
  source.addEventListener('error', () => { live.dataset.state = 'down'; live.textContent = 'reconnecting…'; });
}

// ---- wiring ----------------------------------------------------------------

let filterTimer;
$('filters').addEventListener('input', () => { clearTimeout(filterTimer); filterTimer = setTimeout(reload, 200); });
$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); clearTimeout(filterTimer); reload(); });
list.addEventListener('scroll', () => { if (list.scrollTop + list.clientHeight > list.scrollHeight - 200) loadOlder(); });
list.addEventListener('focus', () => { if (state.selected < 0) select(0); });

document.addEventListener('keydown', (ev) => {
  const typing = ev.target.closest('input, select, textarea');
  if (typing) { if (ev.key === 'Escape') ev.target.blur(); return; }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === 'j' || ev.key === 'ArrowDown') { select(state.selected + 1); ev.preventDefault(); }
  else if (ev.key === 'k' || ev.key === 'ArrowUp') { select(state.selected - 1); ev.preventDefault(); }
  else if (ev.key === 'Enter' && state.selected >= 0 && !ev.target.closest('button, a, summary')) { open(state.items[state.selected].id); ev.preventDefault(); }
  else if (ev.key === '/') { $('f-q').focus(); ev.preventDefault(); }
});

window.addEventListener('hashchange', () => { const id = decodeURIComponent(location.hash.slice(1)); if (id && id !== state.opened) open(id); });

reload().then(() => { const id = decodeURIComponent(location.hash.slice(1)); if (id) open(id); });
connect();
