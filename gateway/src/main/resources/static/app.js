// gridlink console: plain JS over the gateway's API (/api/units/{code}/...). No build step, no outside assets.
'use strict';

const STATUSES = ['REPORTED', 'ACCEPTED', 'REJECTED', 'DISPATCHED', 'IN_PROGRESS', 'RESOLVED', 'VERIFIED', 'REWORK',
  'ESCALATED', 'RETURNED', 'CLOSED'];
const SOURCES = ['GRID_PATROL', 'CITIZEN_HOTLINE', 'CITIZEN_APP', 'INSPECTION', 'OTHER'];
const ACTION_LABELS = {
  ACCEPT: '受理 Accept', REJECT: '不予受理 Reject', RETURN: '退回 Return', START: '处置 Start', DISPATCH: '派遣 Dispatch',
  ESCALATE: '上报 Escalate', RESOLVE: '办结 Resolve', VERIFY: '核查通过 Verify', REWORK: '返工 Rework', CLOSE: '结案 Close'
};
const NEEDS_NOTE = ['REJECT', 'RETURN', 'RESOLVE', 'REWORK'];
const TIER_LABELS = { CITY: '市 City', DISTRICT: '区县 District', TOWNSHIP: '乡镇街道 Township', COMMUNITY: '社区村 Community' };

const app = document.getElementById('app');
const errorBox = document.getElementById('error');
const actorInput = document.getElementById('actor');
actorInput.value = localStorage.getItem('gridlink.actor') || 'console';
actorInput.addEventListener('change', () => localStorage.setItem('gridlink.actor', actorInput.value.trim() || 'console'));

let refreshTimer = null;
let platform = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function showError(problem) {
  errorBox.hidden = false;
  errorBox.textContent = '';
  errorBox.append(el('strong', { text: (problem.title || 'Error') + (problem.status ? ` (${problem.status})` : '') }),
    el('div', { 'data-testid': 'error-detail', text: problem.detail || '' }));
}

function clearError() { errorBox.hidden = true; errorBox.textContent = ''; }

async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json, application/problem+json', 'X-Gridlink-Actor': actorInput.value.trim() || 'console' };
  if (options.body) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { ...options, headers: { ...headers, ...(options.headers || {}) } });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problem = body && typeof body === 'object' ? body : { title: response.statusText, status: response.status, detail: text };
    showError(problem);
    throw Object.assign(new Error(problem.detail || problem.title), { problem });
  }
  return body;
}

const fmt = (t) => t ? new Date(t).toLocaleString('zh-CN', { hour12: false }) : '';
const unitLink = (code, label) => el('a', { href: `#/units/${code}`, text: label || code });
const statusBadge = (s) => el('span', { class: `status ${s}`, 'data-testid': 'status-badge', text: s });

async function route() {
  clearInterval(refreshTimer);
  const hash = location.hash.replace(/^#\/?/, '');
  const parts = hash.split('/').filter(Boolean);
  try {
    if (!platform) platform = await api('/api/platform');
    if (parts[0] === 'units' && parts[2] === 'cases' && parts[3]) await showCase(parts[1], parts[3]);
    else if (parts[0] === 'units' && parts[1]) await showUnit(parts[1]);
    else location.hash = `#/units/${platform.cityCode}`;
  } catch (e) {
    if (!e.problem) showError({ title: 'Console error', detail: e.message });
  }
}

function breadcrumbs(unit) {
  const nav = document.getElementById('breadcrumbs');
  nav.textContent = '';
  if (unit.parent) nav.append(unitLink(unit.parent.code, '↑ ' + unit.parent.name), ' / ');
  nav.append(unitLink(unit.code, unit.name));
}

async function showUnit(code) {
  const unit = await api(`/api/units/${code}`);
  breadcrumbs(unit);
  app.textContent = '';
  const info = el('section', {},
    el('h1', { 'data-testid': 'unit-name', text: unit.name }),
    el('div', { class: 'muted', text: `${TIER_LABELS[unit.tier] || unit.tier} · ${unit.code}${unit.nameEn ? ' · ' + unit.nameEn : ''}` }),
    unit.parent ? el('p', {}, '上级 Parent: ', unitLink(unit.parent.code, unit.parent.name)) : null,
    el('h2', { text: unit.children.length ? '下级单位 Units below' : '网格 Grid cells' }),
    unit.children.length
      ? el('ul', { class: 'units', 'data-testid': 'children' }, unit.children.map((c) => el('li', {}, unitLink(c.code, c.name), el('span', { class: 'muted', text: ' ' + c.code }))))
      : el('ul', { class: 'units', 'data-testid': 'grid-cells' }, unit.gridCells.map((g) => el('li', { text: `${g.name} (${g.code})` }))));
  const queue = el('section', {}, el('h2', { text: '案件队列 Case queue' }));
  const report = el('section', { class: 'wide' }, el('h2', { text: '上报新案件 Report a case here' }));
  app.append(info, queue, report);
  await renderQueue(queue, unit);
  await renderReportForm(report, unit);
  refreshTimer = setInterval(() => renderQueue(queue, unit, true).catch(() => {}), 5000);
}

async function renderQueue(section, unit, refresh) {
  const state = section.state || (section.state = { status: '', cursor: null, pages: [] });
  const params = new URLSearchParams({ limit: '20' });
  if (state.status) params.set('status', state.status);
  if (state.cursor) params.set('cursor', state.cursor);
  const page = await api(`/api/units/${unit.code}/cases?${params}`);
  if (refresh && section.lastJson === JSON.stringify(page)) return;
  section.lastJson = JSON.stringify(page);
  section.querySelectorAll('.queue-body').forEach((n) => n.remove());
  const filter = el('select', { 'data-testid': 'status-filter', onchange: (e) => { state.status = e.target.value; state.cursor = null; renderQueue(section, unit); } },
    el('option', { value: '', text: '全部 All statuses' }), STATUSES.map((s) => el('option', { value: s, text: s })));
  filter.value = state.status;
  const rows = page.items.map((c) => el('tr', { 'data-testid': 'case-row' },
    el('td', {}, el('a', { href: `#/units/${unit.code}/cases/${c.caseId}`, text: c.title })),
    el('td', {}, statusBadge(c.status)),
    el('td', { text: c.categoryCode }),
    el('td', { class: c.overdue ? 'overdue' : '', text: c.overdue ? '超期 overdue' : fmt(c.dueAt) }),
    el('td', { text: fmt(c.createdAt) })));
  const body = el('div', { class: 'queue-body' },
    el('div', { class: 'actions' }, filter,
      state.cursor ? el('button', { class: 'secondary', onclick: () => { state.cursor = null; renderQueue(section, unit); }, text: '第一页 First page' }) : null,
      page.nextCursor ? el('button', { 'data-testid': 'next-page', class: 'secondary', onclick: () => { state.cursor = page.nextCursor; renderQueue(section, unit); }, text: '下一页 Next page' }) : null),
    page.items.length
      ? el('table', { 'data-testid': 'case-list' }, el('tr', {}, ['标题 Title', '状态 Status', '类别 Category', '时限 Due', '创建 Created'].map((h) => el('th', { text: h }))), rows)
      : el('p', { class: 'muted', 'data-testid': 'case-list', text: '没有案件 No cases' }));
  section.append(body);
}

async function renderReportForm(section, unit) {
  const categories = await api(`/api/units/${unit.code}/categories`);
  const form = el('form', { 'data-testid': 'report-form' },
    el('label', {}, '类别 Category', el('select', { name: 'categoryCode', required: true },
      categories.map((c) => el('option', { value: c.code, text: `${c.name} · ${c.nameEn || c.code} (${c.timeLimitHours}h)` })))),
    el('label', {}, '标题 Title', el('input', { name: 'title', required: true, maxlength: 200 })),
    el('label', { class: 'full' }, '描述 Description', el('textarea', { name: 'description', rows: 2 })),
    el('label', {}, '地址 Address', el('input', { name: 'address' })),
    el('label', {}, '来源 Source', el('select', { name: 'source' }, SOURCES.map((s) => el('option', { value: s, text: s })))),
    el('label', {}, '纬度 Latitude', el('input', { name: 'lat', type: 'number', step: 'any' })),
    el('label', {}, '经度 Longitude', el('input', { name: 'lon', type: 'number', step: 'any' })),
    unit.gridCells.length ? el('label', {}, '网格 Grid cell', el('select', { name: 'gridCode' }, el('option', { value: '', text: '—' }),
      unit.gridCells.map((g) => el('option', { value: g.code, text: `${g.name} (${g.code})` })))) : null,
    el('label', {}, '报告人 Reporter', el('input', { name: 'reporter' })),
    el('div', { class: 'full' }, el('button', { type: 'submit', 'data-testid': 'report-submit', text: '上报 Report' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const f = new FormData(form);
    const num = (v) => (v === null || v === '' ? null : Number(v));
    const body = {
      categoryCode: f.get('categoryCode'), title: f.get('title'), description: f.get('description') || null,
      location: { lat: num(f.get('lat')), lon: num(f.get('lon')), address: f.get('address') || null },
      gridCode: f.get('gridCode') || null, source: f.get('source'), reporter: f.get('reporter') || null
    };
    const view = await api(`/api/units/${unit.code}/cases`, { method: 'POST', body: JSON.stringify(body) }).catch(() => null);
    if (view) location.hash = `#/units/${unit.code}/cases/${view.caseId}`;
  });
  section.append(form);
}

async function showCase(code, caseId) {
  const [unit, view] = await Promise.all([api(`/api/units/${code}`), api(`/api/units/${code}/cases/${caseId}`)]);
  breadcrumbs(unit);
  app.textContent = '';
  const field = (label, value) => el('tr', {}, el('th', { text: label }), el('td', {}, value ?? ''));
  const details = el('section', {},
    el('h1', { 'data-testid': 'case-title', text: view.title }),
    el('p', {}, statusBadge(view.status), el('span', { 'data-testid': 'case-status', hidden: true, text: view.status }),
      view.overdue ? el('span', { class: 'overdue', text: ' 超期 overdue' }) : null),
    el('table', {},
      field('单位 Unit', unitLink(view.unitCode, unit.name)),
      field('案件号 Case id', view.caseId),
      field('类别 Category', view.categoryCode),
      field('描述 Description', view.description),
      field('地址 Address', view.location && view.location.address),
      field('网格 Grid cell', view.gridCode),
      field('来源 Source', view.source),
      field('报告人 Reporter', view.reporter),
      field('来由 Origin', view.origin),
      field('时限 Due', fmt(view.dueAt)),
      field('结果 Resolution', view.resolution),
      field('流转 Chain', el('span', { class: 'chain', 'data-testid': 'chain' },
        view.chain.map((c) => el('span', {}, el('a', { href: `#/units/${c}/cases/${view.caseId}`, text: c })))))));
  const actions = el('section', {}, el('h2', { text: '办理 Actions' }));
  const note = el('textarea', { 'data-testid': 'action-note', rows: 2, placeholder: '意见 Note (required for reject, return, resolve, rework)' });
  const target = unit.children.length
    ? el('select', { 'data-testid': 'action-target' }, unit.children.map((c) => el('option', { value: c.code, text: `${c.name} (${c.code})` })))
    : null;
  const buttons = view.allowedActions.map((a) => el('button', {
    'data-testid': `action-${a}`, class: NEEDS_NOTE.includes(a) ? 'secondary' : '',
    onclick: async () => {
      clearError();
      const body = { action: a, note: note.value.trim() || null, target: a === 'DISPATCH' && target ? target.value : null };
      const updated = await api(`/api/units/${code}/cases/${caseId}/actions`, { method: 'POST', body: JSON.stringify(body) }).catch(() => null);
      if (updated) showCase(code, caseId);
    }, text: ACTION_LABELS[a] || a
  }));
  actions.append(view.allowedActions.length
    ? el('div', {}, note, view.allowedActions.includes('DISPATCH') && target ? el('p', {}, '派往 Dispatch to: ', target) : null, el('div', { class: 'actions' }, buttons))
    : el('p', { class: 'muted', text: '此单位当前无可办理操作 — the record follows another unit now.' }));
  const timeline = el('section', { class: 'wide' }, el('h2', { text: '流转记录 Timeline' }),
    el('table', { 'data-testid': 'timeline' },
      el('tr', {}, ['时间 Time', '单位 Unit', '操作人 Actor', '操作 Action', '状态 Status', '意见 Note'].map((h) => el('th', { text: h }))),
      view.timeline.map((t) => el('tr', { 'data-testid': 'timeline-entry' },
        el('td', { text: fmt(t.at) }), el('td', {}, unitLink(t.unitCode)), el('td', { text: t.actor }),
        el('td', { text: t.action }), el('td', { text: `${t.fromStatus || '—'} → ${t.toStatus || '—'}` }), el('td', { text: t.note || '' })))));
  app.append(details, actions, timeline);
  refreshTimer = setInterval(async () => {
    const fresh = await api(`/api/units/${code}/cases/${caseId}`).catch(() => null);
    if (fresh && (fresh.status !== view.status || fresh.timeline.length !== view.timeline.length)) showCase(code, caseId);
  }, 3000);
}

window.addEventListener('hashchange', () => { clearError(); route(); });
route();
