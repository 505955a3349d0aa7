/* gridlink web console: a unit navigator, case queues, case reporting and case handling on top of the
   gateway's API. Plain JS, no build step; every API problem lands in the #error banner. */
(function () {
  'use strict';

  var STATUSES = {
    REPORTED: ['已上报', 'Reported'], ACCEPTED: ['已受理', 'Accepted'], REJECTED: ['不予受理', 'Rejected'],
    DISPATCHED: ['已派遣', 'Dispatched'], IN_PROGRESS: ['处置中', 'In progress'], RESOLVED: ['处置完成', 'Resolved'],
    VERIFIED: ['已核查', 'Verified'], REWORK: ['返工', 'Rework'], ESCALATED: ['已上报上级', 'Escalated'],
    RETURNED: ['已退回', 'Returned'], CLOSED: ['已结案', 'Closed']
  };
  var ACTIONS = {
    ACCEPT: ['受理', 'Accept'], REJECT: ['不予受理', 'Reject'], DISPATCH: ['派遣', 'Dispatch'],
    START: ['开始处置', 'Start'], RESOLVE: ['处置完成', 'Resolve'], VERIFY: ['核查通过', 'Verify'],
    REWORK: ['返工', 'Rework'], ESCALATE: ['上报上级', 'Escalate'], RETURN: ['退回', 'Return'],
    CLOSE: ['结案', 'Close'], REOPEN: ['重新办理', 'Reopen'], COMMENT: ['备注', 'Comment']
  };
  var NOTE_REQUIRED = ['REJECT', 'RESOLVE', 'REWORK', 'RETURN'];
  var TIERS = {
    city: ['市', 'City'], district: ['区县', 'District'], township: ['街道乡镇', 'Township'], community: ['社区村', 'Community']
  };
  var SOURCES = {
    GRID_PATROL: ['网格巡查', 'Grid patrol'], CITIZEN_HOTLINE: ['市民热线', 'Citizen hotline'],
    CITIZEN_APP: ['市民App', 'Citizen app'], INSPECTION: ['督查检查', 'Inspection'], OTHER: ['其他', 'Other']
  };
  var ORIGINS = { INTAKE: ['本级受理', 'Intake'], ESCALATION: ['下级上报', 'Escalation'], DISPATCH: ['上级派遣', 'Dispatch'] };
  var REFRESH_MS = 5000;
  var CASE_REFRESH_MS = 1500;
  var CASE_ARRIVAL_TRIES = 20;
  var SESSION_KEY = 'gridlink.session';
  var LOGIN_KEY = 'gridlink.login';

  var view = document.getElementById('view');
  var refreshTimer = null;
  var unitCache = {};
  var platform = null;
  var renderedCase = null;

  // ---------- small DOM helpers ----------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === 'text') { node.textContent = value; }
      else if (key.indexOf('on') === 0) { node.addEventListener(key.substring(2), value); }
      else { node.setAttribute(key, value === true ? '' : value); }
    });
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }

  /** A Chinese label with its English name after it, e.g. "已受理 Accepted". */
  function label(pair, fallback) {
    if (!pair) { return el('span', { text: fallback || '' }); }
    return el('span', {}, pair[0] + ' ', el('small', { text: pair[1] }));
  }

  function heading(tag, zh, en, attrs) {
    return el(tag, attrs || {}, zh + ' ', el('small', { text: en }));
  }

  function time(value) {
    if (!value) { return ''; }
    var date = new Date(value);
    return isNaN(date.getTime()) ? String(value) : date.toLocaleString('zh-CN', { hour12: false });
  }

  function render() {
    view.textContent = '';
    for (var i = 0; i < arguments.length; i++) { append(view, arguments[i]); }
  }

  // ---------- the error banner ----------

  var banner = document.getElementById('error');

  function showError(problem, status, request) {
    document.getElementById('error-title').textContent = problem.title || '请求失败 Request failed';
    document.getElementById('error-status').textContent = (status ? status + ' ' : '') + (request || '');
    document.getElementById('error-detail').textContent = problem.detail || '';
    banner.hidden = false;
  }

  function clearError() {
    banner.hidden = true;
  }

  document.getElementById('error-dismiss').addEventListener('click', clearError);

  // ---------- signing in: OAuth2 authorization code with PKCE at the city's identity provider ----------
  // The console is a public client: no secret, a fresh code verifier per login, the token kept in this tab only.

  function base64url(bytes) {
    var text = '';
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomText(size) {
    return base64url(crypto.getRandomValues(new Uint8Array(size)));
  }

  function redirectUri() {
    return location.origin + '/';
  }

  function session() {
    try {
      var s = JSON.parse(sessionStorage.getItem(SESSION_KEY));
      return s && s.expiresAt > Date.now() ? s : null;
    } catch (e) { return null; }
  }

  function claimsOf(token) {
    var payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    var json = decodeURIComponent(Array.prototype.map.call(atob(payload), function (c) {
      return '%' + ('00' + c.charCodeAt(0).toString(16)).slice(-2);
    }).join(''));
    return JSON.parse(json);
  }

  function login() {
    loadPlatform().then(function (p) {
      if (!window.crypto || !crypto.subtle) {
        throw new Error('signing in needs a secure context: open the console over https, or at localhost');
      }
      var verifier = randomText(32);
      var state = randomText(16);
      return crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)).then(function (digest) {
        sessionStorage.setItem(LOGIN_KEY, JSON.stringify({ verifier: verifier, state: state, hash: location.hash }));
        var query = new URLSearchParams({
          response_type: 'code', client_id: p.identity.clientId, redirect_uri: redirectUri(), scope: 'openid profile',
          state: state, code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: 'S256'
        });
        location.assign(p.identity.authorizationEndpoint + '?' + query.toString());
      });
    }).catch(shown);
  }

  /** Ends the console's session and the identity provider's too (OpenID Connect RP-initiated logout). */
  function logout() {
    var s = session();
    sessionStorage.removeItem(SESSION_KEY);
    showUser();
    if (!s || !s.idToken) { route(); return; }
    loadPlatform().then(function (p) {
      location.assign(p.identity.issuer + '/connect/logout?' + new URLSearchParams({
        id_token_hint: s.idToken, client_id: p.identity.clientId, post_logout_redirect_uri: redirectUri()
      }).toString());
    }).catch(function (failure) { shown(failure); route(); });
  }

  /** Back from the identity provider with ?code=…&state=…: trades the code for a token, then goes on. */
  function finishLogin() {
    var params = new URLSearchParams(location.search);
    if (!params.has('code') && !params.has('error')) { return Promise.resolve(); }
    var pending = null;
    try { pending = JSON.parse(sessionStorage.getItem(LOGIN_KEY)); } catch (e) { pending = null; }
    sessionStorage.removeItem(LOGIN_KEY);
    var back = (pending && pending.hash) || '';
    history.replaceState(null, '', location.pathname + back);
    if (params.has('error')) {
      showError({ title: '登录失败 Login failed', detail: params.get('error_description') || params.get('error') });
      return Promise.resolve();
    }
    if (!pending || pending.state !== params.get('state')) {
      showError({ title: '登录失败 Login failed', detail: 'the login answer does not belong to this tab; log in again' });
      return Promise.resolve();
    }
    return loadPlatform().then(function (p) {
      return fetch(p.identity.tokenEndpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
          client_id: p.identity.clientId, code_verifier: pending.verifier
        }).toString()
      });
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok || !answer.access_token) {
          throw new Error((answer && (answer.error_description || answer.error)) || ('token endpoint answered ' + response.status));
        }
        var claims = claimsOf(answer.access_token);
        sessionStorage.setItem(SESSION_KEY, JSON.stringify({
          token: answer.access_token, idToken: answer.id_token || null, claims: claims, expiresAt: Date.now() + (answer.expires_in || 300) * 1000
        }));
      });
    }).catch(function (failure) {
      showError({ title: '登录失败 Login failed', detail: String(failure && failure.message || failure) });
    });
  }

  function showUser() {
    var s = session();
    var user = document.getElementById('user');
    user.textContent = '';
    if (s) {
      append(user, [el('strong', { text: s.claims.name || s.claims.sub }), ' ',
        el('span', { class: 'code', 'data-testid': 'user-name', text: s.claims.sub }), ' · ',
        el('span', { class: 'code', text: s.claims.unit }), ' · ',
        el('span', { text: (s.claims.roles || []).join(', ') }), ' ']);
    }
    document.getElementById('login').hidden = !!s;
    document.getElementById('logout').hidden = !s;
  }

  function actor() {
    var s = session();
    return s ? s.claims.sub : '';
  }

  document.getElementById('login').addEventListener('click', login);
  document.getElementById('logout').addEventListener('click', logout);

  // ---------- the API ----------

  function ApiError(problem, status) {
    this.problem = problem;
    this.status = status;
  }

  /** Calls the gateway; any problem is shown in the banner and rejects the promise with an ApiError. */
  function api(method, path, body) {
    var headers = { 'Accept': 'application/json, application/problem+json' };
    var signedIn = session();
    if (signedIn) { headers['Authorization'] = 'Bearer ' + signedIn.token; }
    var init = { method: method, headers: headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (response.status === 401) {
          sessionStorage.removeItem(SESSION_KEY);
          showUser();
        }
        if (!response.ok) {
          var problem = data && typeof data === 'object' ? data
            : { title: response.status + ' ' + (response.statusText || 'Error'), detail: text.substring(0, 300) };
          showError(problem, response.status, method + ' ' + path);
          throw new ApiError(problem, response.status);
        }
        return data;
      });
    }, function (failure) {
      var problem = { title: '网络错误 Network error', detail: String(failure && failure.message || failure) };
      showError(problem, null, method + ' ' + path);
      throw new ApiError(problem);
    });
  }

  /** Errors are already in the banner; this only keeps them from surfacing as unhandled rejections. */
  function shown(failure) {
    if (!(failure instanceof ApiError)) {
      showError({ title: '控制台错误 Console error', detail: String(failure && failure.message || failure) });
    }
  }

  function unitPath(code) {
    return '/api/units/' + encodeURIComponent(code);
  }

  function loadUnit(code) {
    return api('GET', unitPath(code)).then(function (unit) {
      unitCache[unit.code] = unit;
      return unit;
    });
  }

  // The parent of a unit is its code with the lowest non-zero level zeroed (DESIGN §3).
  function ancestorCodes(code) {
    var levels = [[9, 12], [6, 9], [4, 6]];
    var codes = [];
    var current = code;
    levels.forEach(function (range) {
      var part = current.substring(range[0], range[1]);
      if (/^0+$/.test(part)) { return; }
      current = current.substring(0, range[0]) + '0'.repeat(12 - range[0]);
      codes.unshift(current);
    });
    return codes;
  }

  function unitName(code) {
    if (unitCache[code]) { return Promise.resolve(unitCache[code].name); }
    return loadUnit(code).then(function (unit) { return unit.name; });
  }

  function unitLink(code, text) {
    return el('a', { href: '#/units/' + code, 'data-unit': code, text: text || code });
  }

  function breadcrumbs(code, current) {
    var nav = el('nav', { id: 'breadcrumbs', 'data-testid': 'breadcrumbs', class: 'crumbs' });
    ancestorCodes(code).forEach(function (ancestor) {
      var link = unitLink(ancestor, ancestor);
      append(nav, link);
      unitName(ancestor).then(function (name) { link.textContent = name; }, shown);
    });
    append(nav, el('span', { text: current }));
    return nav;
  }

  // ---------- routing ----------

  function stopRefresh() {
    if (refreshTimer) { clearInterval(refreshTimer); refreshTimer = null; }
  }

  function route() {
    stopRefresh();
    clearError();
    var hash = location.hash.replace(/^#/, '');
    var match;
    var signedIn = session();
    if (!signedIn) {
      render(el('div', { class: 'panel', 'data-testid': 'login-panel' },
        heading('h2', '请登录', 'Please log in'),
        el('p', {}, '网格联动按单位和角色授权：登录后可查看本单位及下级单位的案件，并在本单位办理。 ',
          el('small', { text: 'You see the cases of your unit and the units below it, and act in your own unit.' })),
        el('button', { type: 'button', 'data-testid': 'login-panel-button', onclick: login }, '登录 ', el('small', { text: 'Log in' }))));
      return;
    }
    if ((match = hash.match(/^\/units\/([^/]+)\/cases\/([^/]+)$/))) {
      showCase(decodeURIComponent(match[1]), decodeURIComponent(match[2]));
    } else if ((match = hash.match(/^\/units\/([^/]+)\/report$/))) {
      showUnit(decodeURIComponent(match[1]), 'report');
    } else if ((match = hash.match(/^\/units\/([^/]+)$/))) {
      showUnit(decodeURIComponent(match[1]), 'cases');
    } else {
      location.replace('#/units/' + signedIn.claims.unit);
    }
  }

  function loadPlatform() {
    if (platform) { return Promise.resolve(platform); }
    return api('GET', '/api/platform').then(function (p) {
      platform = p;
      document.getElementById('platform-name').textContent = p.name + ' ' + p.cityCode;
      return p;
    });
  }

  // ---------- 1. the unit navigator ----------

  function showUnit(code, focus) {
    render(el('p', { class: 'muted' }, '加载中… ', el('small', { text: 'Loading…' })));
    // the categories come with the unit, so the report form is complete as soon as it shows
    var categories = api('GET', unitPath(code) + '/categories').catch(function (failure) { shown(failure); return []; });
    Promise.all([loadUnit(code), categories]).then(function (loaded) {
      var unit = loaded[0];
      unit.categories = loaded[1] || [];
      var children = el('ul', { id: 'children', 'data-testid': 'children', class: 'plain' });
      (unit.children || []).forEach(function (child) {
        append(children, el('li', { 'data-testid': 'child', 'data-code': child.code },
          unitLink(child.code, child.name), ' ', el('span', { class: 'code', text: child.code }), ' ',
          el('span', { class: 'tier', text: (TIERS[child.tier] || [child.tier])[0] })));
      });
      if (!(unit.children || []).length) {
        append(children, el('li', { class: 'muted' }, '无下级单位 ', el('small', { text: 'No subordinate units' })));
      }
      var cells = null;
      if ((unit.gridCells || []).length) {
        cells = el('ul', { id: 'grid-cells', 'data-testid': 'grid-cells', class: 'plain' });
        unit.gridCells.forEach(function (cell) {
          append(cells, el('li', {}, cell.name + ' ', el('span', { class: 'code', text: cell.code })));
        });
      }
      var tierKey = String(unit.tier || '').toLowerCase();
      var content = el('section', { id: 'unit-content' });
      render(
        breadcrumbs(unit.code, unit.name),
        el('h1', {}, el('span', { id: 'unit-name', 'data-testid': 'unit-name', text: unit.name }), ' ',
          el('small', { text: unit.nameEn || '' }), ' ',
          el('span', { id: 'unit-code', 'data-testid': 'unit-code', class: 'code', text: unit.code }), ' ',
          el('span', { id: 'unit-tier', 'data-testid': 'unit-tier', class: 'tier' }, label(TIERS[tierKey], unit.tier))),
        unit.parent ? el('p', {}, '上级 ', el('small', { text: 'Parent' }), ' ',
          unitLink(unit.parent.code, unit.parent.name), ' ', el('span', { class: 'code', text: unit.parent.code })) : null,
        el('div', { class: 'grid' },
          el('aside', {},
            el('div', { class: 'panel' }, heading('h2', '下级单位', 'Subordinate units'), children),
            cells ? el('div', { class: 'panel' }, heading('h2', '网格', 'Grid cells'), cells) : null),
          content));
      caseQueue(unit, content);
      reportForm(unit, content);
      if (focus === 'report') { document.getElementById('report-form').scrollIntoView(); }
    }).catch(function (failure) {
      render(el('p', { class: 'muted' }, '无法显示该单位 ', el('small', { text: 'The unit cannot be shown' })));
      shown(failure);
    });
  }

  // ---------- 2. the case queue ----------

  function caseQueue(unit, container) {
    var state = { cursor: null, history: [] };
    var statusSelect = el('select', { id: 'status-filter', 'data-testid': 'status-filter', name: 'status' },
      el('option', { value: '', text: '全部状态 All statuses' }));
    Object.keys(STATUSES).forEach(function (status) {
      append(statusSelect, el('option', { value: status, text: STATUSES[status][0] + ' ' + STATUSES[status][1] }));
    });
    var categorySelect = el('select', { id: 'category-filter', 'data-testid': 'category-filter', name: 'category' },
      el('option', { value: '', text: '全部类别 All categories' }));
    unit.categories.forEach(function (c) {
      append(categorySelect, el('option', { value: c.code, text: c.name + ' ' + (c.nameEn || '') }));
    });

    var body = el('tbody');
    var table = el('table', { id: 'case-list', 'data-testid': 'case-list' },
      el('thead', {}, el('tr', {},
        el('th', {}, '标题 ', el('small', { text: 'Title' })),
        el('th', {}, '状态 ', el('small', { text: 'Status' })),
        el('th', {}, '类别 ', el('small', { text: 'Category' })),
        el('th', {}, '上报时间 ', el('small', { text: 'Created' })),
        el('th', {}, '更新时间 ', el('small', { text: 'Updated' })))),
      body);
    var firstButton = el('button', { type: 'button', id: 'first-page', 'data-testid': 'first-page', class: 'secondary' },
      '第一页 First page');
    var nextButton = el('button', { type: 'button', id: 'next-page', 'data-testid': 'next-page', class: 'secondary', disabled: true },
      '下一页 Next page');
    var updated = el('span', { id: 'case-list-updated', class: 'muted' });

    function load() {
      var query = new URLSearchParams();
      query.set('status', statusSelect.value);
      query.set('category', categorySelect.value);
      query.set('limit', '20');
      query.set('cursor', state.cursor || '');
      return api('GET', unitPath(unit.code) + '/cases?' + query.toString()).then(function (page) {
        body.textContent = '';
        var items = (page && page.items) || [];
        items.forEach(function (item) {
          append(body, el('tr', { 'data-testid': 'case-row', 'data-case-id': item.caseId },
            el('td', {}, el('a', { href: '#/units/' + unit.code + '/cases/' + encodeURIComponent(item.caseId), text: item.title || item.caseId }),
              item.overdue ? el('span', { class: 'overdue', 'data-testid': 'overdue' }, ' 超期 ', el('small', { text: 'overdue' })) : null),
            el('td', { class: 'status', 'data-testid': 'case-row-status' }, label(STATUSES[item.status], item.status)),
            el('td', { text: item.categoryCode || '' }),
            el('td', { text: time(item.createdAt) }),
            el('td', { text: time(item.updatedAt) })));
        });
        if (!items.length) {
          append(body, el('tr', {}, el('td', { colspan: '5', class: 'muted' }, '暂无案件 ', el('small', { text: 'No cases' }))));
        }
        state.next = page && page.nextCursor;
        nextButton.disabled = !state.next;
        firstButton.disabled = !state.cursor;
        updated.textContent = '刷新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false });
      });
    }

    function restart() {
      state.cursor = null;
      load().catch(shown);
    }

    statusSelect.addEventListener('change', restart);
    categorySelect.addEventListener('change', restart);
    firstButton.addEventListener('click', restart);
    nextButton.addEventListener('click', function () {
      if (!state.next) { return; }
      state.cursor = state.next;
      load().catch(shown);
    });

    append(container, el('div', { class: 'panel' },
      heading('h2', '案件队列', 'Case queue'),
      el('div', { class: 'filters' },
        el('label', {}, label(['状态', 'Status']), statusSelect),
        el('label', {}, label(['类别', 'Category']), categorySelect),
        firstButton, nextButton, updated),
      table));
    load().catch(shown);
    refreshTimer = setInterval(function () { load().catch(shown); }, REFRESH_MS);
  }

  // ---------- 3. reporting a case ----------

  function reportForm(unit, container) {
    function field(zh, en, input, wide) {
      return el('label', { class: wide ? 'wide' : null }, label([zh, en]), input);
    }
    var category = el('select', { id: 'report-category', 'data-testid': 'report-category', name: 'categoryCode', required: true },
      el('option', { value: '', text: '请选择 Choose…' }));
    unit.categories.forEach(function (c) {
      var hint = [c.focusArea, c.department, c.timeLimitHours ? c.timeLimitHours + 'h' : null].filter(Boolean).join(' · ');
      append(category, el('option', { value: c.code, text: c.name + ' ' + (c.nameEn || '') + (hint ? ' — ' + hint : '') }));
    });
    var source = el('select', { id: 'report-source', 'data-testid': 'report-source', name: 'source' });
    Object.keys(SOURCES).forEach(function (key) {
      append(source, el('option', { value: key, text: SOURCES[key][0] + ' ' + SOURCES[key][1] }));
    });
    var grid = null;
    if (String(unit.tier).toLowerCase() === 'community') {
      grid = el('select', { id: 'report-grid', 'data-testid': 'report-grid', name: 'gridCode' },
        el('option', { value: '', text: '未指定 Not specified' }));
      (unit.gridCells || []).forEach(function (cell) {
        append(grid, el('option', { value: cell.code, text: cell.name + ' ' + cell.code }));
      });
    }
    var inputs = {
      title: el('input', { id: 'report-title', 'data-testid': 'report-title', name: 'title', required: true, maxlength: '200' }),
      description: el('textarea', { id: 'report-description', 'data-testid': 'report-description', name: 'description', rows: '3' }),
      address: el('input', { id: 'report-address', 'data-testid': 'report-address', name: 'address' }),
      lat: el('input', { id: 'report-lat', 'data-testid': 'report-lat', name: 'lat', type: 'number', step: 'any', min: '-90', max: '90' }),
      lon: el('input', { id: 'report-lon', 'data-testid': 'report-lon', name: 'lon', type: 'number', step: 'any', min: '-180', max: '180' }),
      reporter: el('input', { id: 'report-reporter', 'data-testid': 'report-reporter', name: 'reporter', value: actor() })
    };
    var submit = el('button', { type: 'submit', id: 'report-submit', 'data-testid': 'report-submit' }, '上报 Report');
    var form = el('form', { id: 'report-form', 'data-testid': 'report-form', class: 'stack panel' },
      el('h2', { class: 'wide' }, '上报案件 ', el('small', { text: 'Report a case at this unit' })),
      field('类别', 'Category', category),
      field('来源', 'Source', source),
      grid ? field('网格', 'Grid cell', grid) : null,
      field('标题', 'Title', inputs.title, true),
      field('描述', 'Description', inputs.description, true),
      field('地址', 'Address', inputs.address, true),
      field('纬度', 'Latitude', inputs.lat),
      field('经度', 'Longitude', inputs.lon),
      field('上报人', 'Reporter', inputs.reporter),
      el('div', { class: 'wide' }, submit));

    function number(input) {
      return input.value === '' ? null : Number(input.value);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      submit.disabled = true;
      var report = {
        categoryCode: category.value,
        title: inputs.title.value.trim(),
        description: inputs.description.value.trim() || null,
        location: { lat: number(inputs.lat), lon: number(inputs.lon), address: inputs.address.value.trim() || null },
        gridCode: grid && grid.value ? grid.value : null,
        source: source.value,
        reporter: inputs.reporter.value.trim() || actor()
      };
      api('POST', unitPath(unit.code) + '/cases', report).then(function (created) {
        clearError();
        location.hash = '#/units/' + unit.code + '/cases/' + encodeURIComponent(created.caseId);
      }).catch(shown).then(function () { submit.disabled = false; });
    });
    append(container, form);
  }

  var CLOCKS = { ACCEPTANCE: ['签收时限', 'Accept by'], HANDLING: ['处置时限', 'Handle by'] };
  var WARNINGS = {
    NONE: null, HALF: ['已用过半', 'half the time used'], THREE_QUARTERS: ['即将超期', '75% used'], OVERDUE: ['已超期', 'overdue']
  };

  /** "Handle by 12/1 17:30 · 3h 15m left (working time) · 75% used": the clock running on the record, if any. */
  function deadline(d) {
    if (!d) { return null; }
    var left = String(d.timeLeft || '').replace(/^-?PT/, '').replace('H', 'h ').replace('M', 'm ').replace(/\.\d+S|S/, 's').trim();
    var warning = WARNINGS[d.warning];
    return el('span', { class: 'deadline warning-' + String(d.warning).toLowerCase(), 'data-warning': d.warning },
      label(CLOCKS[d.clock], d.clock), ' ', time(d.dueAt), ' · ',
      d.overdue ? '超期 ' + left : '剩余 ' + left, d.workingTime ? el('small', { text: ' (工作时间 working time)' }) : null,
      warning ? [' · ', el('strong', {}, label(warning))] : null);
  }

  // ---------- 4. the case page ----------

  function showCase(code, caseId) {
    render(el('p', { class: 'muted' }, '加载中… ', el('small', { text: 'Loading…' })));
    var casePath = unitPath(code) + '/cases/' + encodeURIComponent(caseId);
    renderedCase = null;
    var misses = 0;
    // A case just escalated or dispatched reaches the next tier a moment later: a case page that is not there
    // yet keeps looking for a while, and a case page that is there follows the record as it changes.
    function load() {
      return api('GET', casePath).then(function (record) {
        var json = JSON.stringify(record);
        var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)
          && document.activeElement.value;
        if (json !== renderedCase && !typing) {
          if (renderedCase === null) { clearError(); }
          renderCase(code, casePath, record);
        }
      }, function (failure) {
        if (renderedCase === null) {
          render(breadcrumbs(code, caseId),
            el('p', { class: 'muted' }, '无法显示该案件 ', el('small', { text: 'The case cannot be shown' })));
          if (!(failure instanceof ApiError && failure.status === 404) || ++misses > CASE_ARRIVAL_TRIES) {
            stopRefresh();
          }
        }
        shown(failure);
      });
    }
    load();
    refreshTimer = setInterval(function () { load(); }, CASE_REFRESH_MS);
  }

  function renderCase(code, casePath, record) {
    renderedCase = JSON.stringify(record); // what the page shows: the refresh re-renders only on a change
    var location_ = record.location || {};
    var where = [location_.address, location_.lat != null && location_.lon != null ? location_.lat + ', ' + location_.lon : null]
      .filter(Boolean).join(' · ');
    function row(zh, en, value, id) {
      return [el('dt', {}, zh + ' ', el('small', { text: en })),
        el('dd', { id: id || null, 'data-testid': id || null }, value === null || value === undefined || value === '' ? '—' : value)];
    }
    var chain = el('span', { id: 'chain', 'data-testid': 'chain' });
    (record.chain || []).forEach(function (unitCode, index) {
      if (index > 0) { append(chain, ' → '); }
      append(chain, el('a', { href: '#/units/' + unitCode + '/cases/' + encodeURIComponent(record.caseId), 'data-unit': unitCode,
        class: unitCode === code ? 'current' : null, text: unitCode }));
    });
    function unitRef(unitCode) {
      return unitCode ? el('a', { href: '#/units/' + unitCode + '/cases/' + encodeURIComponent(record.caseId), text: unitCode }) : null;
    }

    var timelineBody = el('tbody');
    (record.timeline || []).slice().sort(function (a, b) {
      return String(a.at).localeCompare(String(b.at));
    }).forEach(function (entry) {
      append(timelineBody, el('tr', { 'data-testid': 'timeline-entry' },
        el('td', { text: time(entry.at) }),
        el('td', { class: 'code', text: entry.unitCode || '' }),
        el('td', { text: entry.actor || '' }),
        el('td', {}, label(ACTIONS[entry.action], entry.action)),
        el('td', {}, entry.fromStatus ? label(STATUSES[entry.fromStatus], entry.fromStatus) : '—', ' → ',
          entry.toStatus ? label(STATUSES[entry.toStatus], entry.toStatus) : '—'),
        el('td', { text: entry.note || '' })));
    });

    var allowed = record.allowedActions || [];
    var note = el('textarea', { id: 'action-note', 'data-testid': 'action-note', name: 'note', rows: '2',
      placeholder: '办理说明；不予受理、处置完成、返工、退回时必填 — required to reject, resolve, rework or return' });
    var target = null;
    if (allowed.indexOf('DISPATCH') >= 0) {
      target = el('select', { id: 'action-target', 'data-testid': 'action-target', name: 'target' },
        el('option', { value: '', text: '请选择 Choose…' }));
      var fill = function (unit) {
        (unit.children || []).forEach(function (child) {
          append(target, el('option', { value: child.code, text: child.name + ' ' + child.code }));
        });
      };
      if (unitCache[code]) { fill(unitCache[code]); } else { loadUnit(code).then(fill).catch(shown); }
    }
    var buttons = el('div', { id: 'actions', 'data-testid': 'actions', class: 'actions' });
    allowed.forEach(function (action) {
      append(buttons, el('button', { type: 'button', id: 'action-' + action, 'data-testid': 'action-' + action, 'data-action': action,
        onclick: function (event) { perform(code, casePath, action, note, target, event.currentTarget); } },
        label(ACTIONS[action], action)));
    });
    var actionArea = null;
    if (allowed.length) {
      actionArea = el('div', { id: 'action-area', class: 'stack' },
        target ? el('label', {}, label(['派遣至', 'Dispatch to']), target) : null,
        el('label', { class: 'wide' }, label(['说明', 'Note']), note));
    } else {
      append(buttons, el('span', { class: 'muted' }, '本级无可执行操作 ', el('small', { text: 'No actions at this unit' })));
    }

    render(
      breadcrumbs(code, record.title || record.caseId),
      el('h1', {}, el('span', { id: 'case-title', 'data-testid': 'case-title', text: record.title || '' }), ' ',
        el('span', { id: 'case-id', 'data-testid': 'case-id', class: 'code', text: record.caseId })),
      el('div', { class: 'panel' },
        el('p', {}, '状态 ', el('small', { text: 'Status' }), ' ',
          el('span', { id: 'case-status', 'data-testid': 'case-status', class: 'status code', text: record.status }), ' ',
          el('span', { id: 'status-badge', 'data-testid': 'status-badge', class: 'status' }, label(STATUSES[record.status], record.status))),
        heading('h2', '操作', 'Actions'), actionArea, buttons),
      el('div', { class: 'panel' },
        el('dl', { class: 'fields', id: 'case-fields', 'data-testid': 'case-fields' },
          row('本级单位', 'This unit', unitLink(record.unitCode || code), 'case-unit'),
          row('类别', 'Category', record.categoryCode, 'case-category'),
          row('描述', 'Description', record.description, 'case-description'),
          row('位置', 'Location', where, 'case-location'),
          row('网格', 'Grid cell', record.gridCode, 'case-grid'),
          row('来源', 'Source', record.source ? label(SOURCES[record.source], record.source) : null, 'case-source'),
          row('上报人', 'Reporter', record.reporter, 'case-reporter'),
          row('时限', 'Deadline', deadline(record.deadline), 'case-deadline'),
          row('来由', 'Origin', record.origin ? label(ORIGINS[record.origin], record.origin) : null, 'case-origin'),
          row('上报自', 'Escalated from', unitRef(record.escalatedFrom), 'case-escalated-from'),
          row('上报至', 'Escalated to', unitRef(record.escalatedTo), 'case-escalated-to'),
          row('派遣自', 'Dispatched by', unitRef(record.dispatchedBy), 'case-dispatched-by'),
          row('派遣至', 'Dispatched to', unitRef(record.dispatchedTo), 'case-dispatched-to'),
          row('流转链', 'Chain', chain),
          row('处置结果', 'Resolution', record.resolution, 'case-resolution'),
          row('上报时间', 'Created', time(record.createdAt), 'case-created'),
          row('更新时间', 'Updated', time(record.updatedAt), 'case-updated'))),
      el('div', { class: 'panel' },
        heading('h2', '办理记录', 'Timeline'),
        el('table', { id: 'timeline', 'data-testid': 'timeline' },
          el('thead', {}, el('tr', {},
            el('th', {}, '时间 ', el('small', { text: 'At' })),
            el('th', {}, '单位 ', el('small', { text: 'Unit' })),
            el('th', {}, '操作人 ', el('small', { text: 'Actor' })),
            el('th', {}, '操作 ', el('small', { text: 'Action' })),
            el('th', {}, '状态 ', el('small', { text: 'Status' })),
            el('th', {}, '说明 ', el('small', { text: 'Note' })))),
          timelineBody)));
  }

  /** Sends one action with the note and target typed on the case page, then shows the case as it is now. */
  function perform(code, casePath, action, noteInput, targetSelect, button) {
    var body = { action: action, note: noteInput.value.trim() || null, target: null };
    if (NOTE_REQUIRED.indexOf(action) >= 0 && !body.note) {
      showError({ title: '需要说明 A note is required',
        detail: '“' + ACTIONS[action][0] + '”需要填写说明 — ' + action + ' needs a note' });
      noteInput.focus();
      return;
    }
    if (action === 'DISPATCH') {
      body.target = targetSelect && targetSelect.value ? targetSelect.value : null;
      if (!body.target) {
        showError({ title: '需要派遣对象 A target is required', detail: '请选择派遣到的下级单位 — choose the unit to dispatch to' });
        if (targetSelect) { targetSelect.focus(); }
        return;
      }
    }
    button.disabled = true;
    api('POST', casePath + '/actions', body).then(function (updated) {
      clearError();
      if (updated && updated.caseId) {
        renderCase(code, casePath, updated);
        return null;
      }
      return api('GET', casePath).then(function (record) { renderCase(code, casePath, record); });
    }).catch(function (failure) {
      button.disabled = false;
      shown(failure);
    });
  }

  window.addEventListener('hashchange', route);
  loadPlatform().catch(shown);
  finishLogin().then(function () {
    showUser();
    route();
  });
}());
