// The live notebook page. No framework and no build step: it renders what the server sends
// (Server-Sent Events read with fetch, so the token travels in a header, never in a URL) and
// posts the reader's actions. Data is always put in the page as text (textContent); the only
// HTML it inserts is the notebook's prose, rendered on the server by markdown-it with raw HTML off.

const TOKEN_KEY = 'api-notebook-token';
// Why the link's one-time code was refused: said instead of the usual "no access".
let refusedBecause = '';
const token = await readToken();
const state = { doc: null, cells: new Map(), values: { rows: [], previews: [], missing: [] }, play: { running: false }, problems: [], editors: new Map() };

// The URL printed on the terminal holds the token (#token=…); the one the browser was opened
// with holds a one-time code (#code=…), traded here for the token, once.
async function readToken() {
  const given = /token=([A-Za-z0-9_-]+)/.exec(location.hash);
  const code = /code=([A-Za-z0-9_-]+)/.exec(location.hash);
  // Out of the address bar (and so out of bookmarks, history and screen shares); the tab keeps the token.
  if (given || code) history.replaceState(null, '', location.pathname);
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given[1]);
    return given[1];
  }
  if (code) {
    try {
      const res = await fetch('/api/code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code[1] }) });
      const data = await res.json().catch(() => ({}));
      if (res.ok && typeof data.token === 'string') {
        sessionStorage.setItem(TOKEN_KEY, data.token);
        return data.token;
      }
      refusedBecause = data.error ?? `This link cannot open the page (${res.status}). Open the URL printed by \`api-notebook open\` instead.`;
    } catch {
      refusedBecause = 'The server of this page did not answer. Is `api-notebook open` still running?';
    }
    return '';
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

// ---------- small DOM helpers ----------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c);
  return node;
}
const $ = (id) => document.getElementById(id);
const MARK = { passed: '✔', failed: '✘', error: '!', skipped: '–', running: '…', idle: '' };
const short = (v, max = 120) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? 'undefined';
  return s.length > max ? `${s.slice(0, max)}…` : s;
};
const pretty = (v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2) ?? '');
const ms = (n) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`);

// ---------- talking to the server ----------
async function api(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-notebook-token': token }, body: JSON.stringify(body ?? {}) });
  const data = await res.json().catch(() => ({}));
  if (res.status === 409 && data.missing) showInputs(true);
  else if (!res.ok && res.status !== 422) notice(data.error ?? `${res.status} ${res.statusText}`);
  return { status: res.status, data };
}

async function connect() {
  setConn('connecting');
  try {
    const res = await fetch('/api/events', { headers: { 'x-api-notebook-token': token } });
    if (res.status === 403) {
      setConn('refused');
      notice(refusedBecause || 'This page needs the URL printed by `api-notebook open` (with its #token). Open that URL again.');
      return;
    }
    setConn('live');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        handle(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch {
    // the server stopped or restarted: try again below
  }
  setConn('offline');
  setTimeout(connect, 1000);
}

function handle(chunk) {
  let event = 'message';
  let data = '';
  for (const line of chunk.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!data) return;
  const payload = JSON.parse(data);
  if (event === 'document') renderDocument(payload);
  else if (event === 'cells') {
    state.cells = new Map(payload.map((c) => [c.id, c]));
    for (const c of payload) renderCellState(c.id);
    renderSummary();
  } else if (event === 'cell') {
    state.cells.set(payload.id, payload);
    renderCellState(payload.id);
    renderSummary();
  } else if (event === 'result') {
    const cell = state.cells.get(payload.id);
    if (!cell) return;
    cell.results.push(payload.result);
    appendResult(payload.id, payload.result);
  } else if (event === 'status') {
    const cell = state.cells.get(payload.id);
    if (!cell) return;
    cell.status = payload.status;
    renderCellState(payload.id, false);
    renderSummary();
  } else if (event === 'values') renderValues(payload);
  else if (event === 'file') renderProblems(payload.problems);
  else if (event === 'play') renderPlay(payload);
}

function setConn(s) {
  const c = $('conn');
  c.dataset.state = s;
  c.textContent = s === 'live' ? '● live' : s === 'offline' ? '● offline' : s === 'refused' ? '● no access' : '● …';
}

let noticeTimer;
function notice(text) {
  const n = $('notice');
  n.textContent = text;
  n.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (n.hidden = true), 8000);
}

// ---------- the document ----------
function renderDocument(doc) {
  state.doc = doc;
  document.title = `${doc.title} · api-notebook`;
  $('title').textContent = doc.title;
  $('file').textContent = doc.file;
  $('description').innerHTML = doc.descriptionHtml ?? '';
  const cells = $('cells');
  cells.replaceChildren();
  let teardownHeading = false;
  for (const cell of doc.cells) {
    if (cell.phase === 'teardown' && !teardownHeading) {
      teardownHeading = true;
      cells.append(el('h2', { class: 'phase', text: 'Teardown' }), el('p', { class: 'meta', text: 'Clean-up that runs after the steps, also when one of them failed.' }));
    }
    cells.append(renderCell(cell));
    renderCellState(cell.id);
  }
  renderPreviews();
  renderSummary();
}

function renderCell(cell) {
  const number = cell.phase === 'steps' ? String(cell.index + 1) : `T${cell.index + 1}`;
  const runButton = el('button', { type: 'button', class: 'run', 'aria-label': 'Run', title: 'Run this cell (Shift+Enter)', onclick: () => runCell(cell.id) }, el('span', { 'aria-hidden': 'true', text: '▶' }), ' Run');
  const editButton = cell.editable ? el('button', { type: 'button', class: 'edit quiet', 'aria-label': 'Edit', title: 'Edit this cell\'s YAML', onclick: () => openEditor(cell.id) }, el('span', { 'aria-hidden': 'true', text: '✎' }), ' Edit') : null;
  const section = el('section', { class: 'cell', 'data-step': cell.id, 'data-status': 'idle', tabindex: '0', 'aria-labelledby': `t-${cell.id}` },
    el('div', { class: 'cell-head' },
      el('span', { class: 'num', text: number }),
      el('h3', { id: `t-${cell.id}` }, cell.name),
      cell.method ? el('span', { class: `method m-${cell.method.toLowerCase()}`, text: cell.method }) : el('span', { class: 'method', text: 'compute' }),
      el('span', { class: 'pill' }),
      el('span', { class: 'grow' }),
      editButton,
      runButton,
    ),
  );
  if (cell.docHtml) {
    const prose = el('div', { class: 'prose' });
    prose.innerHTML = cell.docHtml;
    section.append(prose);
  }
  if (cell.flow.length) section.append(el('p', { class: 'flow' }, ...cell.flow.map((f) => el('span', { text: f }))));
  const p = cell.parts;
  const written = [p.request, p.forEach, p.as, p.repeat, p.if].filter(Boolean).join('\n');
  const checks = [p.expect, p.assert].filter(Boolean).join('\n');
  section.append(el('div', { class: 'grid' },
    written ? el('figure', {}, el('figcaption', { text: 'As written' }), el('pre', { class: 'yaml', text: written })) : null,
    cell.method ? el('figure', { class: 'sent' }, el('figcaption', { text: 'As it will be sent now' }), el('pre', { class: 'wire' })) : null,
    checks ? el('figure', {}, el('figcaption', { text: 'Checks' }), el('pre', { class: 'yaml', text: checks })) : null,
    p.capture ? el('figure', {}, el('figcaption', { text: 'Captures' }), el('pre', { class: 'yaml', text: p.capture })) : null,
  ));
  section.append(el('div', { class: 'editor-slot' }), el('div', { class: 'results', 'aria-live': 'polite' }));
  const open = state.editors.get(cell.id);
  if (open) mountEditor(section, cell, open);
  return section;
}

function cellElement(id) {
  return document.querySelector(`.cell[data-step="${CSS.escape(id)}"]`);
}

function renderCellState(id, redrawResults = true) {
  const node = cellElement(id);
  const cs = state.cells.get(id);
  if (!node || !cs) return;
  node.dataset.status = cs.status;
  node.querySelector('.pill').textContent = cs.status === 'idle' ? '' : `${MARK[cs.status]} ${cs.status}`;
  const results = node.querySelector('.results');
  results.querySelector('.running-note')?.remove();
  if (redrawResults) results.replaceChildren(...cs.results.map(renderResult));
  if (cs.status === 'running') results.append(el('p', { class: 'meta running-note', text: 'running…' }));
}

/** One more run of a running cell: added under it, without redrawing the runs before it. */
function appendResult(id, result) {
  const results = cellElement(id)?.querySelector('.results');
  if (!results) return;
  const note = results.querySelector('.running-note');
  results.insertBefore(renderResult(result), note);
}

// ---------- results ----------
function renderResult(r) {
  const head = el('div', { class: 'result-head' },
    el('span', { class: `badge ${r.status}`, text: `${MARK[r.status]} ${r.status}` }),
    // A use cell holds the used notebook's steps: each says which one, at its own line.
    r.used ? el('span', { class: 'used', text: `${r.name} · ${r.span.file}:${r.span.line}` }) : null,
    r.iteration ? el('span', { class: 'iter', text: `run ${r.iteration.index + 1}${r.iteration.count ? ` of ${r.iteration.count}` : ''}${r.iteration.item !== undefined ? ` · ${short(r.iteration.item, 60)}` : ''}` }) : null,
    r.response ? el('code', { class: `code c${String(r.response.status)[0]}`, text: String(r.response.status) }) : null,
    r.request ? el('span', { class: 'url', text: `${r.request.method} ${r.request.url}` }) : null,
    el('span', { class: 'grow' }),
    r.status !== 'skipped' ? el('span', { class: 'time', text: ms(r.durationMs) }) : null,
  );
  const box = el('div', { class: `result ${r.status}` }, head);
  if (r.skipReason) box.append(el('p', { class: 'meta', text: `Skipped: ${r.skipReason}` }));
  if (r.error) box.append(el('p', { class: 'error-text' }, el('strong', { text: `Error (${r.error.kind}): ` }), r.error.message));
  if (r.checks.length) box.append(el('ul', { class: 'checks' }, ...r.checks.map(renderCheck)));
  const captures = Object.entries(r.captures ?? {});
  if (captures.length) box.append(el('div', { class: 'captured' }, el('span', { class: 'label', text: 'Captured' }), ...captures.map(([k, v]) => el('span', { class: 'cap' }, el('b', { text: k }), ' = ', el('code', { text: short(v, 80) })))));
  if (r.request) {
    const req = el('details', { class: 'req' }, el('summary', { text: 'Request sent' }), headersTable(r.request.headers));
    if (r.request.body) req.append(el('pre', { text: r.request.body }));
    box.append(req);
  }
  if (r.response) {
    const headers = Object.keys(r.response.headers ?? {}).length;
    box.append(el('details', { class: 'resp-headers' }, el('summary', { text: `Response headers (${headers})` }), headersTable(r.response.headers)));
    if (r.response.body !== null && r.response.body !== undefined && r.response.body !== '') box.append(el('div', { class: 'inspector' }, el('div', { class: 'label', text: 'Response body' }), jsonView(r.response.body)));
  }
  return box;
}

function headersTable(h) {
  return el('table', { class: 'kv' }, ...Object.entries(h ?? {}).map(([k, v]) => el('tr', {}, el('td', { text: k }), el('td', { text: v }))));
}

function renderCheck(c) {
  const where = c.span ? `${c.span.file}:${c.span.line}:${c.span.col}` : '';
  if (c.passed) return el('li', { class: 'pass' }, el('span', { class: 'clabel', text: c.label }), el('span', { class: 'meta', text: ` expected ${short(c.expected)}` }));
  const li = el('li', { class: 'fail' }, el('strong', { text: c.label }), el('span', { text: `: ${c.message ?? 'failed'}` }), el('span', { class: 'meta', text: ` at ${where}` }));
  const rows = [];
  for (const m of c.details?.mismatches ?? []) rows.push(el('li', {}, el('code', { text: m.path }), ` expected ${short(m.expected)}, actual ${m.reason === 'missing' ? '(missing)' : short(m.actual)}`));
  for (const e of c.details?.errors ?? []) rows.push(el('li', {}, el('code', { text: `body${e.instancePath.replace(/\//g, '.')}` }), ` ${e.message} ${JSON.stringify(e.params)}`));
  if (rows.length) li.append(el('ul', { class: 'mismatches' }, ...rows));
  li.append(el('div', { class: 'evidence' },
    el('figure', { class: 'expected' }, el('figcaption', { text: 'expected' }), el('pre', { text: pretty(c.expected) })),
    el('figure', { class: 'actual' }, el('figcaption', { text: 'actual' }), el('pre', { text: pretty(c.actual) })),
  ));
  return li;
}

/** A folding inspector: objects and arrays fold, the first level is open. */
function jsonView(value, key, depth = 0) {
  const keyNode = key !== undefined ? el('span', { class: 'k', text: `${key}: ` }) : null;
  if (value === null || typeof value !== 'object') {
    const type = value === null ? 'null' : typeof value;
    return el('div', { class: 'leaf' }, keyNode, el('span', { class: `v ${type}`, text: type === 'string' ? JSON.stringify(value) : String(value) }));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const label = Array.isArray(value) ? `[…] ${entries.length} item${entries.length === 1 ? '' : 's'}` : `{…} ${entries.length} key${entries.length === 1 ? '' : 's'}`;
  if (!entries.length) return el('div', { class: 'leaf' }, keyNode, el('span', { class: 'v', text: Array.isArray(value) ? '[]' : '{}' }));
  // The top level is open when it is short; a long one shows its first keys until opened.
  const open = depth === 0 && entries.length <= 10;
  const peek = Array.isArray(value) ? '' : `  ${entries.slice(0, 6).map(([k]) => k).join(', ')}${entries.length > 6 ? ', …' : ''}`;
  const node = el('details', { class: 'node', open }, el('summary', {}, keyNode, el('span', { class: 'fold', text: label }), depth === 0 ? el('span', { class: 'peek', text: peek }) : null));
  // Children are built when first opened: a long list costs nothing until someone looks.
  const fill = () => {
    if (node.dataset.filled) return;
    node.dataset.filled = '1';
    node.append(el('div', { class: 'kids' }, ...entries.map(([k, v]) => jsonView(v, k, depth + 1))));
  };
  if (open) fill();
  else node.addEventListener('toggle', fill);
  return node;
}

// ---------- values, previews, inputs ----------
function renderValues(v) {
  state.values = v;
  $('base-url').textContent = v.baseUrl;
  const rows = v.rows.map((r) => el('div', { class: `value ${r.set ? '' : 'unset'}` },
    el('dt', {}, el('span', { class: 'vname', text: r.name }), el('span', { class: `kind ${r.kind}`, text: r.kind })),
    el('dd', {}, r.secret ? el('span', { class: 'secret', text: r.set ? '•••••••• secret, never shown' : 'not set yet' }) : r.set ? el('code', { text: short(r.value, 90), title: pretty(r.value) }) : el('span', { class: 'meta', text: 'not set yet' })),
  ));
  $('values').replaceChildren(...rows);
  renderPreviews();
  showInputs(false);
}

function renderPreviews() {
  for (const p of state.values.previews ?? []) {
    const pre = cellElement(p.id)?.querySelector('pre.wire');
    if (!pre) continue;
    if (p.error) {
      pre.textContent = `${p.method} (not yet: ${p.error})`;
      continue;
    }
    const head = Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
    pre.textContent = `${p.note ? `# ${p.note}\n` : ''}${p.method} ${p.url}\n${head}${p.body ? `\n\n${p.body}` : ''}`;
  }
}

function showInputs(scroll) {
  const missing = state.values.missing ?? [];
  const form = $('inputs-form');
  form.hidden = missing.length === 0;
  const fields = $('inputs-fields');
  const have = [...fields.querySelectorAll('input')].map((i) => i.name).join(',');
  if (have !== missing.map((m) => m.name).join(',')) {
    fields.replaceChildren(...missing.map((m) => el('label', {},
      el('span', { text: m.prompt ?? m.name }),
      el('input', { name: m.name, type: m.secret ? 'password' : 'text', autocomplete: 'off', spellcheck: 'false', required: true }),
      m.env ? el('span', { class: 'meta', text: `or set ${m.env} before opening` }) : null,
    )));
  }
  if (scroll && missing.length) {
    form.scrollIntoView({ block: 'center' });
    form.querySelector('input')?.focus();
  }
}

$('inputs-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const values = {};
  for (const input of e.currentTarget.querySelectorAll('input')) {
    values[input.name] = input.value;
    // The value is not kept in the page once sent.
    input.value = '';
  }
  await api('/api/inputs', { values });
});

// ---------- running ----------
async function runCell(id) {
  await api('/api/run', { cell: id });
}

function renderPlay(play) {
  state.play = play;
  document.body.classList.toggle('busy', play.running);
  for (const b of document.querySelectorAll('button.run, #run-all, #reset')) b.disabled = play.running;
  renderSummary();
}

function renderSummary() {
  const counts = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const c of state.cells.values()) if (counts[c.status] !== undefined) counts[c.status]++;
  const parts = Object.entries(counts).filter(([, n]) => n).map(([k, n]) => el('span', { class: `count ${k}`, text: `${MARK[k]} ${n} ${k}` }));
  if (state.play.running) parts.push(el('span', { class: 'count running', text: 'running…' }));
  else if (state.play.lastPlayMs !== undefined) parts.push(el('span', { class: 'count', text: `played in ${ms(state.play.lastPlayMs)}` }));
  $('summary').replaceChildren(...parts);
}

$('run-all').addEventListener('click', () => api('/api/run-all'));
$('reset').addEventListener('click', () => api('/api/reset'));

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || !e.shiftKey) return;
  const active = document.activeElement;
  if (active && active.matches('textarea, input')) return;
  const cell = active?.closest?.('.cell');
  if (!cell) return;
  e.preventDefault();
  runCell(cell.dataset.step);
  const cells = [...document.querySelectorAll('.cell')];
  const next = cells[cells.indexOf(cell) + 1];
  if (next) {
    next.focus();
    next.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
});

// ---------- editing a cell ----------
function openEditor(id) {
  const cell = state.doc.cells.find((c) => c.id === id);
  if (!cell || state.editors.has(id)) return;
  const ed = { text: cell.yaml, problems: { cell: [], file: [] } };
  state.editors.set(id, ed);
  mountEditor(cellElement(id), cell, ed);
}

function mountEditor(section, cell, ed) {
  const slot = section.querySelector('.editor-slot');
  const gutter = el('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const area = el('textarea', { class: 'code', spellcheck: 'false', 'aria-label': `YAML of “${cell.name}”`, wrap: 'off' });
  area.value = ed.text;
  const list = el('ul', { class: 'diagnostics', 'aria-live': 'polite' });
  const status = el('span', { class: 'meta' });
  const paint = () => {
    const bad = new Set(ed.problems.cell.map((d) => d.line));
    const lines = area.value.split('\n').length;
    gutter.replaceChildren(...Array.from({ length: lines }, (_, i) => el('span', { class: bad.has(i + 1) ? 'bad' : '', text: `${i + 1}\n` })));
    area.rows = Math.min(30, Math.max(4, lines + 1));
    list.replaceChildren(
      ...ed.problems.cell.map((d) => el('li', {}, el('b', { text: `line ${d.line}, col ${d.col}: ` }), d.message, d.hint ? el('span', { class: 'meta', text: ` — hint: ${d.hint}` }) : null)),
      ...ed.problems.file.map((d) => el('li', {}, el('pre', { text: d.text }))),
    );
    status.textContent = ed.problems.cell.length + ed.problems.file.length ? '' : ed.checked ? '✔ valid' : '';
  };
  let timer;
  area.addEventListener('input', () => {
    ed.text = area.value;
    ed.checked = false;
    paint();
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const { data } = await api('/api/check', { cell: cell.id, yaml: area.value });
      if (data.cell) {
        ed.problems = { cell: data.cell, file: data.file };
        ed.checked = true;
        paint();
      }
    }, 250);
  });
  area.addEventListener('scroll', () => (gutter.scrollTop = area.scrollTop));
  const doSave = async () => {
    const { status: code, data } = await api('/api/save', { cell: cell.id, yaml: area.value });
    if (code === 200) {
      closeEditor(cell.id);
      notice(`Saved to ${data.saved}`);
      return true;
    }
    if (data.cell) {
      ed.problems = { cell: data.cell, file: data.file };
      paint();
    }
    return false;
  };
  // Shift+Enter in the editor: save, then run the cell as saved.
  area.addEventListener('keydown', async (e) => {
    if (e.key !== 'Enter' || !e.shiftKey) return;
    e.preventDefault();
    if (await doSave()) runCell(cell.id);
  });
  const save = el('button', { type: 'button', class: 'primary', 'aria-label': 'Save', onclick: doSave }, 'Save');
  const cancel = el('button', { type: 'button', class: 'quiet', 'aria-label': 'Cancel', onclick: () => closeEditor(cell.id) }, 'Cancel');
  slot.replaceChildren(el('div', { class: 'editor' },
    el('div', { class: 'editor-box' }, gutter, area),
    list,
    el('div', { class: 'editor-actions' }, save, cancel, status, el('span', { class: 'meta', text: 'Checked as `validate` checks it; saved into the file, the rest of it untouched. Shift+Enter saves and runs.' })),
  ));
  paint();
}

function closeEditor(id) {
  state.editors.delete(id);
  cellElement(id)?.querySelector('.editor-slot')?.replaceChildren();
}

function renderProblems(problems) {
  state.problems = problems;
  const box = $('file-problems');
  box.hidden = problems.length === 0;
  box.replaceChildren(
    el('h2', { text: 'The file has problems' }),
    el('p', { class: 'meta', text: 'The page shows the last version that loaded; fix the file and it updates.' }),
    ...problems.map((d) => el('pre', { text: d.text })),
  );
}

connect();
