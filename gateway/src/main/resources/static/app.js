/* gridlink web console: a unit navigator, case queues, case reporting and case handling on top of the
   gateway's API. Plain JS, no build step; every API problem lands in the #error banner. */
(function () {
  'use strict';

  var STATUSES = {
    REPORTED: ['已上报', 'Reported'], ACCEPTED: ['已受理', 'Accepted'], REJECTED: ['不予受理', 'Rejected'],
    DISPATCHED: ['已派遣', 'Dispatched'], IN_PROGRESS: ['处置中', 'In progress'], RESOLVED: ['处置完成', 'Resolved'],
    VERIFIED: ['已核查', 'Verified'], REWORK: ['返工', 'Rework'], ESCALATED: ['已上报上级', 'Escalated'],
    RETURNED: ['已退回', 'Returned'], REOPENED: ['重新办理', 'Reopened'], CLOSED: ['已结案', 'Closed']
  };
  var ACTIONS = {
    ACCEPT: ['受理', 'Accept'], REJECT: ['不予受理', 'Reject'], DISPATCH: ['派遣', 'Dispatch'],
    START: ['开始处置', 'Start'], RESOLVE: ['处置完成', 'Resolve'], VERIFY: ['核查通过', 'Verify'],
    REWORK: ['返工', 'Rework'], ESCALATE: ['上报上级', 'Escalate'], RETURN: ['退回', 'Return'],
    CLOSE: ['结案', 'Close'], REOPEN: ['重新办理', 'Reopen'], COMMENT: ['留言', 'Comment'],
    RETURN_REQUEST: ['退回申请', 'Ask to return'], EXTEND_REQUEST: ['延期申请', 'Ask for more time'],
    PARK_REQUEST: ['挂账申请', 'Ask to park'], APPROVE: ['同意', 'Approve'], OVERRULE: ['驳回', 'Overrule'],
    RECATEGORISE: ['改类', 'Recategorise'], MERGE: ['合并到', 'Merge into'], VERDICT: ['回访评价', 'Verdict'],
    RECALL: ['撤回', 'Recall'], REASSIGN: ['改派', 'Reassign'],
    // timeline entries that are not actions a person picks
    REPORT: ['上报', 'Report'], RECEIVE: ['收件', 'Receive'], RETURNED: ['被退回', 'Returned'],
    SUPERVISE: ['督办', 'Supervise'], EVIDENCE: ['上传证据', 'Evidence'], HANDED_BACK: ['交回', 'Handed back'],
    CHILD_RESOLVED: ['下级处置完成', 'Child resolved'], RETURN_APPROVED: ['同意退回', 'Return approved'],
    RETURN_OVERRULED: ['驳回退回', 'Return overruled'], EXTENSION_APPROVED: ['同意延期', 'Extension approved'],
    EXTENSION_REFUSED: ['驳回延期', 'Extension refused'], PARK_APPROVED: ['同意挂账', 'Park approved'],
    PARK_REFUSED: ['驳回挂账', 'Park refused'], PARK_REVIEW: ['挂账复核', 'Park review'],
    MERGED_IN: ['并入重复案件', 'Duplicate merged in'], VERDICT_SATISFIED: ['回访：满意', 'Verdict: satisfied'],
    VERDICT_NOT_FIXED: ['回访：未解决', 'Verdict: not fixed'], REOPENED: ['重新办理', 'Reopened']
  };
  var FINISHED = ['CLOSED', 'REJECTED'];
  // the reporter's verdict on a closed case (回访), as CaseStateMachine takes it
  var VERDICTS = { SATISFIED: ['满意', 'Satisfied'], NOT_FIXED: ['未解决（重新办理）', 'Not fixed (reopens it)'] };
  // CaseAction.requiresNote() on the nodes
  var NOTE_REQUIRED = ['REJECT', 'RESOLVE', 'REWORK', 'RETURN', 'OVERRULE', 'RETURN_REQUEST', 'EXTEND_REQUEST', 'PARK_REQUEST',
    'RECALL', 'REASSIGN', 'COMMENT'];
  // the actions that take more than a note get a small form of their own on the case page
  var ACTIONS_WITH_FORMS = ['DISPATCH', 'RETURN_REQUEST', 'EXTEND_REQUEST', 'PARK_REQUEST', 'APPROVE', 'RECATEGORISE',
    'MERGE', 'VERDICT', 'REASSIGN'];
  var PENDING_KINDS = { RETURN: ['退回申请', 'Return request'], EXTENSION: ['延期申请', 'Extension request'], PARK: ['挂账申请', 'Park request'] };
  var STAGES = { BEFORE: ['处置前', 'Before'], AFTER: ['处置后', 'After'] };
  var BANDS = { COMMENDED: ['表扬', 'Commended'], NORMAL: ['正常', 'Normal'], WARNED: ['警示', 'Warned'], NO_DATA: ['无数据', 'No data'] };
  // docs/stats.md: the counters (Figures.LABELS) and the rates (Figures.RATES), in the order a reader wants them
  var COUNTERS = [
    ['reported', '新报数', 'Reported'], ['received', '收件数', 'Received'], ['accepted', '受理数', 'Accepted'],
    ['rejected', '不予受理数', 'Rejected'], ['escalated', '上报数', 'Escalated'], ['dispatched', '下派数', 'Dispatched'],
    ['returned', '退回数', 'Returned'], ['bounces', '被退回数', 'Bounces'], ['resolved', '处置数', 'Resolved'],
    ['resolvedOnTime', '按期处置数', 'Resolved on time'], ['verified', '核查数', 'Verified'],
    ['verifiedOnTime', '按期核查数', 'Verified on time'], ['closed', '结案数', 'Closed'],
    ['reworked', '返工数', 'Reworked'], ['overdue', '超期数', 'Overdue'], ['proactive', '主动发现数', 'Proactive'],
    ['hotline', '热线数', 'Hotline'], ['returnRequests', '退单申请数', 'Return requests'],
    ['extensionRequests', '延期申请数', 'Extension requests'], ['parkRequests', '挂账申请数', 'Park requests'],
    ['recategorised', '改类数', 'Recategorised'], ['recalled', '撤回数', 'Recalled from an officer'],
    ['reassigned', '改派数', 'Reassigned'], ['supervisions', '督办数', 'Supervisions'],
    ['patrols', '巡查次数', 'Patrols'], ['patrolledCells', '巡查网格数(格·日)', 'Cell-days patrolled']
  ];
  var RATES = [
    ['handlingRate', '处置率', 'Handling rate'], ['onTimeRate', '按期处置率', 'On-time rate'],
    ['verifyOnTimeRate', '按期核查率', 'Verified on time'], ['reworkRate', '返工率', 'Rework rate'],
    ['returnRate', '退单率', 'Return rate'], ['extensionRate', '延期率', 'Extension rate'], ['escalationRate', '上报率', 'Escalation rate'],
    ['proactiveShare', '主动发现率', 'Proactive share'], ['hotlineResponseRate', '响应率', 'Hotline response rate'],
    ['hotlineResolveRate', '解决率', 'Hotline resolve rate'], ['hotlineSatisfactionRate', '满意率', 'Hotline satisfaction'],
    ['averageHoursToClose', '平均结案时长(小时)', 'Average hours to close'],
    ['patrolCoverage', '巡查覆盖率', 'Patrol coverage']
  ];
  var TIERS = {
    city: ['市', 'City'], district: ['区县', 'District'], township: ['街道乡镇', 'Township'], community: ['社区村', 'Community']
  };
  // the names of the sources a report may name, as the nodes list them (GET …/sources); these until one has answered
  var SOURCES = {
    GRID_PATROL: ['网格巡查', 'Grid patrol'], INSPECTION: ['督查检查', 'Inspection'],
    HOTLINE_12345: ['12345热线', '12345 hotline'], CITIZEN_APP: ['市民App', 'Citizen app'],
    CITIZEN_COMPLAINT: ['群众来访', 'Complaint in person'], OPEN311: ['Open311应用', 'Open311 app'], OTHER: ['其他', 'Other']
  };
  var ORIGINS = { INTAKE: ['本级受理', 'Intake'], ESCALATION: ['下级上报', 'Escalation'], DISPATCH: ['上级派遣', 'Dispatch'] };
  // a unit's to-do (待办, GET …/todo): what its records wait on from its people, as Task names them on the nodes
  var TASKS = {
    ACCEPT: ['待受理', 'To accept'], SIGN: ['待签收', 'To sign for'], HANDLE: ['待处置', 'To handle'],
    VERIFY: ['待核查', 'To verify'], CLOSE: ['待结案', 'To close'], DECIDE: ['待审批', 'To decide']
  };
  var REFRESH_MS = 5000;
  var BASE_TITLE = document.title;
  var CASE_REFRESH_MS = 1500;
  var CASE_ARRIVAL_TRIES = 40; // a minute of looking: long enough for a node to come back
  var SESSION_KEY = 'gridlink.session';
  var LOGIN_KEY = 'gridlink.login';

  var view = document.getElementById('view');
  var refreshTimer = null;
  // Each route() draws a new page. An answer asked for by an earlier page and come after it (a refresh in flight when
  // the person moved on) is not drawn on the new one, nor a read's error shown there: see onThisPage. A write's
  // failure is shown wherever the person is, so that they know it was not taken.
  var pageGeneration = 0;
  var unitCache = {};
  var platform = null;
  var renderedCase = null;
  var shownVersion = null; // the ETag of the record the case page shows: its actions are sent on that version (If-Match)
  var actionKeys = keyedRequests(); // an action sent again unchanged (its answer lost) is taken once
  var versions = new WeakMap(); // an answer's ETag, by the object read from its body
  var caseFormTouched = false; // the person has typed or chosen something on the case page since it was drawn

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

  /** Appends each child after the node: elements, text (always as text, never as markup), arrays of them. */
  function append(node) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) { continue; }
      if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); continue; }
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
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
  ['input', 'change'].forEach(function (type) {
    view.addEventListener(type, function () { caseFormTouched = true; });
  });

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

  /**
   * One Idempotency-Key per request a form sends: the same request sent again (after a timeout or a 503, when the first
   * may have been applied after all) keeps its key, so the node answers what the first made instead of making a second;
   * another request, or the same one after its answer came (done), gets a new key. What is "the same" is given as up to
   * two values compared as they are (a JSON text; a File and a stage).
   */
  function keyedRequests() {
    var kept = null;
    return {
      headers: function (what, and) {
        if (!kept || kept.what !== what || kept.and !== and) {
          kept = { what: what, and: and, key: randomText(16) };
        }
        return { headers: { 'Idempotency-Key': kept.key } };
      },
      done: function () { kept = null; }
    };
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

  /** The signed-in person's token claims (PersonClaims): unit, roles, contracts, assignments, grids. */
  function claims() {
    var s = session();
    return s ? s.claims : {};
  }

  function hasRole(role) {
    return (claims().roles || []).indexOf(role) >= 0;
  }

  /** A resident and nothing else (Person.isCitizenOnly): they read the cases they reported, no unit's queue. */
  function citizenOnly() {
    var roles = claims().roles || [];
    return roles.length > 0 && roles.every(function (role) { return role === 'CITIZEN'; });
  }

  /**
   * Whether the signed-in staff may read the unit's queue (Jurisdiction.mayRead): it is their unit or below it, or below
   * a unit they answer for (分包) or are assigned to. A resident reads no unit's queue, only their own reports.
   */
  function mayReadUnit(code) {
    if (citizenOnly()) { return false; }
    var me = claims();
    var within = function (top) { return !!top && (top === code || ancestorCodes(code).indexOf(top) >= 0); };
    return within(me.unit) || (me.contracts || []).some(within) || (me.assignments || []).some(within);
  }

  document.getElementById('login').addEventListener('click', login);
  document.getElementById('logout').addEventListener('click', logout);

  // ---------- the API ----------

  function ApiError(problem, status) {
    this.problem = problem;
    this.status = status;
  }

  /**
   * Calls the gateway; any problem is shown in the banner and rejects the promise with an ApiError. A FormData body
   * goes as multipart; {blob: true} answers {blob, fileName} instead of JSON (CSV exports, evidence files); {headers}
   * are sent besides the usual ones; {quiet: true} rejects without the banner (a look the reader may not be allowed).
   */
  function api(method, path, body, options) {
    var asBlob = options && options.blob;
    var headers = { 'Accept': asBlob ? '*/*' : 'application/json, application/problem+json' };
    var signedIn = session();
    if (signedIn) { headers['Authorization'] = 'Bearer ' + signedIn.token; }
    if (options && options.headers) { Object.assign(headers, options.headers); }
    var init = { method: method, headers: headers };
    if (body instanceof FormData) {
      init.body = body; // the browser writes the multipart boundary into Content-Type
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    var asked = onThisPage();
    return fetch(path, init).then(function (response) {
      if (asBlob && response.ok) {
        return response.blob().then(function (blob) {
          var disposition = response.headers.get('Content-Disposition') || '';
          var named = disposition.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
          return { blob: blob, fileName: named ? decodeURIComponent(named[1]) : null };
        });
      }
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (response.status === 401) {
          sessionStorage.removeItem(SESSION_KEY);
          showUser();
        }
        if (data && typeof data === 'object' && response.headers.get('ETag')) {
          versions.set(data, response.headers.get('ETag'));
        }
        if (!response.ok) {
          var problem = data && typeof data === 'object' ? data
            : { title: response.status + ' ' + (response.statusText || 'Error'), detail: text.substring(0, 300) };
          if (!(options && options.quiet) && (method !== 'GET' || asked())) {
            showError(problem, response.status, method + ' ' + path);
          }
          throw new ApiError(problem, response.status);
        }
        return data;
      });
    }, function (failure) {
      var problem = { title: '网络错误 Network error', detail: String(failure && failure.message || failure) };
      if (!(options && options.quiet) && (method !== 'GET' || asked())) { showError(problem, null, method + ' ' + path); }
      throw new ApiError(problem);
    });
  }

  /** Errors are already in the banner; this only keeps them from surfacing as unhandled rejections. */
  function shown(failure) {
    if (!(failure instanceof ApiError)) {
      showError({ title: '控制台错误 Console error', detail: String(failure && failure.message || failure) });
    }
  }

  /** Fetches a file with the person's token and hands it to the browser as a download (a plain link carries no token). */
  function download(path, fallbackName) {
    return api('GET', path, undefined, { blob: true }).then(function (file) {
      var url = URL.createObjectURL(file.blob);
      var link = el('a', { href: url, download: file.fileName || fallbackName, hidden: true });
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 1000);
      return file;
    });
  }

  /** A datetime-local input's value (the person's local time) as an ISO instant, or null when empty. */
  function instantOf(input) {
    if (!input.value) { return null; }
    var date = new Date(input.value);
    return isNaN(date.getTime()) ? null : date.toISOString();
  }

  function dateTimeInput(attrs) {
    return el('input', Object.assign({ type: 'datetime-local' }, attrs));
  }

  /** "3 min 5 s", "2 h 10 min", "4 d 2 h": an age in seconds as a person reads it. */
  function age(seconds) {
    if (seconds === null || seconds === undefined) { return ''; }
    var s = Math.max(0, Math.round(seconds));
    if (s < 60) { return s + ' s'; }
    if (s < 3600) { return Math.floor(s / 60) + ' min ' + (s % 60) + ' s'; }
    if (s < 86400) { return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min'; }
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }

  function percent(value) {
    return value === null || value === undefined ? '—' : (Math.round(value * 1000) / 10) + '%';
  }

  /** Loads a unit's list once per page view (categories, return reasons, roster) and shares it between re-renders. */
  var lookups = {};
  function lookup(code, what) {
    var key = code + '/' + what;
    if (!lookups[key]) {
      lookups[key] = api('GET', unitPath(code) + '/' + what).catch(function (failure) {
        delete lookups[key];
        throw failure;
      });
    }
    return lookups[key];
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

  /**
   * Whether the page being drawn now is still the one shown: call it when an answer comes. An answer for a page left
   * behind would otherwise clear the new page's error banner or draw the old record under the new address.
   */
  function onThisPage() {
    var generation = pageGeneration;
    return function () { return generation === pageGeneration; };
  }

  function route() {
    pageGeneration++;
    stopRefresh();
    document.title = BASE_TITLE;
    clearError();
    lookups = {};
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
    } else if ((match = hash.match(/^\/units\/([^/]+)\/(report|overdue|roster|stats|patrols|notices|calendar|dead-letters)$/))) {
      showUnit(decodeURIComponent(match[1]), match[2]);
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

  var UNIT_TABS = [['cases', '案件', 'Cases'], ['overdue', '超期督办', 'Overdue & supervision'],
    ['roster', '责任清单', 'Roster'], ['stats', '统计考核', 'Stats & assessment']];
  /** A community's grid workers patrol its cells (巡查): its own tab. */
  var PATROL_TAB = ['patrols', '巡查', 'Patrols'];
  /** Notices (通知): issued down to the units below, signed for (签收) by each. */
  var NOTICE_TAB = ['notices', '通知', 'Notices'];
  /** The working calendar the time limits run on (工作日历), which the city's administrator publishes a year of. */
  var CALENDAR_TAB = ['calendar', '工作日历', 'Working calendar'];

  /**
   * A unit's to-do in short, in {@code into}: how many of its records wait on its people, how many are overdue, and how
   * many a leader's instruction waits on (批示待落实).
   */
  function childTodo(code, into) {
    api('GET', unitPath(code) + '/todo', undefined, { quiet: true }).then(function (todo) {
      var waiting = 0;
      var atLeast = false;
      (todo.tasks || []).forEach(function (t) { waiting += t.count; atLeast = atLeast || t.atLeast; });
      var overdue = todo.overdue || { count: 0 };
      var instructed = todo.instructed || { count: 0 };
      into.setAttribute('data-waiting', String(waiting));
      into.setAttribute('data-overdue', String(overdue.count));
      into.setAttribute('data-instructed', String(instructed.count));
      append(into, el('a', { href: '#/units/' + code, title: (todo.tasks || []).map(function (t) {
        return t.name + ' ' + t.count + (t.atLeast ? '+' : '');
      }).join(' · ') }, '待办 ', el('b', { text: waiting + (atLeast ? '+' : '') })),
        overdue.count ? el('span', { class: 'overdue' }, ' 超期 ', el('b', { text: overdue.count + (overdue.atLeast ? '+' : '') }))
          : null,
        instructed.count ? el('span', { class: 'instructed-mark' }, ' 批示待落实 ',
          el('b', { text: instructed.count + (instructed.atLeast ? '+' : '') })) : null);
    }).catch(function () { into.remove(); }); // not this reader's to read (a grid worker on their township's page)
  }

  function showUnit(code, focus) {
    render(el('p', { class: 'muted' }, '加载中… ', el('small', { text: 'Loading…' })));
    // the categories come with the unit, so the report form is complete as soon as it shows
    var categories = api('GET', unitPath(code) + '/categories').catch(function (failure) { shown(failure); return []; });
    // and the sources a report may name, as the node's figures count them
    var sources = lookup(code, 'sources').catch(function (failure) { shown(failure); return null; });
    // the platform too: the city's code (the calendar's unit) is in it
    var showing = onThisPage();
    Promise.all([loadUnit(code), categories, sources, loadPlatform()]).then(function (loaded) {
      if (!showing()) { return; } // the person moved on: this unit's page is no longer the one shown
      var unit = loaded[0];
      unit.categories = loaded[1] || [];
      unit.sources = loaded[2];
      (unit.sources || []).forEach(function (s) { SOURCES[s.code] = [s.name, s.nameEn]; });
      var children = el('ul', { id: 'children', 'data-testid': 'children', class: 'plain' });
      (unit.children || []).forEach(function (child) {
        var todo = el('span', { class: 'child-todo', 'data-testid': 'child-todo' });
        append(children, el('li', { 'data-testid': 'child', 'data-code': child.code },
          unitLink(child.code, child.name), ' ', el('span', { class: 'code', text: child.code }), ' ',
          el('span', { class: 'tier', text: (TIERS[child.tier] || [child.tier])[0] }), todo));
        // what waits at each unit below (待办, 超期), for whoever may read its queue; nothing shown to anyone else
        if (mayReadUnit(child.code)) { childTodo(child.code, todo); } else { todo.remove(); }
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
      var tabs = el('nav', { class: 'tabs', 'data-testid': 'unit-tabs' });
      // an administrator also sees what the node set aside for the unit (死信): the API lets no one else
      // a citizen has their own reports and the report form: the other tabs are the staff's; a unit above the
      // reader's (their township, seen from a community) is shown without its records, which are not theirs to read
      var outside = !citizenOnly() && !mayReadUnit(unit.code);
      (outside ? [] : citizenOnly() ? UNIT_TABS.slice(0, 1)
        : UNIT_TABS.concat(tierKey === 'community' ? [PATROL_TAB] : []).concat([NOTICE_TAB, CALENDAR_TAB]))
        .concat(hasRole('ADMIN') ? [['dead-letters', '死信', 'Dead letters']] : []).forEach(function (tab) {
        var current = tab[0] === focus || (tab[0] === 'cases' && focus === 'report');
        append(tabs, el('a', { href: '#/units/' + unit.code + (tab[0] === 'cases' ? '' : '/' + tab[0]),
          'data-testid': 'tab-' + tab[0], class: current ? 'current' : null }, label([tab[1], tab[2]])));
      });
      render(
        breadcrumbs(unit.code, unit.name),
        el('h1', {}, el('span', { id: 'unit-name', 'data-testid': 'unit-name', text: unit.name }), ' ',
          el('small', { text: unit.nameEn || '' }), ' ',
          el('span', { id: 'unit-code', 'data-testid': 'unit-code', class: 'code', text: unit.code }), ' ',
          el('span', { id: 'unit-tier', 'data-testid': 'unit-tier', class: 'tier' }, label(TIERS[tierKey], unit.tier))),
        unit.parent ? el('p', {}, '上级 ', el('small', { text: 'Parent' }), ' ',
          unitLink(unit.parent.code, unit.parent.name), ' ', el('span', { class: 'code', text: unit.parent.code })) : null,
        citizenOnly() ? null : calendarNotice(unit.calendar),
        tabs,
        // the queue keeps the unit tree beside it; the wide tables of the other tabs take the whole width
        focus === 'cases' || focus === 'report' ? el('div', { class: 'grid' },
          el('aside', {},
            el('div', { class: 'panel' }, heading('h2', '下级单位', 'Subordinate units'), children),
            cells ? el('div', { class: 'panel' }, heading('h2', '网格', 'Grid cells'), cells) : null),
          content) : content);
      if (outside) {
        append(content, el('div', { class: 'panel', 'data-testid': 'outside-jurisdiction' },
          el('p', { class: 'muted' }, '该单位的案件不在您的辖区内，可查看其下级单位。 ',
            el('small', { text: 'The cases of this unit are outside your jurisdiction; its units below are listed.' }))));
      } else if (focus === 'overdue') {
        overduePanel(unit, content);
      } else if (focus === 'roster') {
        rosterPanel(unit, content);
      } else if (focus === 'stats') {
        statsPanel(unit, content);
      } else if (focus === 'dead-letters') {
        deadLettersPanel(unit, content);
      } else if (focus === 'patrols') {
        patrolsPanel(unit, content);
      } else if (focus === 'notices') {
        noticesPanel(unit, content);
      } else if (focus === 'calendar') {
        calendarPanel(unit, content);
      } else {
        caseQueue(unit, content);
        reportForm(unit, content);
        if (focus === 'report') { document.getElementById('report-form').scrollIntoView(); }
      }
    }).catch(function (failure) {
      if (!showing()) { return; }
      render(el('p', { class: 'muted' }, '无法显示该单位 ', el('small', { text: 'The unit cannot be shown' })));
      shown(failure);
    });
  }

  /**
   * The working calendar ends soon (CalendarCoverage): past it every day but the weekend counts as a working day in
   * the time limits, so the staff are told, and told what the city must add.
   */
  function calendarNotice(calendar) {
    if (!calendar || !calendar.warning) { return null; }
    var zh = calendar.coveredUntil
      ? '工作日历的法定节假日只到 ' + calendar.coveredUntil + '（还剩 ' + calendar.daysLeft + ' 天）：自 '
        + calendar.nextYear + '-01-01 起，时限计算中除周末外每天都按工作日计。'
      : '工作日历没有 ' + calendar.nextYear + ' 年的法定节假日：时限计算中除周末外每天都按工作日计。';
    return el('div', { class: 'notice', role: 'status', 'data-testid': 'calendar-notice' },
      zh + '请市级管理员在', el('a', { href: '#/units/' + platform.cityCode + '/calendar', 'data-testid': 'calendar-notice-link',
        text: '工作日历' }), '中发布国务院办公厅 ' + calendar.nextYear + ' 年部分节假日安排的通知。',
      el('small', { text: calendar.warning }));
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
    // a community's grid cells (the signed-in grid worker's own marked), the records whose clock ran out, and a
    // department officer's own records: narrowings the API combines with the two above
    var gridSelect = null;
    if ((unit.gridCells || []).length) {
      var mine = claims().grids || [];
      gridSelect = el('select', { id: 'grid-filter', 'data-testid': 'grid-filter', name: 'grid' },
        el('option', { value: '', text: '全部网格 All grid cells' }));
      unit.gridCells.forEach(function (cell) {
        append(gridSelect, el('option', { value: cell.code,
          text: cell.name + ' ' + cell.code + (mine.indexOf(cell.code) >= 0 ? ' · 我的 mine' : '') }));
      });
    }
    var overdueBox = el('input', { type: 'checkbox', id: 'overdue-filter', 'data-testid': 'overdue-filter', name: 'overdue' });
    // a citizen's list is their own reports (我的上报) and the cases their reports were merged into
    var ownReports = citizenOnly();
    if (ownReports) { gridSelect = null; }
    // the unit's to-do (待办): a task narrows the queue to the records that wait on it; the strip above the queue
    // counts each task's records as narrowed by category, grid cell and officer, and a click on one lists them
    var taskSelect = null;
    var todoStrip = null;
    var supervisedBox = null;
    var instructedBox = null;
    if (!ownReports) {
      supervisedBox = el('input', { type: 'checkbox', id: 'supervised-filter', 'data-testid': 'supervised-filter',
        name: 'supervised' });
      instructedBox = el('input', { type: 'checkbox', id: 'instructed-filter', 'data-testid': 'instructed-filter',
        name: 'instructed' });
      taskSelect = el('select', { id: 'task-filter', 'data-testid': 'task-filter', name: 'task' },
        el('option', { value: '', text: '全部 All' }));
      Object.keys(TASKS).forEach(function (task) {
        append(taskSelect, el('option', { value: task, text: TASKS[task][0] + ' ' + TASKS[task][1] }));
      });
      todoStrip = el('div', { class: 'todo', 'data-testid': 'todo' });
    }
    var mineBox = hasRole('DEPARTMENT_OFFICER')
      ? el('input', { type: 'checkbox', id: 'mine-filter', 'data-testid': 'mine-filter', name: 'assignee' })
      : null;
    // the days the cases were reported (a month's ledger): the queue then lists the newest report first
    var reportedFrom = el('input', { type: 'date', id: 'reported-from', 'data-testid': 'reported-from', name: 'reportedFrom' });
    var reportedTo = el('input', { type: 'date', id: 'reported-to', 'data-testid': 'reported-to', name: 'reportedTo' });
    // a search (检索): the records each word is found in (title, description, address), or a case id's beginning
    var searchBox = el('input', { type: 'search', id: 'case-search', 'data-testid': 'case-search', name: 'q',
      maxlength: '100', placeholder: '标题、描述、地址或编号 Words, an address, a case id', size: '28' });

    var body = el('tbody');
    var table = el('table', { id: 'case-list', 'data-testid': 'case-list' },
      el('thead', {}, el('tr', {},
        el('th', {}, '标题 ', el('small', { text: 'Title' })),
        el('th', {}, '状态 ', el('small', { text: 'Status' })),
        el('th', {}, '类别 ', el('small', { text: 'Category' })),
        el('th', {}, '时限 ', el('small', { text: 'Deadline' })),
        el('th', {}, '上报时间 ', el('small', { text: 'Reported' })),
        el('th', {}, '更新时间 ', el('small', { text: 'Updated' })))),
      body);
    var firstButton = el('button', { type: 'button', id: 'first-page', 'data-testid': 'first-page', class: 'secondary' },
      '第一页 First page');
    var nextButton = el('button', { type: 'button', id: 'next-page', 'data-testid': 'next-page', class: 'secondary', disabled: true },
      '下一页 Next page');
    var updated = el('span', { id: 'case-list-updated', class: 'muted' });
    // the staff see where the listed cases are among the unit's grid cells
    var map = citizenOnly() ? null : gridMap(unit);
    unit.gridMap = map; // the report form takes a point picked on it

    /** The narrowings chosen now, as the queue and its export take them. */
    function narrowed() {
      var query = new URLSearchParams();
      query.set('status', statusSelect.value);
      query.set('category', categorySelect.value);
      if (gridSelect && gridSelect.value) { query.set('grid', gridSelect.value); }
      if (overdueBox.checked) { query.set('overdue', 'true'); }
      if (mineBox && mineBox.checked) { query.set('assignee', 'me'); }
      if (reportedFrom.value) { query.set('reportedFrom', reportedFrom.value); }
      if (reportedTo.value) { query.set('reportedTo', reportedTo.value); }
      if (ownReports) { query.set('reporter', 'me'); }
      if (taskSelect && taskSelect.value) { query.set('task', taskSelect.value); }
      if (supervisedBox && supervisedBox.checked) { query.set('supervised', 'true'); }
      if (instructedBox && instructedBox.checked) { query.set('instructed', 'true'); }
      if (searchBox.value.trim()) { query.set('q', searchBox.value.trim()); }
      return query;
    }

    // what the strip counted when the reader last looked (its first load, or a click on a task): a task whose count
    // has grown since is marked new (新), and the page's title says how much waits, so a tab in the background tells
    var baseline = { key: null, counts: {} };

    /** The to-do of the records the category, grid cell and officer chosen let through, drawn in the strip. */
    function loadTodo() {
      if (!todoStrip) { return Promise.resolve(); }
      var query = new URLSearchParams();
      if (categorySelect.value) { query.set('category', categorySelect.value); }
      if (gridSelect && gridSelect.value) { query.set('grid', gridSelect.value); }
      if (mineBox && mineBox.checked) { query.set('assignee', 'me'); }
      var key = query.toString();
      return api('GET', unitPath(unit.code) + '/todo?' + key).then(function (todo) {
        if (baseline.key !== key) {
          baseline = { key: key, counts: {} };
          (todo.tasks || []).forEach(function (t) { baseline.counts[t.task] = t.count; });
        }
        var waiting = 0;
        (todo.tasks || []).forEach(function (t) { waiting += t.count; });
        document.title = (waiting ? '(' + waiting + ') ' : '') + BASE_TITLE;
        // drawn again only when something it shows changed (a refresh every few seconds would otherwise redraw it)
        var shows = JSON.stringify([key, todo.tasks, todo.overdue, todo.supervised, todo.instructed, todo.other,
          taskSelect.value, overdueBox.checked, supervisedBox.checked, instructedBox.checked, baseline.counts]);
        if (shows === todoStrip.getAttribute('data-shows')) { return; }
        todoStrip.setAttribute('data-shows', shows);
        todoStrip.setAttribute('data-query', key);
        todoStrip.textContent = '';
        append(todoStrip, el('strong', {}, '待办 ', el('small', { text: 'To do' })));
        function counted(count, atLeast) { return String(count) + (atLeast ? '+' : ''); }
        (todo.tasks || []).forEach(function (t) {
          var current = taskSelect.value === t.task && !overdueBox.checked;
          var grown = t.count > (baseline.counts[t.task] || 0);
          append(todoStrip, el('button', { type: 'button', 'data-testid': 'todo-' + t.task, 'data-count': String(t.count),
            class: 'secondary' + (t.count ? ' waiting' : '') + (current ? ' current' : '') + (grown ? ' new' : ''),
            onclick: function () {
              baseline.counts[t.task] = t.count; // seen
              taskSelect.value = current ? '' : t.task; overdueBox.checked = false; restart();
            } },
            label(TASKS[t.task] || [t.name, t.nameEn]), ' ', el('b', { text: counted(t.count, t.atLeast) }),
            grown ? el('sup', { 'data-testid': 'todo-new', text: ' 新 +' + (t.count - (baseline.counts[t.task] || 0)) }) : null));
        });
        var overdue = todo.overdue || { count: 0 };
        append(todoStrip, el('button', { type: 'button', 'data-testid': 'todo-OVERDUE', 'data-count': String(overdue.count),
          class: 'secondary' + (overdue.count ? ' late' : '') + (overdueBox.checked && !taskSelect.value ? ' current' : ''),
          onclick: function () { overdueBox.checked = !(overdueBox.checked && !taskSelect.value); taskSelect.value = ''; restart(); } },
          label(['已超期', 'Overdue']), ' ', el('b', { text: counted(overdue.count, overdue.atLeast) })));
        /** A count the queue narrows to by a tick box of its own, combined with the task chosen; a click ticks it. */
        function narrowing(testId, count, box, name) {
          var n = count || { count: 0 };
          append(todoStrip, el('button', { type: 'button', 'data-testid': testId, 'data-count': String(n.count),
            class: 'secondary' + (n.count ? ' late' : '') + (box.checked ? ' current' : ''),
            onclick: function () { box.checked = !box.checked; restart(); } },
            label(name), ' ', el('b', { text: counted(n.count, n.atLeast) })));
        }
        // the supervised records that wait here (督办件), and those a leader's instruction waits on (领导批示 待落实)
        narrowing('todo-SUPERVISED', todo.supervised, supervisedBox, ['被督办', 'Supervised']);
        narrowing('todo-INSTRUCTED', todo.instructed, instructedBox, ['领导批示', 'Instructed']);
        // what else waits, as the unit's tier knows it (a community: its cells not patrolled today, a grid worker's
        // patrol under way): a link to the tab that shows it
        (todo.other || []).forEach(function (o) {
          append(todoStrip, el('a', { href: '#/units/' + unit.code + (o.view ? '/' + o.view : ''),
            class: 'todo-other' + (o.count ? ' waiting' : ''), 'data-testid': 'todo-' + o.key, 'data-count': String(o.count) },
            label([o.name, o.nameEn]), ' ', el('b', { text: String(o.count) })));
        });
      });
    }

    // the ledger (台账) of what the queue shows, every page of it, as a spreadsheet
    var exportCsv = el('button', { type: 'button', 'data-testid': 'export-cases-csv', class: 'secondary' }, '导出 CSV');
    var exportXlsx = el('button', { type: 'button', 'data-testid': 'export-cases-xlsx', class: 'secondary' }, '导出 Excel');
    [['csv', exportCsv], ['xlsx', exportXlsx]].forEach(function (pair) {
      pair[1].addEventListener('click', function () {
        var query = narrowed();
        query.set('format', pair[0]);
        download(unitPath(unit.code) + '/cases/export?' + query.toString(), 'cases-' + unit.code + '.' + pair[0])
          .then(clearError).catch(shown);
      });
    });

    function load() {
      var query = narrowed();
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
            el('td', { 'data-testid': 'case-row-deadline' }, deadline(item.deadline, true)),
            el('td', { 'data-testid': 'case-row-reported', text: time(item.reportedAt || item.createdAt) }),
            el('td', { text: time(item.updatedAt) })));
        });
        if (!items.length) {
          append(body, el('tr', {}, el('td', { colspan: '6', class: 'muted' }, '暂无案件 ', el('small', { text: 'No cases' }))));
        }
        if (map) { map.show(items); }
        state.next = page && page.nextCursor;
        nextButton.disabled = !state.next;
        firstButton.disabled = !state.cursor;
        updated.textContent = '刷新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false });
      }).then(loadTodo);
    }

    function restart() {
      state.cursor = null;
      load().catch(shown);
    }

    [statusSelect, categorySelect, gridSelect, overdueBox, mineBox, reportedFrom, reportedTo, taskSelect, supervisedBox,
      instructedBox].forEach(function (control) {
      if (control) { control.addEventListener('change', restart); }
    });
    // the search runs on Enter, on leaving the box, and when its clear button empties it
    searchBox.addEventListener('change', restart);
    searchBox.addEventListener('search', function () { if (!searchBox.value) { restart(); } });
    firstButton.addEventListener('click', restart);
    nextButton.addEventListener('click', function () {
      if (!state.next) { return; }
      state.cursor = state.next;
      load().catch(shown);
    });

    append(container, el('div', { class: 'panel', 'data-testid': ownReports ? 'own-reports' : 'case-queue' },
      ownReports ? heading('h2', '我的上报', 'My reports') : heading('h2', '案件队列', 'Case queue'),
      todoStrip,
      el('div', { class: 'filters' },
        el('label', {}, label(['检索', 'Search']), searchBox),
        taskSelect ? el('label', {}, label(['待办', 'To do']), taskSelect) : null,
        el('label', {}, label(['状态', 'Status']), statusSelect),
        el('label', {}, label(['类别', 'Category']), categorySelect),
        gridSelect ? el('label', {}, label(['网格', 'Grid cell']), gridSelect) : null,
        el('label', { class: 'check' }, overdueBox, ' ', label(['只看超期', 'Overdue only'])),
        supervisedBox ? el('label', { class: 'check' }, supervisedBox, ' ', label(['只看督办', 'Supervised only'])) : null,
        instructedBox ? el('label', { class: 'check' }, instructedBox, ' ', label(['只看批示', 'Instructed only'])) : null,
        mineBox ? el('label', { class: 'check' }, mineBox, ' ', label(['我承办的', 'Assigned to me'])) : null,
        el('label', {}, label(['上报日期 从', 'Reported from']), reportedFrom),
        el('label', {}, label(['至', 'to']), reportedTo),
        firstButton, nextButton, ownReports ? null : exportCsv, ownReports ? null : exportXlsx, updated),
      table), map ? map.element : null);
    load().catch(shown);
    refreshTimer = setInterval(function () { load().catch(shown); }, REFRESH_MS);
  }

  // ---------- 2b. the grid map (网格地图): the unit's grid cells and where the listed cases are ----------

  var SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== null && attrs[key] !== undefined) { node.setAttribute(key, attrs[key]); }
    });
    return node;
  }

  /**
   * The outlines of the grid cells within the unit (GET …/grid-map, GeoJSON) drawn to scale, no map tiles needed; show()
   * puts the listed cases that carry coordinates on it, overdue ones marked, each a link to its case.
   */
  function gridMap(unit, caption) {
    var width = 560, height = 300, pad = 8;
    var picture = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'grid-map', role: 'img',
      'data-testid': 'grid-map', 'aria-label': '网格地图 Grid map' });
    var cellsLayer = svg('g', { class: 'cells' });
    var tracksLayer = svg('g', { class: 'tracks' });
    var casesLayer = svg('g', { class: 'cases' });
    var picked = svg('g', { class: 'picked', 'data-testid': 'grid-map-picked' });
    picture.appendChild(cellsLayer);
    picture.appendChild(tracksLayer);
    picture.appendChild(casesLayer);
    picture.appendChild(picked);
    var project = null, unproject = null, pending = [], pick = null, marked = [], pendingTracks = [];
    var panel = el('div', { class: 'panel', 'data-testid': 'grid-map-panel', hidden: true },
      heading('h2', '网格地图', 'Grid map'), picture,
      el('p', { class: 'muted' }, (caption || [])[0] || '本页列出且带坐标的案件；红色为超期。点击地图，上报表单即取该点的坐标。',
        ' ', el('small', { text: (caption || [])[1] || 'The listed cases with coordinates; red: overdue. A click on the map gives the report form its point.' })));

    function rings(geometry) {
      if (!geometry) { return []; }
      if (geometry.type === 'Polygon') { return geometry.coordinates; }
      if (geometry.type === 'MultiPolygon') { return [].concat.apply([], geometry.coordinates); }
      return [];
    }

    lookup(unit.code, 'grid-map').then(function (map) {
      var features = (map && map.features) || [];
      if (!features.length) { return; }
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      features.forEach(function (f) {
        rings(f.geometry).forEach(function (ring) {
          ring.forEach(function (p) {
            minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
          });
        });
      });
      // equirectangular, a degree of longitude shortened by the cosine of the latitude, north up
      var k = Math.cos((minY + maxY) / 2 * Math.PI / 180);
      var scale = Math.min((width - 2 * pad) / Math.max((maxX - minX) * k, 1e-9), (height - 2 * pad) / Math.max(maxY - minY, 1e-9));
      // centred in the picture
      var offX = (width - 2 * pad - (maxX - minX) * k * scale) / 2, offY = (height - 2 * pad - (maxY - minY) * scale) / 2;
      project = function (lon, lat) {
        return [pad + offX + (lon - minX) * k * scale, height - pad - offY - (lat - minY) * scale];
      };
      unproject = function (x, y) {
        return [minX + (x - pad - offX) / (k * scale), minY + (height - pad - offY - y) / scale];
      };
      var mine = claims().grids || [];
      features.forEach(function (f) {
        var d = rings(f.geometry).map(function (ring) {
          return ring.map(function (p, i) { var xy = project(p[0], p[1]); return (i ? 'L' : 'M') + xy[0].toFixed(1) + ' ' + xy[1].toFixed(1); }).join(' ') + ' Z';
        }).join(' ');
        var props = f.properties || {};
        var path = svg('path', { d: d, class: 'cell' + (mine.indexOf(props.code) >= 0 ? ' mine' : ''),
          'data-testid': 'grid-map-cell', 'data-code': props.code });
        var title = svg('title');
        title.textContent = (props.name || '') + ' ' + (props.code || '');
        path.appendChild(title);
        cellsLayer.appendChild(path);
        // the cell's number at the middle of its outline's box
        var outline = rings(f.geometry)[0] || [];
        if (outline.length && props.code) {
          var xs = outline.map(function (p) { return project(p[0], p[1])[0]; });
          var ys = outline.map(function (p) { return project(p[0], p[1])[1]; });
          var number = svg('text', { x: ((Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2).toFixed(1),
            y: ((Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2).toFixed(1), class: 'cell-label' });
          number.textContent = String(props.code).split('-').pop();
          cellsLayer.appendChild(number);
        }
      });
      panel.hidden = false;
      show(pending);
      mark(marked);
      tracks(pendingTracks);
    }).catch(function () { /* a unit without a map shows none; the queue stands on its own */ });

    /** Marks these cells (a patrol's day: the cells patrolled). */
    function mark(codes) {
      marked = codes || [];
      Array.prototype.forEach.call(cellsLayer.querySelectorAll('path.cell'), function (path) {
        path.classList.toggle('patrolled', marked.indexOf(path.getAttribute('data-code')) >= 0);
      });
    }

    /** Draws walks: each a line through its points ({lat, lon}) with a square at each; the chosen one stands out. */
    function tracks(list) {
      pendingTracks = list || [];
      if (!project) { return; }
      tracksLayer.textContent = '';
      pendingTracks.forEach(function (t) {
        var xy = (t.points || []).map(function (p) { return project(p.lon, p.lat); });
        var group = svg('g', { class: 'track' + (t.chosen ? ' chosen' : ''), 'data-testid': 'grid-map-track',
          'data-id': t.id });
        if (xy.length > 1) {
          group.appendChild(svg('polyline', { points: xy.map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1); }).join(' ') }));
        }
        xy.forEach(function (p) {
          group.appendChild(svg('rect', { x: (p[0] - 3).toFixed(1), y: (p[1] - 3).toFixed(1), width: 6, height: 6,
            'data-testid': 'grid-map-check-in' }));
        });
        tracksLayer.appendChild(group);
      });
    }

    function show(items) {
      pending = items || [];
      if (!project) { return; }
      casesLayer.textContent = '';
      // drawn so the open and the newest lie on top where cases share a spot: finished first, then oldest to newest
      var open = function (item) { return FINISHED.indexOf(item.status) < 0 ? 1 : 0; };
      pending.slice().reverse().sort(function (a, b) { return open(a) - open(b); }).forEach(function (item) {
        var at = item.location;
        if (!at || typeof at.lat !== 'number' || typeof at.lon !== 'number') { return; }
        var xy = project(at.lon, at.lat);
        var link = svg('a', { href: '#/units/' + unit.code + '/cases/' + encodeURIComponent(item.caseId),
          'data-testid': 'grid-map-case', 'data-case-id': item.caseId });
        var dot = svg('circle', { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 5,
          class: 'case' + (item.overdue ? ' overdue' : '') + (FINISHED.indexOf(item.status) >= 0 ? ' finished' : '') });
        var title = svg('title');
        title.textContent = (item.title || item.caseId) + ' · ' + ((STATUSES[item.status] || [item.status])[0]);
        dot.appendChild(title);
        link.appendChild(dot);
        casesLayer.appendChild(link);
      });
    }

    // a click on the map (not on a case) picks the point: the report form takes its coordinates
    picture.addEventListener('click', function (event) {
      if (!pick || !unproject || (event.target.closest && event.target.closest('a'))) { return; }
      var point = picture.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var at = point.matrixTransform(picture.getScreenCTM().inverse());
      var lonLat = unproject(at.x, at.y);
      picked.textContent = '';
      picked.appendChild(svg('path', { d: 'M' + (at.x - 6) + ' ' + at.y + ' H' + (at.x + 6) + ' M' + at.x + ' ' + (at.y - 6)
        + ' V' + (at.y + 6), class: 'pick' }));
      pick(Number(lonLat[1].toFixed(6)), Number(lonLat[0].toFixed(6)));
    });

    return {
      element: panel,
      show: show,
      mark: mark,
      tracks: tracks,
      /** Calls back with (lat, lon) where the map is clicked. */
      onPick: function (callback) { pick = callback; picture.classList.add('pickable'); }
    };
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
    // what each counts as in the figures: found proactively (主动发现) or a hotline complaint (热线)
    (unit.sources || Object.keys(SOURCES).map(function (key) { return { code: key, name: SOURCES[key][0], nameEn: SOURCES[key][1] }; }))
      .forEach(function (s) {
        var counts = s.proactive ? ' — 主动发现 proactive' : s.hotline ? ' — 热线 hotline' : '';
        append(source, el('option', { value: s.code, text: s.name + ' ' + s.nameEn + counts }));
      });
    if (citizenOnly()) { source.value = 'CITIZEN_APP'; } // a resident reports from the app, not on patrol
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
    // a point picked on the grid map is where the case is: the node places it in the cell that holds it
    if (unit.gridMap) {
      unit.gridMap.onPick(function (lat, lon) {
        inputs.lat.value = String(lat);
        inputs.lon.value = String(lon);
        if (grid) { grid.value = ''; }
      });
    }
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

    var reports = keyedRequests(); // a report sent again unchanged answers the record the first made

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
      api('POST', unitPath(unit.code) + '/cases', report, reports.headers(JSON.stringify(report))).then(function (created) {
        reports.done();
        clearError();
        location.hash = '#/units/' + unit.code + '/cases/' + encodeURIComponent(created.caseId);
      }).catch(shown).then(function () { submit.disabled = false; });
    });
    append(container, form);
  }

  var CLOCKS = { ACCEPTANCE: ['签收时限', 'Accept by'], HANDLING: ['处置时限', 'Handle by'],
    VERIFICATION: ['核查时限', 'Verify by'] };
  var WARNINGS = {
    NONE: null, HALF: ['已用过半', 'half the time used'], THREE_QUARTERS: ['即将超期', '75% used'], OVERDUE: ['已超期', 'overdue']
  };

  /**
   * "Handle by 12/1 17:30 · 3h 15m left (working time) · 75% used": the clock running on the record, if any;
   * compact (a queue's row) without the working-time note.
   */
  function deadline(d, compact) {
    if (!d) { return null; }
    var left = String(d.timeLeft || '').replace(/^-?PT/, '').replace('H', 'h ').replace('M', 'm ').replace(/\.\d+S|S/, 's').trim();
    var warning = WARNINGS[d.warning];
    return el('span', { class: 'deadline warning-' + String(d.warning).toLowerCase(), 'data-warning': d.warning },
      label(CLOCKS[d.clock], d.clock), ' ', time(d.dueAt), ' · ',
      d.overdue ? '超期 ' + left : '剩余 ' + left,
      d.workingTime && !compact ? el('small', { text: ' (工作时间 working time)' }) : null,
      warning ? [' · ', el('strong', {}, label(warning))] : null);
  }

  // ---------- 4. the case page ----------

  /** A record as the page shows it, less the time left on its clock, which moves every second. */
  function signature(record) {
    return JSON.stringify(record, function (key, value) {
      return key === 'timeLeft' || key === 'elapsed' ? undefined : value;
    });
  }

  /** A failure that may pass by itself: the case has not arrived yet, the node is busy or away, the network failed. */
  function worthAnotherLook(failure) {
    if (!(failure instanceof ApiError)) { return false; }
    return failure.status === undefined || failure.status === null
      || [404, 429, 502, 503, 504].indexOf(failure.status) >= 0;
  }

  function showCase(code, caseId) {
    render(el('p', { class: 'muted' }, '加载中… ', el('small', { text: 'Loading…' })));
    var casePath = unitPath(code) + '/cases/' + encodeURIComponent(caseId);
    renderedCase = null;
    shownVersion = null;
    var misses = 0;
    var showing = onThisPage();
    // A case just escalated or dispatched reaches the next tier a moment later: a case page that is not there
    // yet keeps looking for a while, and a case page that is there follows the record as it changes. A node that
    // is down or coming back (the gateway answers 502, 503 or 504) or a network that failed is looked at again
    // the same way; a refusal (400, 401, 403) is final.
    function load() {
      return api('GET', casePath).then(function (record) {
        if (!showing()) { return; } // a refresh answered after the person moved on (CI saw it wipe the next page)
        var json = signature(record);
        var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)
          && document.activeElement.value;
        if (json === renderedCase) {
          // only the running clock moved: the time left is redrawn in place, nothing the person fills in is touched
          var cell = document.getElementById('case-deadline');
          if (cell && record.deadline) { cell.textContent = ''; append(cell, deadline(record.deadline)); }
          return;
        }
        if (renderedCase !== null && (typing || caseFormTouched)) {
          // never wipe what the person is filling in: say that the record changed and let them choose when to see it
          var notice = document.getElementById('case-changed');
          if (notice && notice.hidden) {
            notice.textContent = '';
            append(notice, '该案件已有新变化。 ', el('small', { text: 'The record has changed since it was shown.' }), ' ',
              el('button', { type: 'button', class: 'secondary', 'data-testid': 'case-show-latest',
                onclick: function () { load(); caseFormTouched = false; } }, '显示最新 ', el('small', { text: 'Show latest' })));
            notice.hidden = false;
          }
          return;
        }
        if (renderedCase === null) { clearError(); }
        renderCase(code, casePath, record);
      }, function (failure) {
        if (!showing()) { return; }
        if (renderedCase === null) {
          render(breadcrumbs(code, caseId),
            el('p', { class: 'muted' }, '无法显示该案件 ', el('small', { text: 'The case cannot be shown' })));
          if (!worthAnotherLook(failure) || ++misses > CASE_ARRIVAL_TRIES) {
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
    renderedCase = signature(record); // what the page shows: the refresh re-renders only on a change
    shownVersion = versions.get(record) || null;
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
      // the leader's instruction that waits on the unit's people (领导批示 待落实) is marked where it was written
      var waiting = record.instruction && record.instruction.entryId === entry.id;
      append(timelineBody, el('tr', { 'data-testid': 'timeline-entry', class: waiting ? 'instructed' : null },
        el('td', { text: time(entry.at) }),
        el('td', { class: 'code', text: entry.unitCode || '' }),
        el('td', { text: entry.actor || '' }),
        el('td', {}, label(ACTIONS[entry.action], entry.action),
          waiting ? el('span', { class: 'instructed-mark', 'data-testid': 'timeline-instructed' }, ' 批示待落实') : null),
        // an entry that left the status as it was (a note, a request, a new category) shows it once
        el('td', {}, entry.fromStatus && entry.fromStatus === entry.toStatus ? label(STATUSES[entry.toStatus], entry.toStatus)
          : [entry.fromStatus ? label(STATUSES[entry.fromStatus], entry.fromStatus) : '—', ' → ',
            entry.toStatus ? label(STATUSES[entry.toStatus], entry.toStatus) : '—']),
        el('td', { text: entry.note || '' })));
    });

    var allowed = record.allowedActions || [];
    var note = el('textarea', { id: 'action-note', 'data-testid': 'action-note', name: 'note', rows: '2',
      placeholder: '办理说明；不予受理、处置完成、返工、退回、驳回、撤回、改派、留言（阶段反馈、批示、催办）及各类申请时必填 — required to reject, resolve, rework, return, overrule, recall, reassign, comment or ask' });
    var buttons = el('div', { id: 'actions', 'data-testid': 'actions', class: 'actions' });
    var forms = el('div', { id: 'action-forms', 'data-testid': 'action-forms', class: 'action-forms' });
    allowed.forEach(function (action) {
      var form = ACTIONS_WITH_FORMS.indexOf(action) >= 0 ? actionForm(code, record, action) : null;
      var button = el('button', { type: 'button', id: 'action-' + action, 'data-testid': 'action-' + action, 'data-action': action },
        label(ACTIONS[action], action));
      button.addEventListener('click', function () {
        perform(code, casePath, action, note, form ? form.values : null, button);
      });
      if (form && form.fields.length) {
        append(forms, el('div', { class: 'action-form', 'data-testid': 'form-' + action }, form.fields, button));
      } else {
        append(buttons, button);
      }
    });
    var actionArea = null;
    if (allowed.length) {
      actionArea = el('div', { id: 'action-area', class: 'stack' },
        el('label', { class: 'wide' }, label(['说明', 'Note']), note));
    } else {
      append(buttons, el('span', { class: 'muted' }, '本级无可执行操作 ', el('small', { text: 'No actions at this unit' })));
    }
    var counts = record.counts || {};
    var proposal = record.proposedDispatch;

    render(
      breadcrumbs(code, record.title || record.caseId),
      el('h1', {}, el('span', { id: 'case-title', 'data-testid': 'case-title', text: record.title || '' }), ' ',
        el('span', { id: 'case-id', 'data-testid': 'case-id', class: 'code', text: record.caseId })),
      el('div', { id: 'case-changed', 'data-testid': 'case-changed', class: 'notice', hidden: true }),
      el('div', { class: 'panel' },
        el('p', {}, '状态 ', el('small', { text: 'Status' }), ' ',
          el('span', { id: 'case-status', 'data-testid': 'case-status', class: 'status code', text: record.status }), ' ',
          el('span', { id: 'status-badge', 'data-testid': 'status-badge', class: 'status' }, label(STATUSES[record.status], record.status)),
          record.assignee ? [' · 承办专员 ', el('small', { text: 'Assignee' }), ' ',
            el('strong', { class: 'code', 'data-testid': 'case-assignee-badge', text: record.assignee })] : null,
          record.overdue ? el('span', { class: 'overdue' }, ' 超期 ', el('small', { text: 'overdue' })) : null),
        pendingBox(record.pending),
        instructionBox(record.instruction),
        heading('h2', '操作', 'Actions'), actionArea, buttons, forms),
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
          row('承办专员', 'Assignee', record.assignee, 'case-assignee'),
          row('挂账至', 'Parked until', record.parkedUntil ? time(record.parkedUntil) : null, 'case-parked-until'),
          row('建议派遣', 'Proposed dispatch', proposal && (proposal.department || (proposal.officers || []).length)
            ? [el('span', { class: 'code', text: proposal.department || '' }), ' ',
              (proposal.officers || []).length ? people(proposal.officers)
                : el('small', { text: (proposal.away || []).length ? '无在岗专员 no officer at work' : '无专员 no officer serves the unit' }),
              (proposal.away || []).length ? el('span', { class: 'muted', 'data-testid': 'case-proposed-away' },
                ' · 离岗 ', el('small', { text: 'away' }), ' ' + people(proposal.away)) : null]
            : null, 'case-proposed-dispatch'),
          row('计数', 'Counts', el('span', {},
            '流转次数 ', el('small', { text: 'bounces' }), ' ', el('strong', { text: String(counts.bounces || 0) }), ' · ',
            '延期 ', el('small', { text: 'extensions' }), ' ', el('strong', { text: String(counts.extensions || 0) }), ' · ',
            '改类 ', el('small', { text: 'recategorisations' }), ' ', el('strong', { text: String(counts.recategorisations || 0) }), ' · ',
            '督办 ', el('small', { text: 'supervisions' }), ' ', el('strong', { text: String(counts.supervisions || 0) }),
            counts.leaderSupervised ? el('strong', { class: 'badge' }, ' 领导督办 ', el('small', { text: 'leader-supervised' })) : null),
            'case-counts'),
          row('来由', 'Origin', record.origin ? label(ORIGINS[record.origin], record.origin) : null, 'case-origin'),
          row('上报自', 'Escalated from', unitRef(record.escalatedFrom), 'case-escalated-from'),
          row('上报至', 'Escalated to', unitRef(record.escalatedTo), 'case-escalated-to'),
          row('派遣自', 'Dispatched by', unitRef(record.dispatchedBy), 'case-dispatched-by'),
          row('派遣至', 'Dispatched to', unitRef(record.dispatchedTo), 'case-dispatched-to'),
          row('流转链', 'Chain', chain),
          row('处置结果', 'Resolution', record.resolution, 'case-resolution'),
          row('上报时间', 'Created', time(record.createdAt), 'case-created'),
          row('更新时间', 'Updated', time(record.updatedAt), 'case-updated'))),
      caseMap(code, record),
      // a finished record (CaseStatus.isTerminal) takes no more evidence, though its verdict may still be open
      evidencePanel(code, casePath, record, allowed.length > 0 && FINISHED.indexOf(record.status) < 0),
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
    caseFormTouched = false;
  }

  /** Where a case with coordinates lies among its unit's grid cells; nothing for one without. */
  function caseMap(code, record) {
    var at = record.location || {};
    if (typeof at.lat !== 'number' || typeof at.lon !== 'number') { return null; }
    var map = gridMap({ code: record.unitCode || code }, ['案件位置，' + (record.gridCode ? '网格 ' + record.gridCode : '未落入网格'),
      'Where the case is' + (record.gridCode ? ', grid cell ' + record.gridCode : '')]);
    map.element.setAttribute('data-testid', 'case-map-panel');
    map.show([record]);
    return map.element;
  }

  /**
   * A leader's instruction that waits on the unit's people (领导批示 待落实): it waits until one of them acts on the
   * record or writes on it (a note in reply, 落实反馈).
   */
  function instructionBox(instruction) {
    if (!instruction) { return null; }
    return el('div', { class: 'pending', id: 'case-instruction', 'data-testid': 'case-instruction' },
      el('strong', {}, '领导批示 待落实 ', el('small', { text: "A leader's instruction waits" }), ': '),
      el('span', { 'data-testid': 'instruction-note', text: instruction.note || '' }),
      ' · ', el('span', { class: 'code', text: instruction.leader || '' }),
      ' · ', el('small', { text: time(instruction.at) }),
      el('div', { class: 'muted' }, '办理或留言回复即为落实 ',
        el('small', { text: 'Any action on the record, or a note in reply, answers it' })));
  }

  /** The request waiting on a decision (退回、延期、挂账申请), as the decider needs to read it. */
  function pendingBox(pending) {
    if (!pending) { return null; }
    var reason = pending.reason ? el('span', { class: 'code', text: pending.reason }) : null;
    if (pending.reason) {
      // the reasons are the city's list; the record carries only the code
      lookup(pending.fromUnit || pending.decider, 'return-reasons').then(function (reasons) {
        (reasons || []).forEach(function (r) {
          if (r.code === pending.reason) { reason.textContent = r.name + ' ' + r.code; }
        });
      }).catch(function () { /* the code alone still says it */ });
    }
    return el('div', { class: 'pending', id: 'case-pending', 'data-testid': 'case-pending' },
      el('strong', {}, '待决申请 ', el('small', { text: 'Waiting for a decision' }), ': '),
      el('span', { 'data-testid': 'pending-kind', 'data-kind': pending.kind }, label(PENDING_KINDS[pending.kind], pending.kind)),
      ' · 申请单位 ', el('small', { text: 'from' }), ' ', unitLink(pending.fromUnit || ''),
      pending.requestedBy ? [' · 申请人 ', el('small', { text: 'by' }), ' ', el('span', { class: 'code', text: pending.requestedBy })] : null,
      pending.decider ? [' · 决定单位 ', el('small', { text: 'decided at' }), ' ', el('span', { class: 'code', text: pending.decider })] : null,
      reason ? [' · 原因 ', el('small', { text: 'reason' }), ' ', reason] : null,
      pending.until ? [' · ', pending.kind === 'PARK' ? '复核日期 ' : '申请至 ', el('small', { text: pending.kind === 'PARK' ? 'review on' : 'until' }), ' ',
        el('span', { 'data-testid': 'pending-until', text: time(pending.until) })] : null,
      pending.at ? [' · ', el('small', { text: time(pending.at) })] : null,
      pending.note ? el('div', { 'data-testid': 'pending-note', text: pending.note }) : null);
  }

  /**
   * The inputs of an action that takes more than a note, and a function that reads them into the request body
   * (ActionRequest: target or officer, reason, until, category), or throws a problem to show.
   */
  function actionForm(code, record, action) {
    function need(ok, title, detail, input) {
      if (!ok) {
        if (input) { input.focus(); }
        throw { title: title, detail: detail };
      }
    }
    function select(testId, name, first) {
      return el('select', { id: testId, 'data-testid': testId, name: name }, el('option', { value: '', text: first }));
    }
    /** Two inputs of which the person fills one, labelled, with 或 or between them. */
    function eitherOf(firstText, first, secondText, second) {
      return [el('label', {}, label(firstText), first), el('span', { class: 'muted or' }, '或 ', el('small', { text: 'or' })),
        el('label', {}, label(secondText), second)];
    }
    /**
     * The officers serving the unit to give the case to (the proposed first), each with their work now (在办), in a
     * select; {@code except}: the one who holds it, left out.
     */
    function officers(testId, except) {
      var officer = select(testId, 'officer', '部门专员 Officer…');
      var proposed = ((record.proposedDispatch && record.proposedDispatch.officers) || []).filter(function (name) {
        return name !== except;
      });
      if (proposed.length) {
        append(officer, el('optgroup', { label: '建议 Proposed · ' + (record.proposedDispatch.department || '') },
          proposed.map(function (name) { return el('option', { value: name, text: name }); })));
      }
      lookup(code, 'roster').then(function (roster) {
        var others = (roster.officers || []).filter(function (o) {
          return proposed.indexOf(o.username) < 0 && o.username !== except;
        });
        if (others.length) {
          append(officer, el('optgroup', { label: '本级专员 Officers serving the unit' }, others.map(function (o) {
            return el('option', { value: o.username, text: (o.name || '') + ' ' + o.username + (o.department ? ' · ' + o.department : '') });
          })));
        }
        // whom to give it to: each officer's work now (在办), after their name
        return api('GET', unitPath(code) + '/todo/officers', undefined, { quiet: true }).then(function (loads) {
          (loads || []).forEach(function (l) {
            Array.prototype.forEach.call(officer.querySelectorAll('option'), function (option) {
              if (option.value === l.officer) {
                option.setAttribute('data-workload', String(l.toSign + l.toHandle));
                option.textContent += ' · 在办 ' + (l.toSign + l.toHandle) + (l.overdue ? ' (超期 ' + l.overdue + ')' : '');
                // away from the unit's work (请假, 离岗): not to be given work until back
                if (l.away && l.away.awayNow) {
                  option.disabled = true;
                  option.setAttribute('data-away', 'true');
                  option.textContent += ' · 离岗 away' + (l.away.until ? ' 至 ' + time(l.away.until) : '');
                }
              }
            });
          });
        }, function () { /* the names alone, as before */ });
      }).catch(shown);
      return officer;
    }
    if (action === 'REASSIGN') {
      var to = officers('action-reassign-officer', record.assignee);
      return {
        fields: [el('label', {}, label(['改派给专员', 'Give it to the officer']), to)],
        values: function () {
          need(to.value, '需要改派对象 An officer is required', '请选择接手的部门专员 — choose the officer to give it to', to);
          return { officer: to.value };
        }
      };
    }
    if (action === 'DISPATCH') {
      var target = select('action-target', 'target', '下级单位 Child unit…');
      var officer = officers('action-officer', null);
      var fillUnits = function (unit) {
        (unit.children || []).forEach(function (child) {
          append(target, el('option', { value: child.code, text: child.name + ' ' + child.code }));
        });
        if (!(unit.children || []).length) { target.disabled = true; }
      };
      if (unitCache[code]) { fillUnits(unitCache[code]); } else { loadUnit(code).then(fillUnits).catch(shown); }
      return {
        fields: eitherOf(['派遣至下级单位', 'Dispatch to a child unit'], target, ['派遣给专员', 'to a department officer'], officer),
        values: function () {
          need(!(target.value && officer.value), '只能选一个派遣对象 One target only',
            '请选择下级单位或部门专员之一 — choose a child unit or an officer, not both', officer);
          need(target.value || officer.value, '需要派遣对象 A target is required',
            '请选择派遣到的下级单位或部门专员 — choose the unit or the officer to dispatch to', target.disabled ? officer : target);
          return target.value ? { target: target.value } : { officer: officer.value };
        }
      };
    }
    if (action === 'RETURN_REQUEST') {
      var reason = select('action-reason', 'reason', '退回原因 Reason…');
      lookup(code, 'return-reasons').then(function (reasons) {
        (reasons || []).forEach(function (r) {
          append(reason, el('option', { value: r.code, text: r.name + ' — ' + (r.nameEn || r.code) }));
        });
      }).catch(shown);
      return {
        fields: [el('label', {}, label(['退回原因', 'Reason']), reason)],
        values: function () {
          need(reason.value, '需要退回原因 A reason is required', '请选择退回原因 — choose why it should go back', reason);
          return { reason: reason.value };
        }
      };
    }
    if (action === 'EXTEND_REQUEST' || action === 'PARK_REQUEST' || action === 'APPROVE') {
      var pending = record.pending;
      if (action === 'APPROVE' && !(pending && (pending.kind === 'EXTENSION' || pending.kind === 'PARK'))) {
        return { fields: [], values: function () { return {}; } };
      }
      var until = dateTimeInput({ id: 'action-until-' + action, 'data-testid': 'action-until-' + action, name: 'until' });
      var text = action === 'EXTEND_REQUEST' ? ['延期至', 'Until']
        : action === 'PARK_REQUEST' ? ['挂账复核日期', 'Review on'] : ['批准至（可选，代替所申请的）', 'Grant until (optional)'];
      return {
        fields: [el('label', {}, label(text), until)],
        values: function () {
          var instant = instantOf(until);
          need(instant || action === 'APPROVE', '需要日期时间 A date and time is required',
            '请填写' + text[0] + ' — ' + ACTIONS[action][1] + ' needs ' + text[1].toLowerCase(), until);
          return instant ? { until: instant } : {};
        }
      };
    }
    if (action === 'RECATEGORISE') {
      var category = select('action-category', 'category', '新类别 New category…');
      lookup(code, 'categories').then(function (categories) {
        (categories || []).forEach(function (c) {
          if (c.code === record.categoryCode) { return; }
          append(category, el('option', { value: c.code, text: c.name + ' ' + (c.nameEn || '') + ' · ' + c.code }));
        });
      }).catch(shown);
      return {
        fields: [el('label', {}, label(['改为类别', 'Change to']), category)],
        values: function () {
          need(category.value, '需要新类别 A category is required', '请选择新的类别 — choose the new category', category);
          return { category: category.value };
        }
      };
    }
    if (action === 'MERGE') {
      // the unit's open records of the same category near this one (the duplicates the node offers), or any case id
      var into = select('action-into', 'into', '重复的案件 Duplicate of…');
      var intoId = el('input', { id: 'action-into-id', 'data-testid': 'action-into-id', name: 'into-id', class: 'code',
        placeholder: '或案件编号 or a case id' });
      api('GET', unitPath(code) + '/cases/' + encodeURIComponent(record.caseId) + '/duplicates').then(function (found) {
        (found || []).forEach(function (c) {
          append(into, el('option', { value: c.caseId, text: (c.title || c.caseId) + ' · ' + Math.round(c.distanceMetres)
            + ' m · ' + (STATUSES[c.status] ? STATUSES[c.status][0] : c.status) + ' · ' + c.caseId }));
        });
        if (!(found || []).length) {
          append(into, el('option', { value: '', disabled: true, text: '附近没有同类未结案件 No open case of this category nearby' }));
        }
      }).catch(shown);
      return {
        fields: eitherOf(['合并到（保留的案件）', 'Merge into (the case kept)'], into, ['案件编号', 'Case id'], intoId),
        values: function () {
          var typed = intoId.value.trim();
          need(!(into.value && typed), '只能选一个案件 One case only',
            '请从列表中选择或填写案件编号之一 — pick from the list or type an id, not both', intoId);
          need(into.value || typed, '需要保留的案件 The case to keep is required',
            '请选择此案件所重复的案件 — choose the case this one duplicates', into);
          return { into: into.value || typed };
        }
      };
    }
    if (action === 'VERDICT') {
      var verdict = select('action-verdict', 'verdict', '回访结果 Verdict…');
      Object.keys(VERDICTS).forEach(function (key) {
        append(verdict, el('option', { value: key, text: VERDICTS[key][0] + ' — ' + VERDICTS[key][1] }));
      });
      return {
        fields: [el('label', {}, label(['上报人的评价', "The reporter's verdict"]), verdict)],
        values: function () {
          need(verdict.value, '需要回访结果 A verdict is required',
            '请选择满意或未解决 — choose satisfied or not fixed', verdict);
          return { verdict: verdict.value };
        }
      };
    }
    return null;
  }

  /** Sends one action with the note and its form's inputs, then shows the case as it is now. */
  function perform(code, casePath, action, noteInput, values, button) {
    var body = { action: action };
    var note = noteInput.value.trim();
    if (note) { body.note = note; }
    if (NOTE_REQUIRED.indexOf(action) >= 0 && !note) {
      showError({ title: '需要说明 A note is required',
        detail: '“' + ACTIONS[action][0] + '”需要填写说明 — ' + action + ' needs a note' });
      noteInput.focus();
      return;
    }
    if (values) {
      try {
        Object.assign(body, values());
      } catch (problem) {
        showError(problem);
        return;
      }
    }
    button.disabled = true;
    // taken once: the same action on the same record sent again (its answer lost) keeps its key, and the node answers
    // it with the record as it is now instead of taking it twice
    var options = actionKeys.headers(casePath + ' ' + JSON.stringify(body));
    // taken only on the record as shown: if someone changed it since, the node answers 412 and nothing changes (the
    // banner says so, and the page's refresh offers the record as it is now)
    if (shownVersion) { options.headers['If-Match'] = shownVersion; }
    var showing = onThisPage();
    api('POST', casePath + '/actions', body, options).then(function (updated) {
      actionKeys.done();
      if (!showing()) { return null; } // taken; the person has moved on to another page, which stays as it is
      clearError();
      if (updated && updated.caseId) {
        renderCase(code, casePath, updated);
        return null;
      }
      return api('GET', casePath).then(function (record) { if (showing()) { renderCase(code, casePath, record); } });
    }).catch(function (failure) {
      button.disabled = false;
      shown(failure);
    });
  }

  // ---------- evidence (处置前后照片) ----------

  function size(bytes) {
    if (bytes === null || bytes === undefined) { return ''; }
    return bytes < 1024 ? bytes + ' B' : bytes < 1048576 ? (Math.round(bytes / 102.4) / 10) + ' KB' : (Math.round(bytes / 104857.6) / 10) + ' MB';
  }

  function evidencePanel(code, casePath, record, mayAdd) {
    var rows = el('tbody');
    (record.evidence || []).forEach(function (e) {
      var link = el('a', { href: e.href, 'data-testid': 'evidence-download', download: e.fileName || true, text: e.fileName || e.evidenceId });
      link.addEventListener('click', function (event) {
        event.preventDefault(); // the file needs the person's token: fetched, then saved
        download(e.href, e.fileName || 'evidence').catch(shown);
      });
      append(rows, el('tr', { 'data-testid': 'evidence-row', 'data-evidence-id': e.evidenceId },
        el('td', {}, label(STAGES[e.stage], e.stage)),
        // a photo of a duplicate report merged into this case: what that reporter saw, kept with their record
        el('td', {}, link, e.mergedFrom ? el('small', { class: 'muted', 'data-testid': 'evidence-merged-from' }, ' 合并自 ',
          caseLink(record.unitCode, e.mergedFrom, String(e.mergedFrom).slice(0, 8)), ' merged report') : null),
        el('td', { class: 'code', text: e.contentType || '' }),
        el('td', { class: 'num', text: size(e.sizeBytes) }),
        el('td', {}, time(e.uploadedAt), ' ', el('small', { text: e.uploadedBy || '' })),
        el('td', {}, e.holdingUnit ? unitLink(e.holdingUnit) : null)));
    });
    if (!(record.evidence || []).length) { append(rows, emptyRow(6, '暂无照片或材料', 'No evidence yet')); }

    var form = null;
    if (mayAdd) {
      var file = el('input', { type: 'file', name: 'file', 'data-testid': 'evidence-file', accept: 'image/jpeg,image/png,application/pdf' });
      var stage = el('select', { name: 'stage', 'data-testid': 'evidence-stage' }, Object.keys(STAGES).map(function (key) {
        return el('option', { value: key, text: STAGES[key][0] + ' ' + STAGES[key][1] });
      }));
      var submit = el('button', { type: 'submit', 'data-testid': 'evidence-submit' }, '上传 ', el('small', { text: 'Upload' }));
      form = el('form', { class: 'filters', 'data-testid': 'evidence-form' },
        el('label', {}, label(['文件（JPEG、PNG、PDF）', 'File (JPEG, PNG, PDF)']), file),
        el('label', {}, label(['阶段', 'Stage']), stage), submit);
      var uploads = keyedRequests(); // the same file at the same stage sent again answers what the node kept
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (!file.files.length) {
          showError({ title: '需要文件 A file is required', detail: '请选择要上传的照片或材料 — choose the photo or document to upload' });
          return;
        }
        var data = new FormData();
        data.append('file', file.files[0]);
        data.append('stage', stage.value);
        submit.disabled = true;
        var showing = onThisPage();
        api('POST', casePath + '/evidence', data, uploads.headers(file.files[0], stage.value)).then(function (added) {
          if (!showing()) { return null; }
          clearError();
          return api('GET', casePath).then(function (fresh) {
            if (!showing()) { return; }
            renderCase(code, casePath, fresh);
            var done = document.getElementById('evidence-uploaded');
            if (done) { done.textContent = '已上传 Uploaded: ' + (added.fileName || '') + ' (' + (added.contentType || '') + ')'; }
          });
        }).catch(function (failure) {
          submit.disabled = false;
          shown(failure);
        });
      });
    }
    return el('div', { class: 'panel', id: 'evidence-panel', 'data-testid': 'evidence-panel' },
      heading('h2', '处置前后照片与材料', 'Evidence'),
      el('table', { id: 'evidence-list', 'data-testid': 'evidence-list' },
        th([['阶段', 'Stage'], ['文件', 'File'], ['类型', 'Type'], ['大小', 'Size'], ['上传', 'Uploaded'], ['保存于', 'Held by']]), rows),
      form, el('p', { class: 'ok', id: 'evidence-uploaded', 'data-testid': 'evidence-uploaded', role: 'status' }));
  }

  // ---------- 5. overdue records below a unit, and supervision (督办) ----------

  function th(pairs) {
    return el('thead', {}, el('tr', {}, pairs.map(function (pair) {
      return el('th', {}, pair[0] + ' ', el('small', { text: pair[1] }));
    })));
  }

  function emptyRow(columns, zh, en) {
    return el('tr', {}, el('td', { colspan: String(columns), class: 'muted' }, zh + ' ', el('small', { text: en })));
  }

  /** The value a datetime-local input shows for an instant, in the person's local time. */
  function localValue(date) {
    var pad = function (n) { return ('0' + n).slice(-2); };
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + 'T'
      + pad(date.getHours()) + ':' + pad(date.getMinutes());
  }

  function caseLink(unitCode, caseId, text) {
    return el('a', { href: '#/units/' + unitCode + '/cases/' + encodeURIComponent(caseId), text: text || caseId });
  }

  function overduePanel(unit, container) {
    var me = claims();
    var fromHere = me.unit === unit.code && (hasRole('SUPERVISOR') || hasRole('LEADER'));
    // Jurisdiction.checkSupervise: a supervisor of the unit, or a leader of it who answers for the unit below
    function maySupervise(below) {
      if (!fromHere) { return false; }
      if (hasRole('SUPERVISOR')) { return true; }
      return (me.contracts || []).some(function (c) { return c === below || ancestorCodes(below).indexOf(c) >= 0; });
    }
    var rows = el('tbody');
    var notices = el('tbody');
    var sent = el('p', { class: 'ok', 'data-testid': 'supervision-sent', role: 'status' });
    var columns = [['案件', 'Case'], ['单位', 'Unit'], ['类别', 'Category'], ['状态', 'Status'], ['时限', 'Clock'],
      ['到期', 'Due'], ['发现超期', 'Detected']];
    if (fromHere) { columns.push(['督办', 'Supervise']); }

    function superviseForm(n) {
      if (!maySupervise(n.unitCode)) {
        return el('span', { class: 'muted' }, '无权督办 ', el('small', { text: 'not yours to supervise' }));
      }
      var due = dateTimeInput({ 'data-testid': 'supervise-due', name: 'dueAt', required: true,
        value: localValue(new Date(Date.now() + 24 * 3600 * 1000)), 'aria-label': '新时限 New deadline' });
      var note = el('input', { 'data-testid': 'supervise-note', name: 'note', maxlength: '4000',
        placeholder: '督办意见 Note', 'aria-label': '督办意见 Note' });
      var submit = el('button', { type: 'submit', 'data-testid': 'supervise-submit' }, '督办 ', el('small', { text: 'Supervise' }));
      var form = el('form', { class: 'inline', 'data-testid': 'supervise-form' }, due, note, submit);
      var notices = keyedRequests(); // the same notice sent again (its answer lost) is kept and sent once
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var dueAt = instantOf(due);
        if (!dueAt) {
          showError({ title: '需要新时限 A deadline is required', detail: '请填写新的办结时限 — give the unit a new deadline' });
          due.focus();
          return;
        }
        submit.disabled = true;
        var body = { caseId: n.caseId, unit: n.unitCode, dueAt: dueAt };
        if (note.value.trim()) { body.note = note.value.trim(); }
        api('POST', unitPath(unit.code) + '/supervision', body, notices.headers(JSON.stringify(body))).then(function (notice) {
          notices.done();
          clearError();
          sent.textContent = '督办通知已发送 Supervision notice sent: ' + (n.title || n.caseId) + ' → ' + notice.supervisedUnit
            + ', ' + time(notice.dueAt);
          note.value = '';
          return loadNotices();
        }).catch(shown).then(function () { submit.disabled = false; });
      });
      return form;
    }

    function loadOverdue() {
      return api('GET', unitPath(unit.code) + '/cases/overdue?limit=200').then(function (list) {
        rows.textContent = '';
        (list || []).forEach(function (n) {
          append(rows, el('tr', { 'data-testid': 'overdue-row', 'data-case-id': n.caseId, 'data-unit': n.unitCode },
            el('td', {}, caseLink(n.unitCode, n.caseId, n.title || n.caseId)),
            el('td', {}, unitLink(n.unitCode)),
            el('td', { text: n.categoryCode || '' }),
            el('td', {}, label(STATUSES[n.status], n.status)),
            el('td', {}, label(CLOCKS[n.clock], n.clock)),
            el('td', { class: 'overdue', text: time(n.dueAt) }),
            el('td', { text: time(n.detectedAt) }),
            fromHere ? el('td', {}, superviseForm(n)) : null));
        });
        if (!(list || []).length) { append(rows, emptyRow(columns.length, '暂无超期案件', 'Nothing overdue below this unit')); }
      });
    }

    function loadNotices() {
      return api('GET', unitPath(unit.code) + '/supervision?limit=50').then(function (list) {
        notices.textContent = '';
        (list || []).forEach(function (n) {
          append(notices, el('tr', { 'data-testid': 'supervision-row', 'data-case-id': n.caseId, 'data-notice-id': n.id },
            el('td', { text: time(n.sentAt) }),
            el('td', {}, caseLink(n.supervisedUnit, n.caseId)),
            el('td', {}, unitLink(n.supervisedUnit)),
            el('td', {}, n.supervisor || '', n.leader ? el('strong', { class: 'badge' }, ' 领导督办 ', el('small', { text: 'leader' })) : null),
            el('td', { text: time(n.dueAt) }),
            el('td', { text: n.note || '' })));
        });
        if (!(list || []).length) { append(notices, emptyRow(6, '尚未发出督办通知', 'No notices sent')); }
      });
    }

    var refresh = el('button', { type: 'button', class: 'secondary', 'data-testid': 'overdue-refresh' }, '刷新 ', el('small', { text: 'Refresh' }));
    refresh.addEventListener('click', function () { clearError(); loadOverdue().catch(shown); });
    append(container,
      el('div', { class: 'panel', id: 'overdue-panel', 'data-testid': 'overdue-panel' },
        heading('h2', '下级超期案件', 'Overdue records in this unit\'s subtree'),
        el('p', { class: 'muted' }, fromHere
          ? ['给办理单位一个新的时限：督办通知沿链路下达并计入案件。 ',
            el('small', { text: 'Give the unit holding the record a new deadline: the notice travels down and counts on the record.' })]
          : ['督办需本单位督办员或分包领导。 ', el('small', { text: 'Supervising takes a supervisor of this unit or a leader answering for the unit below.' })]),
        el('div', { class: 'filters' }, refresh), sent,
        el('table', { id: 'overdue-list', 'data-testid': 'overdue-list' }, th(columns), rows)),
      el('div', { class: 'panel', id: 'supervision-panel', 'data-testid': 'supervision-panel' },
        heading('h2', '已发督办通知', 'Supervision notices sent'),
        el('table', { id: 'supervision-list', 'data-testid': 'supervision-list' },
          th([['发出', 'Sent'], ['案件', 'Case'], ['被督办单位', 'Supervised unit'], ['督办人', 'Supervisor'],
            ['新时限', 'New deadline'], ['意见', 'Note']]), notices)));
    loadOverdue().catch(shown);
    loadNotices().catch(shown);
  }

  // ---------- notices (通知): issued down to the units below, signed for (签收) by each ----------

  function noticesPanel(unit, container) {
    var me = claims();
    var tier = String(unit.tier || '').toLowerCase();
    var tierOrder = ['city', 'district', 'township', 'community'];
    var below = tierOrder.slice(tierOrder.indexOf(tier) + 1);
    var own = me.unit === unit.code;
    // Jurisdiction.checkSignNotice and checkIssueNotice
    var maySign = own && (hasRole('SUPERVISOR') || hasRole('HANDLER'));
    var mayIssue = own && below.length > 0 && (hasRole('SUPERVISOR') || hasRole('LEADER'));
    var status = el('p', { class: 'ok', 'data-testid': 'notice-status', role: 'status' });

    function signedBadge(n) {
      if (n.signedAt) {
        return el('span', { class: 'ok' }, '已签收 ', el('small', { text: 'signed' }), ' ' + time(n.signedAt) + ' · '
          + n.signedBy + (n.reply ? ' · ' + n.reply : ''),
          n.late ? el('span', { class: 'overdue' }, ' 逾期签收 ', el('small', { text: 'signed late' })) : null);
      }
      return el('span', { class: n.late ? 'overdue' : 'muted' }, n.late ? '逾期未签收 ' : '待签收 ',
        el('small', { text: n.late ? 'late, not signed' : 'to sign for' }));
    }

    /** A notice its issuer withdrew (撤回): when and why; nobody signs for it. */
    function withdrawnBadge(n) {
      return el('span', { class: 'muted', 'data-testid': 'notice-withdrawn' }, '已撤回 ', el('small', { text: 'withdrawn' }),
        ' ' + time(n.withdrawnAt) + (n.withdrawnBy ? ' · ' + n.withdrawnBy : '') + ' · ' + (n.withdrawReason || ''));
    }

    /** The issuer withdraws a notice it issued, saying why (撤回). */
    function withdrawForm(n) {
      var reason = el('input', { name: 'reason', maxlength: '1000', required: true, 'data-testid': 'notice-withdraw-reason',
        placeholder: '撤回原因 Why', 'aria-label': '撤回原因 Why withdrawn' });
      var submit = el('button', { type: 'submit', class: 'secondary', 'data-testid': 'notice-withdraw' }, '撤回 ',
        el('small', { text: 'Withdraw' }));
      var form = el('form', { class: 'inline', 'data-testid': 'notice-withdraw-form' }, reason, submit);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        submit.disabled = true;
        api('POST', unitPath(unit.code) + '/notices/sent/' + encodeURIComponent(n.id) + '/withdraw',
          { reason: reason.value.trim() }).then(function (w) {
          clearError();
          status.textContent = '通知已撤回 Notice withdrawn: ' + w.title;
          return loadSent();
        }).catch(shown).then(function () { submit.disabled = false; });
      });
      return form;
    }

    // what the unit received, newest first, each signed for once by a handler or a supervisor of it
    var received = el('tbody', { 'data-testid': 'notices-received' });
    function signForm(n) {
      var reply = el('input', { name: 'reply', maxlength: '1000', 'data-testid': 'notice-reply',
        placeholder: '回复（可选） Reply (optional)', 'aria-label': '回复 Reply' });
      var submit = el('button', { type: 'submit', 'data-testid': 'notice-sign' }, '签收 ', el('small', { text: 'Sign for it' }));
      var form = el('form', { class: 'inline', 'data-testid': 'notice-sign-form' }, reply, submit);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        submit.disabled = true;
        var body = reply.value.trim() ? { reply: reply.value.trim() } : {};
        api('POST', unitPath(unit.code) + '/notices/' + encodeURIComponent(n.id) + '/sign', body).then(function () {
          clearError();
          status.textContent = '已签收 Signed for: ' + n.title;
          return loadReceived();
        }).catch(shown).then(function () { submit.disabled = false; });
      });
      return form;
    }
    // a notice that went on below the unit too: which of the units below it signed (逐级督促签收)
    var belowReceipts = el('div', { 'data-testid': 'notice-below-receipts' });
    function showBelow(n) {
      return api('GET', unitPath(unit.code) + '/notices/' + encodeURIComponent(n.id)).then(function (one) {
        belowReceipts.textContent = '';
        // 逐级催签: whoever may issue from the unit presses those below it that have not signed
        var unsignedBelow = (one.belowUnits || 0) - (one.belowSigned || 0);
        var remind = mayIssue && unsignedBelow > 0 && !one.withdrawnAt ? el('button', { type: 'button',
          class: 'secondary', 'data-testid': 'notice-remind-below', onclick: function () {
            remind.disabled = true;
            api('POST', unitPath(unit.code) + '/notices/' + encodeURIComponent(one.id) + '/remind').then(function (r) {
              clearError();
              status.textContent = '已催签下级 Reminded the units below: ' + r.title + ' → ' + unsignedBelow
                + ' 个单位 units';
              return showBelow(one);
            }).catch(shown).then(function () { remind.disabled = false; });
          } }, '催签下级 ', el('small', { text: 'Remind those below' })) : null;
        append(belowReceipts, heading('h3', '下级签收情况：' + one.title, 'Units below: ' + (one.belowSigned || 0) + ' of '
          + (one.belowUnits || 0) + ' signed'),
          one.remindedBelow ? el('p', { class: 'muted', 'data-testid': 'notice-reminded-below' }, '已催签下级 '
            + one.remindedBelow + ' 次 ', el('small', { text: 'reminded below' }), ' · ' + time(one.remindedBelowAt)) : null,
          remind, receiptsTable(one.below || [], 'notice-below-receipt'));
      }).catch(shown);
    }
    function goesBelow(n) {
      return n.reach && below.indexOf(n.reach) >= 0;
    }
    function loadReceived() {
      return api('GET', unitPath(unit.code) + '/notices?limit=50').then(function (list) {
        received.textContent = '';
        (list || []).forEach(function (n) {
          append(received, el('tr', { 'data-testid': 'notice-received', 'data-notice-id': n.id,
            'data-signed': n.signedAt ? 'true' : 'false', 'data-withdrawn': n.withdrawnAt ? 'true' : 'false',
            class: n.late ? 'late' : null },
            el('td', { text: time(n.issuedAt) }),
            el('td', {}, unitLink(n.fromUnit, n.fromUnitName), el('br'), el('small', { text: n.issuedBy })),
            el('td', {}, el('strong', { text: n.title }), el('p', { class: 'notice-body', text: n.body }),
              goesBelow(n) ? el('a', { href: 'javascript:void(0)', 'data-testid': 'notice-below-open',
                onclick: function () { showBelow(n); } }, '下级签收情况 ', el('small', { text: 'Units below' })) : null),
            el('td', { text: n.signBy ? time(n.signBy) : '—' }),
            el('td', {}, n.withdrawnAt ? withdrawnBadge(n) : [signedBadge(n), (n.reminders || n.remindersBetween) && !n.signedAt
              ? el('span', { class: 'overdue', 'data-testid': 'notice-reminded' }, ' 已催签 '
                + ((n.reminders || 0) + (n.remindersBetween || 0)) + ' 次 ', el('small', { text: 'reminded' }),
                n.remindersBetween ? el('small', { text: ' (其中逐级催签 ' + n.remindersBetween + ' 次 by a unit between)' }) : null,
                n.lateRemindedAt ? el('small', { 'data-testid': 'notice-late-reminded', title: time(n.lateRemindedAt),
                  text: ' (含逾期自动催签 by the issuer\'s node when late)' }) : null)
              : null, !n.signedAt && maySign ? signForm(n) : null])));
        });
        if (!(list || []).length) { append(received, emptyRow(5, '暂无通知', 'No notices received')); }
      });
    }

    // what the unit issued: to how many units, how many signed; a notice's receipts unit by unit
    var sent = el('tbody', { 'data-testid': 'notices-sent' });
    var receipts = el('div', { 'data-testid': 'notice-receipts' });
    /** Each unit's receipt of a notice: signed or not, when, by whom, the reply. */
    function receiptsTable(list, testId) {
      var rows = el('tbody');
      list.forEach(function (r) {
        append(rows, el('tr', { 'data-testid': testId, 'data-unit': r.unitCode,
          'data-signed': r.signedAt ? 'true' : 'false', class: r.late ? 'late' : null },
          el('td', {}, unitLink(r.unitCode, r.unitName), ' ', el('span', { class: 'code', text: r.unitCode })),
          el('td', {}, signedBadge(r))));
      });
      return el('table', {}, th([['单位', 'Unit'], ['签收', 'Signed']]), rows);
    }
    function showReceipts(n) {
      return api('GET', unitPath(unit.code) + '/notices/sent/' + encodeURIComponent(n.id)).then(function (one) {
        receipts.textContent = '';
        append(receipts, heading('h3', '签收情况：' + one.notice.title, 'Receipts: ' + one.notice.signed + ' of '
          + one.notice.units + ' signed'), receiptsTable(one.receipts || [], 'notice-receipt'));
      }).catch(shown);
    }
    function loadSent() {
      return api('GET', unitPath(unit.code) + '/notices/sent?limit=50').then(function (list) {
        sent.textContent = '';
        (list || []).forEach(function (n) {
          append(sent, el('tr', { 'data-testid': 'notice-sent', 'data-notice-id': n.id, class: n.late ? 'late' : null },
            el('td', { text: time(n.issuedAt) }),
            el('td', {}, el('a', { href: 'javascript:void(0)', 'data-testid': 'notice-sent-open',
              onclick: function () { showReceipts(n); } }, n.title)),
            el('td', {}, label(TIERS[n.reach], n.reach)),
            el('td', { text: n.signBy ? time(n.signBy) : '—' }),
            el('td', { 'data-testid': 'notice-sent-count' }, el('b', { text: n.signed + ' / ' + n.units }),
              n.withdrawnAt ? [' ', withdrawnBadge(n)] : null,
              n.late ? el('span', { class: 'overdue' }, ' 有逾期 ', el('small', { text: 'late' })) : null,
              n.reminders ? el('span', { class: 'muted' }, ' · 催签 ' + n.reminders + ' 次 ',
                el('small', { text: 'reminded' }),
                // once by the node itself when the time to sign by passed
                n.lateRemindedAt ? el('span', { 'data-testid': 'notice-late-reminded', title: time(n.lateRemindedAt) },
                  ' (含逾期自动催签 ', el('small', { text: 'once by itself when late' }), ')') : null) : null,
              mayIssue && !n.withdrawnAt ? withdrawForm(n) : null,
              mayIssue && n.unsigned > 0 && !n.withdrawnAt ? el('button', { type: 'button', class: 'secondary', 'data-testid': 'notice-remind',
                onclick: function () {
                  api('POST', unitPath(unit.code) + '/notices/sent/' + encodeURIComponent(n.id) + '/remind')
                    .then(function (r) {
                      clearError();
                      status.textContent = '已催签 Reminded: ' + r.title + ' → ' + r.unsigned + ' 个单位 units';
                      return loadSent();
                    }).catch(shown);
                } }, '催签 ', el('small', { text: 'Remind' })) : null)));
        });
        if (!(list || []).length) { append(sent, emptyRow(5, '尚未发出通知', 'No notices issued')); }
      });
    }

    function issueForm() {
      var title = el('input', { name: 'title', required: true, maxlength: '200', 'data-testid': 'notice-title',
        'aria-label': '标题 Title' });
      var body = el('textarea', { name: 'body', required: true, maxlength: '4000', rows: '4', 'data-testid': 'notice-body',
        'aria-label': '内容 Text' });
      var reach = el('select', { name: 'reach', 'data-testid': 'notice-reach', 'aria-label': '下达至 Down to' });
      below.forEach(function (t) {
        append(reach, el('option', { value: t, text: '至' + TIERS[t][0] + ' down to ' + TIERS[t][1] }));
      });
      reach.value = below[below.length - 1];
      var signBy = dateTimeInput({ name: 'signBy', 'data-testid': 'notice-sign-by', 'aria-label': '签收时限 Sign by' });
      var submit = el('button', { type: 'submit', 'data-testid': 'notice-issue' }, '下发 ', el('small', { text: 'Issue' }));
      var form = el('form', { 'data-testid': 'notice-form', class: 'stack' },
        el('label', { class: 'wide' }, '标题 ', el('small', { text: 'Title' }), title),
        el('label', { class: 'wide' }, '内容 ', el('small', { text: 'Text' }), body),
        el('label', {}, '下达至 ', el('small', { text: 'Down to' }), reach),
        el('label', {}, '签收时限（可选） ', el('small', { text: 'Sign by (optional)' }), signBy), submit);
      var issued = keyedRequests(); // the same notice sent again (its answer lost) is kept and sent once
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var request = { title: title.value, body: body.value, reach: reach.value };
        var by = instantOf(signBy);
        if (by) { request.signBy = by; }
        submit.disabled = true;
        api('POST', unitPath(unit.code) + '/notices', request, issued.headers(JSON.stringify(request))).then(function (n) {
          issued.done();
          clearError();
          status.textContent = '通知已下发 Notice issued: ' + n.title + ' → ' + n.units + ' 个单位 units';
          title.value = '';
          body.value = '';
          signBy.value = '';
          return loadSent();
        }).catch(shown).then(function () { submit.disabled = false; });
      });
      return form;
    }

    var hasParent = tier !== 'city';
    append(container,
      status,
      hasParent ? el('div', { class: 'panel', id: 'notices-received-panel', 'data-testid': 'notices-received-panel' },
        heading('h2', '收到的通知', 'Notices received'),
        el('p', { class: 'muted' }, maySign ? ['由本单位处置员或督办员签收，签收情况回报下发单位。 ',
          el('small', { text: 'A handler or a supervisor of the unit signs for it; the issuer sees who has.' })]
          : ['签收需本单位处置员或督办员。 ', el('small', { text: 'Signing for a notice takes a handler or a supervisor of the unit.' })]),
        el('table', { id: 'notices-received' }, th([['下发', 'Issued'], ['下发单位', 'From'], ['通知', 'Notice'],
          ['签收时限', 'Sign by'], ['签收', 'Signed']]), received), belowReceipts) : null,
      below.length ? el('div', { class: 'panel', id: 'notices-sent-panel', 'data-testid': 'notices-sent-panel' },
        heading('h2', '下发通知', 'Notices issued'),
        mayIssue ? issueForm() : el('p', { class: 'muted' }, '下发通知需本单位督办员或领导。 ',
          el('small', { text: 'Issuing a notice takes a supervisor or a leader of the unit.' })),
        el('table', { id: 'notices-sent' }, th([['下发', 'Issued'], ['标题', 'Title'], ['下达至', 'Down to'],
          ['签收时限', 'Sign by'], ['已签收', 'Signed']]), sent), receipts) : null);
    if (hasParent) { loadReceived().catch(shown); }
    if (below.length) { loadSent().catch(shown); }
  }

  // ---------- the dead letters (死信): what the node set aside, for an administrator ----------

  function deadLettersPanel(unit, container) {
    var panel = el('div', { class: 'panel', id: 'dead-letters-panel', 'data-testid': 'dead-letters-panel' });
    append(container, panel);
    /** What a topic carries, by name: a lower or higher tier's events, the units' reports, the city's calendar. */
    function source(topic) {
      var name = /\.inbox$/.test(topic || '') ? ['来件', 'Events'] : topic === 'gridlink.unit-reports' ? ['统计上报', 'Unit reports']
        : topic === 'gridlink.calendar' ? ['工作日历', 'Calendar'] : null;
      return el('span', {}, name ? label(name) : null, name ? el('br') : null, el('span', { class: 'code', text: topic || '' }));
    }
    function rows(letters, testid, oneByOne) {
      var body = el('tbody', { 'data-testid': testid });
      (letters || []).forEach(function (d) {
        append(body, el('tr', { 'data-testid': 'dead-letter', 'data-event': d.eventId || '', 'data-topic': d.topic || '' },
          el('td', { text: time(d.recordedAt) }), el('td', {}, source(d.topic)),
          el('td', { class: 'code', text: d.type || '' }), el('td', { class: 'code', text: d.eventId || '' }),
          el('td', { class: 'code', text: d.unit || '' }),
          el('td', { class: 'why', text: [d.reason, d.message].filter(Boolean).join(': ') }),
          oneByOne ? el('td', {}, d.eventId ? el('button', { type: 'button', 'data-testid': 'dead-letter-replay', onclick: function () {
            api('POST', unitPath(unit.code) + '/dead-letters/replay?eventId=' + encodeURIComponent(d.eventId))
              .then(function (again) { load(again); }).catch(shown);
          } }, '重新投递 ', el('small', { text: 'Send again' })) : null) : null));
      });
      if (!(letters || []).length) { append(body, emptyRow(oneByOne ? 7 : 6, '无', 'None')); }
      return el('table', {}, th([['时间', 'Time'], ['来源', 'Topic'], ['事件类型', 'Event type'], ['事件', 'Event'], ['单位', 'Unit'], ['原因', 'Why']]
        .concat(oneByOne ? [['', '']] : [])), body);
    }
    function load(sent) {
      api('GET', unitPath(unit.code) + '/dead-letters').then(function (letters) {
        panel.textContent = '';
        var failed = sent ? (sent.failed || []) : [];
        append(panel,
          heading('h2', '死信', 'Dead letters'),
          el('p', { class: 'muted' }, '本节点未能读取或多次重试仍未能处理、已搁置的消息：下级来件（收件箱）、下级单位的统计上报、市级发布的工作日历（仅列出此后仍未处理、也未被更新消息取代的）。原因排除后可重新投递：已处理过的事件不会重复处理，统计上报和日历只保留较新的。 ',
            el('small', { text: 'Messages this node could not read, or could not apply after its retries, and set aside: from its inbox, the units\' reports, the city\'s working calendar (only those not applied nor overtaken by a newer one since). Once the cause is mended, send them again: an event is never applied twice, a report or a year is kept only if newer.' })),
          sent === undefined ? null : el('p', { 'data-testid': 'dead-letters-sent', class: 'notice' },
            '已重新投递 ' + sent.count + ' 条 ', el('small', { text: sent.count + ' sent again' }),
            failed.length ? el('span', { 'data-testid': 'dead-letters-failed' }, '；' + failed.length + ' 条仍未能处理 ',
              el('small', { text: failed.length + ' failed again' })) : null),
          failed.length ? rows(failed, 'dead-letters-failed-again') : null,
          rows(letters, 'dead-letters', true),
          el('button', { type: 'button', 'data-testid': 'dead-letters-replay', disabled: (letters || []).length ? null : 'disabled',
            onclick: function () {
              api('POST', unitPath(unit.code) + '/dead-letters/replay').then(function (again) { load(again); }).catch(shown);
            } }, '全部重新投递 ', el('small', { text: 'Send all again' })));
      }).catch(function (failure) {
        panel.textContent = '';
        append(panel, el('p', { class: 'muted' }, '无法显示死信 ', el('small', { text: 'The dead letters cannot be shown' })));
        shown(failure);
      });
    }
    append(panel, el('p', { class: 'muted', text: '加载中… Loading…' }));
    load();
  }

  // ---------- the working calendar (工作日历, 日历发布) ----------

  /** A year's days as the form's lines: "2027-01-01 2027-01-03 元旦 New Year's Day", "2027-02-06 春节调休上班". */
  function calendarLines(days, twoDates) {
    return (days || []).map(function (d) {
      return (twoDates ? d.from + ' ' + d.to : d.date) + ' ' + d.name + (d.nameEn ? ' ' + d.nameEn : '');
    }).join('\n');
  }

  /** The form's lines as days: the dates first, then the Chinese name, then (after it) an English one. */
  function parseCalendarLines(text, twoDates) {
    return text.split('\n').map(function (line) { return line.trim(); }).filter(Boolean).map(function (line) {
      var parts = line.split(/\s+/);
      var dates = twoDates ? 2 : 1;
      var day = twoDates ? { from: parts[0], to: parts[1] } : { date: parts[0] };
      day.name = parts[dates] || '';
      var en = parts.slice(dates + 1).join(' ');
      if (en) { day.nameEn = en; }
      return day;
    });
  }

  /** A published year's revisions (日历发布记录), newest first, loaded when asked for: who, when, which days. */
  function calendarRevisions(unit, year) {
    var box = el('div', { 'data-testid': 'calendar-revisions', 'data-year': String(year) });
    var button = el('button', { type: 'button', 'data-testid': 'calendar-show-revisions', onclick: function () {
      button.disabled = true;
      api('GET', unitPath(unit.code) + '/calendar/' + year + '/revisions').then(function (revisions) {
        var body = el('tbody');
        (revisions || []).forEach(function (r) {
          var days = (r.holidays || []).map(function (h) {
            return h.from + (h.to !== h.from ? '–' + h.to : '') + ' ' + h.name;
          }).concat((r.workingDays || []).map(function (w) { return w.date + ' ' + w.name + '（上班）'; }));
          append(body, el('tr', { 'data-testid': 'calendar-revision', 'data-revision': String(r.revision) },
            el('td', { text: '第 ' + r.revision + ' 版' }), el('td', { text: r.publishedBy || '' }),
            el('td', { text: time(r.publishedAt) }), el('td', { text: r.source || '' }),
            el('td', { class: 'days', text: days.join('；') })));
        });
        if (!(revisions || []).length) { append(body, emptyRow(5, '无', 'None')); }
        box.textContent = '';
        append(box, heading('h4', year + ' 年发布记录', year + '\'s publications, newest first'), el('table', {}, th([['版本', 'Revision'], ['发布人', 'By'], ['时间', 'When'], ['来源', 'Source'], ['安排', 'Days']]), body));
      }).catch(function (failure) { button.disabled = false; shown(failure); });
    } }, '发布记录 ', el('small', { text: 'Revisions' }));
    append(box, button);
    return box;
  }

  function calendarPanel(unit, container) {
    var panel = el('div', { class: 'panel', id: 'calendar-panel', 'data-testid': 'calendar-panel' },
      heading('h2', '工作日历', 'Working calendar'), el('p', { class: 'muted', text: '加载中… Loading…' }));
    append(container, panel);
    var reader = session();
    // a year is published by an administrator of the city, at the city
    var publisher = hasRole('ADMIN') && reader && reader.claims.unit === platform.cityCode && unit.code === platform.cityCode;
    function load(published) {
      api('GET', unitPath(unit.code) + '/calendar').then(function (calendar) {
        panel.textContent = '';
        var coverage = calendar.coverage || {};
        append(panel, heading('h2', '工作日历', 'Working calendar'),
          el('p', { class: 'muted' }, '时限按此日历计算：办公时间 ' + (calendar.officeHours || []).map(function (p) {
            return p.from.slice(0, 5) + '–' + p.to.slice(0, 5);
          }).join('，') + '；周末 ' + (calendar.weekend || []).join(', ') + '。全市各级共用，由市级管理员发布每年的节假日安排。 ',
            el('small', { text: 'The time limits run on this calendar, the same at every tier; the city\'s administrator publishes each year\'s holidays.' })),
          el('p', { 'data-testid': 'calendar-coverage' }, coverage.coveredUntil
            ? '法定节假日已知至 ' + coverage.coveredUntil + '（还剩 ' + coverage.daysLeft + ' 天） '
            : '今年的法定节假日未知 ', el('small', { text: coverage.coveredUntil
              ? 'Public holidays known until ' + coverage.coveredUntil : 'This year\'s public holidays are not known' })),
          published ? el('p', { class: 'notice', 'data-testid': 'calendar-published' }, published.year + ' 年已发布（第 '
            + published.revision + ' 版），各级节点将在数秒内采用。 ', el('small', { text: published.year
              + ' published (revision ' + published.revision + '); every node takes it up within seconds.' })) : null);
        (calendar.years || []).slice().reverse().forEach(function (y) {
          var days = el('tbody');
          // the holidays and the make-up working days in the order of their days, as the notice reads
          (y.holidays || []).map(function (h) { return { day: h.from, holiday: h }; })
            .concat((y.workingDays || []).map(function (w) { return { day: w.date, worked: w }; }))
            .sort(function (a, b) { return a.day < b.day ? -1 : a.day > b.day ? 1 : 0; })
            .forEach(function (d) {
              var h = d.holiday;
              var w = d.worked;
              append(days, h
                ? el('tr', { 'data-testid': 'calendar-holiday' }, el('td', { text: h.from + (h.to !== h.from ? ' – ' + h.to : '') }),
                  el('td', {}, h.name, ' ', el('small', { text: h.nameEn || '' })), el('td', { text: '放假 Off' }))
                : el('tr', { 'data-testid': 'calendar-working-day' }, el('td', { text: w.date }),
                  el('td', {}, w.name, ' ', el('small', { text: w.nameEn || '' })), el('td', { text: '上班 Worked' })));
            });
          append(panel, el('section', { 'data-testid': 'calendar-year', 'data-year': String(y.year) },
            heading('h3', y.year + ' 年', String(y.year)),
            el('p', { class: 'muted' }, y.revision
              ? '市级发布 第 ' + y.revision + ' 版，' + (y.publishedBy || '') + ' ' + time(y.publishedAt) + ' '
              : '种子数据 ', el('small', { text: y.revision ? 'Published by the city, revision ' + y.revision : 'From the seeds' }),
              y.source ? el('br') : null, y.source ? el('span', { text: y.source }) : null),
            el('table', {}, th([['日期', 'Days'], ['名称', 'Name'], ['', '']]), days),
            y.revision ? calendarRevisions(unit, y.year) : null,
            publisher ? el('button', { type: 'button', 'data-testid': 'calendar-edit-year', onclick: function () {
              form.year.value = String(y.year);
              form.source.value = y.source || '';
              form.holidays.value = calendarLines(y.holidays, true);
              form.workingDays.value = calendarLines(y.workingDays, false);
              form.scrollIntoView();
            } }, '修改 ', el('small', { text: 'Edit' })) : null));
        });
        if (!publisher) { return; }
        var form = el('form', { id: 'calendar-form', 'data-testid': 'calendar-form', class: 'panel' },
          heading('h3', '发布节假日安排', 'Publish a year\'s holidays'),
          el('p', { class: 'muted' }, '按国务院办公厅的通知填写：每行一个假期「起 止 名称 English name」，每行一个调休上班日「日期 名称 English name」。发布后取代该年原有的安排；已算出的时限不变。 ',
            el('small', { text: 'As the State Council\'s notice sets them: one holiday a line "from to name English name", one make-up working day a line "date name English name". It replaces what the year listed; time limits computed before stay.' })),
          el('label', {}, '年份 Year ', el('input', { name: 'year', type: 'number', 'data-testid': 'calendar-year-input',
            value: String(coverage.nextYear || new Date().getFullYear() + 1), min: '2000', max: '9999' })),
          el('label', {}, '来源 Source ', el('input', { name: 'source', 'data-testid': 'calendar-source', size: '60',
            placeholder: '国务院办公厅关于…年部分节假日安排的通知（…）' })),
          el('label', {}, '放假 Holidays ', el('textarea', { name: 'holidays', 'data-testid': 'calendar-holidays', rows: '8', cols: '60',
            placeholder: '2027-01-01 2027-01-01 元旦 New Year\'s Day' })),
          el('label', {}, '调休上班 Make-up working days ', el('textarea', { name: 'workingDays', 'data-testid': 'calendar-working-days',
            rows: '5', cols: '60', placeholder: '2027-02-06 春节调休上班 Spring Festival make-up working day' })),
          el('button', { type: 'submit', 'data-testid': 'calendar-publish' }, '发布 ', el('small', { text: 'Publish' })));
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          var body = { source: form.source.value.trim() || null,
            holidays: parseCalendarLines(form.holidays.value, true),
            workingDays: parseCalendarLines(form.workingDays.value, false) };
          api('PUT', unitPath(unit.code) + '/calendar/' + encodeURIComponent(form.year.value.trim()), body)
            .then(function (year) { load(year); }).catch(shown);
        });
        append(panel, form);
      }).catch(function (failure) {
        panel.textContent = '';
        append(panel, el('p', { class: 'muted' }, '无法显示工作日历 ', el('small', { text: 'The working calendar cannot be shown' })));
        shown(failure);
      });
    }
    load();
  }

  // ---------- 6. the responsibility roster (责任清单) ----------

  function people(list) {
    return (list || []).join(', ');
  }

  function rosterPanel(unit, container) {
    var panel = el('div', { class: 'panel', id: 'roster-panel', 'data-testid': 'roster-panel' },
      heading('h2', '责任清单', 'Who answers for what'), el('p', { class: 'muted', text: '加载中… Loading…' }));
    append(container, panel);
    lookup(unit.code, 'roster').then(function (roster) {
      panel.textContent = '';
      function personRows(list, extra) {
        var body = el('tbody');
        (list || []).forEach(function (p) {
          append(body, el('tr', { 'data-testid': 'roster-person', 'data-username': p.username },
            el('td', {}, el('strong', { text: p.name || '' }), ' ', el('span', { class: 'code', text: p.username })),
            el('td', { text: (p.roles || []).join(', ') }),
            el('td', { class: 'code', text: p.unitCode || '' }),
            el('td', { text: extra(p) })));
        });
        if (!(list || []).length) { append(body, emptyRow(4, '无', 'None')); }
        return body;
      }
      var grids = el('tbody');
      (roster.grids || []).forEach(function (g) {
        append(grids, el('tr', { 'data-testid': 'roster-grid' },
          el('td', {}, (g.name || '') + ' ', el('span', { class: 'code', text: g.code })), el('td', { text: people(g.gridWorkers) })));
      });
      var departments = el('tbody');
      (roster.departments || []).forEach(function (d) {
        append(departments, el('tr', { 'data-testid': 'roster-department' },
          el('td', { class: 'code', text: d.department || '' }), el('td', { text: people(d.categories) }),
          el('td', { text: people(d.officers) || '—' })));
      });
      var personHead = th([['人员', 'Person'], ['角色', 'Roles'], ['所属单位', 'Unit'], ['职责', 'Duty']]);
      // each officer's work now (在办: to sign for, to handle, of which overdue), filled in when it has come
      var officerRows = personRows(roster.officers, function (p) { return [p.department, p.duty].filter(Boolean).join(' · '); });
      Array.prototype.forEach.call(officerRows.querySelectorAll('tr[data-username]'), function (row) {
        append(row, el('td', { 'data-testid': 'officer-workload' }));
      });
      // a supervisor of the unit hands an officer's work over to another (工作交接: each case a REASSIGN, 改派)
      var mayHandOver = claims().unit === unit.code && hasRole('SUPERVISOR') && (roster.officers || []).length > 1;
      var handedOver = el('p', { class: 'ok', 'data-testid': 'handover-done', role: 'status' });
      function handoverForm(from) {
        var to = el('select', { name: 'to', 'data-testid': 'handover-to', 'aria-label': '交接给 Hand over to' },
          el('option', { value: '', text: '交接给 Hand over to…' }));
        (roster.officers || []).forEach(function (o) {
          if (o.username !== from) { append(to, el('option', { value: o.username, text: (o.name || '') + ' ' + o.username })); }
        });
        var note = el('input', { name: 'note', 'data-testid': 'handover-note', maxlength: '4000',
          placeholder: '原因 Why', 'aria-label': '原因 Why' });
        var submit = el('button', { type: 'submit', class: 'secondary', 'data-testid': 'handover-submit' }, '交接 ',
          el('small', { text: 'Hand over' }));
        var form = el('form', { class: 'inline', 'data-testid': 'handover-form' }, to, note, submit);
        var sent = keyedRequests(); // the same handover sent again (its answer lost) reassigns nothing twice
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          if (!to.value || !note.value.trim()) {
            showError({ title: '需要交接对象和原因 An officer and a reason are required',
              detail: '请选择接手的专员并填写原因 — choose who takes the work over and say why' });
            return;
          }
          var body = { to: to.value, note: note.value.trim() };
          submit.disabled = true;
          api('POST', unitPath(unit.code) + '/todo/officers/' + encodeURIComponent(from) + '/handover', body,
            sent.headers(JSON.stringify(body) + from)).then(function (h) {
            sent.done();
            clearError();
            handedOver.textContent = '已交接 Handed over: ' + h.from + ' → ' + h.to + ' · ' + h.reassigned.length
              + ' 件改派 reassigned' + (h.left.length ? ' · ' + h.left.length + ' 件留待审批 left (a request waits)' : '')
              + (h.more ? ' · 还有更多 more: again' : '');
            refreshOfficers();
          }).catch(shown).then(function () { submit.disabled = false; });
        });
        return form;
      }
      // a supervisor of the unit marks an officer away from its work (请假, 离岗: nobody gives them work) and back (返岗)
      var mayMarkAway = claims().unit === unit.code && hasRole('SUPERVISOR');
      function absence(a) {
        return el('span', { class: a.awayNow ? 'badge' : 'muted', 'data-testid': 'officer-away',
            'data-away-now': String(a.awayNow) },
          (a.awayNow ? ' 离岗 ' : ' 将离岗 '), el('small', { text: a.awayNow ? 'away' : 'away from ' }),
          (a.awayNow ? '' : ' ' + time(a.from)) + (a.until ? ' 至 ' + time(a.until) : ' 至返岗') + ' · ' + a.reason
            + ' · ' + a.markedBy);
      }
      function awayForm(officer) {
        var until = dateTimeInput({ name: 'until', 'data-testid': 'away-until', 'aria-label': '离岗至 Away until' });
        var reason = el('input', { name: 'reason', maxlength: '1000', 'data-testid': 'away-reason',
          placeholder: '离岗原因 Why away', 'aria-label': '离岗原因 Why away' });
        var submit = el('button', { type: 'submit', class: 'secondary', 'data-testid': 'away-submit' }, '离岗 ',
          el('small', { text: 'Mark away' }));
        var form = el('form', { class: 'inline', 'data-testid': 'away-form' },
          el('label', {}, '至 ', el('small', { text: 'until (optional)' }), ' ', until), reason, submit);
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          if (!reason.value.trim()) {
            showError({ title: '需要离岗原因 A reason is required', detail: '请填写原因（请假、培训…） — say why they are away' });
            return;
          }
          var body = { reason: reason.value.trim() };
          if (instantOf(until)) { body.until = instantOf(until); }
          submit.disabled = true;
          api('PUT', unitPath(unit.code) + '/todo/officers/' + encodeURIComponent(officer) + '/away', body).then(function (a) {
            clearError();
            handedOver.textContent = '已标记离岗 Marked away: ' + a.officer + (a.until ? ' 至 until ' + time(a.until) : '');
            refreshOfficers();
          }).catch(shown).then(function () { submit.disabled = false; });
        });
        // folded until asked for: a row per officer stays one line
        return el('details', { class: 'away', 'data-testid': 'away' },
          el('summary', { 'data-testid': 'away-open' }, '离岗… ', el('small', { text: 'Mark away…' })), form);
      }
      function backButton(officer) {
        var back = el('button', { type: 'button', class: 'secondary', 'data-testid': 'away-back' }, '返岗 ',
          el('small', { text: 'Back at work' }));
        back.addEventListener('click', function () {
          back.disabled = true;
          api('DELETE', unitPath(unit.code) + '/todo/officers/' + encodeURIComponent(officer) + '/away').then(function () {
            clearError();
            handedOver.textContent = '已返岗 Back at work: ' + officer;
            refreshOfficers();
          }).catch(shown).then(function () { back.disabled = false; });
        });
        return back;
      }
      // the officers' workloads and the record of absences, again after a change to either
      function refreshOfficers() {
        loadWorkloads();
        loadAbsences();
      }
      function loadWorkloads() {
        api('GET', unitPath(unit.code) + '/todo/officers', undefined, { quiet: true }).then(function (loads) {
          (loads || []).forEach(function (l) {
            var row = officerRows.querySelector('tr[data-username="' + l.officer + '"]');
            var cell = row && row.querySelector('[data-testid=officer-workload]');
            if (!cell) { return; }
            cell.textContent = '';
            cell.setAttribute('data-workload', String(l.toSign + l.toHandle));
            row.setAttribute('data-away', String(!!(l.away && l.away.awayNow)));
            append(cell, TASKS.SIGN[0] + ' ' + l.toSign + ' · ' + TASKS.HANDLE[0] + ' ' + l.toHandle,
              l.overdue ? el('span', { class: 'overdue' }, ' · 超期 ' + l.overdue) : null,
              l.away ? absence(l.away) : null,
              mayMarkAway ? (l.away ? backButton(l.officer) : awayForm(l.officer)) : null,
              mayHandOver && l.toSign + l.toHandle > 0 ? handoverForm(l.officer) : null);
          });
        }, function () { /* the roster alone */ });
      }
      // the unit's record of absences (请假记录): every absence marked, the ended ones with how and by whom
      var absences = el('tbody', { 'data-testid': 'absence-record' });
      var ABSENCE_STATES = { AWAY: ['离岗中', 'away'], TO_COME: ['将离岗', 'to come'], OVER: ['已到期', 'ran out'],
        BACK: ['已返岗', 'marked back'], REPLACED: ['已改订', 'replaced'] };
      function loadAbsences() {
        api('GET', unitPath(unit.code) + '/todo/officers/absences', undefined, { quiet: true }).then(function (list) {
          absences.textContent = '';
          (list || []).forEach(function (a) {
            var state = ABSENCE_STATES[a.state] || [a.state, ''];
            append(absences, el('tr', { 'data-testid': 'absence', 'data-officer': a.officer, 'data-state': a.state },
              el('td', { class: 'code', text: a.officer }),
              el('td', { text: time(a.from) + ' – ' + (a.until ? time(a.until) : '返岗 back') }),
              el('td', { text: a.reason }),
              el('td', {}, state[0] + ' ', el('small', { text: state[1] }),
                a.endedAt ? el('small', { text: ' ' + time(a.endedAt) + ' · ' + (a.endedBy || '') }) : null),
              el('td', { class: 'code', text: a.markedBy })));
          });
          if (!(list || []).length) { append(absences, emptyRow(5, '无', 'None')); }
        }, function () { absences.closest('table').remove(); });
      }
      refreshOfficers();
      append(panel,
        heading('h2', '责任清单', 'Who answers for what'),
        heading('h3', '本级岗位', 'Posts'),
        el('table', { 'data-testid': 'roster-posts' }, personHead, personRows(roster.posts, function (p) {
          return [p.duty, p.grids && p.grids.length ? '网格 ' + people(p.grids) : null].filter(Boolean).join(' · ');
        })),
        (roster.grids || []).length ? [heading('h3', '网格', 'Grid cells'),
          el('table', { 'data-testid': 'roster-grids' }, th([['网格', 'Grid cell'], ['网格员', 'Grid workers']]), grids)] : null,
        heading('h3', '部门职责', 'Departments and their categories'),
        el('table', { 'data-testid': 'roster-departments' },
          th([['部门', 'Department'], ['默认类别', 'Categories'], ['服务本级的专员', 'Officers serving the unit']]), departments),
        heading('h3', '部门专员', 'Department officers (a dispatch may name one)'), handedOver,
        el('table', { 'data-testid': 'roster-officers' }, th([['人员', 'Person'], ['角色', 'Roles'], ['所属单位', 'Unit'], ['职责', 'Duty'],
          ['在办', 'Workload']]), officerRows),
        heading('h3', '请假记录', 'Absences from the unit\'s work'),
        el('table', { 'data-testid': 'absence-table' }, th([['人员', 'Officer'], ['时间', 'From – until'], ['原因', 'Why'],
          ['状态', 'State'], ['标记人', 'Marked by']]), absences),
        heading('h3', '分包领导', 'Leaders answering for the unit'),
        el('table', { 'data-testid': 'roster-leaders' }, th([['人员', 'Person'], ['角色', 'Roles'], ['所属单位', 'Unit'], ['职责', 'Duty']]),
          personRows(roster.leaders, function (p) { return p.duty || ''; })));
    }).catch(function (failure) {
      panel.textContent = '';
      append(panel, heading('h2', '责任清单', 'Who answers for what'),
        el('p', { class: 'muted' }, '无法显示 ', el('small', { text: 'Cannot be shown' })));
      shown(failure);
    });
  }

  // ---------- 6b. patrols (巡查) ----------

  /**
   * A community's patrols: a grid worker of the unit starts one in a cell of theirs, checks in at the point picked on
   * the grid map (or where the browser says they are) and ends it; whoever may read the unit sees the day's coverage
   * of its cells, its patrols with what each found, and each walk on the map.
   */
  function patrolsPanel(unit, container) {
    var base = unitPath(unit.code) + '/patrols';
    var day = el('input', { type: 'date', 'data-testid': 'patrol-day' });
    var summary = el('p', { 'data-testid': 'patrol-summary' });
    var coverage = el('tbody');
    var list = el('tbody');
    var mine = el('div', { class: 'panel', 'data-testid': 'my-patrol', hidden: true });
    var map = gridMap(unit, ['绿色：当日已巡查的网格；方块：打卡点，选中的巡查加粗。点击地图选定打卡位置。',
      'Green: cells patrolled that day; squares: check-ins, the chosen patrol bold. A click on the map picks where to check in.']);
    var isWorker = hasRole('GRID_WORKER') && claims().unit === unit.code;
    var current = null, pickedAt = null, chosen = null, shownPatrols = [];
    var steps = keyedRequests(); // a start, check-in or end sent again unchanged is applied once
    if (isWorker) {
      map.onPick(function (lat, lon) { pickedAt = { lat: lat, lon: lon }; renderMine(); });
    }
    var exportCsv = el('button', { type: 'button', 'data-testid': 'export-patrols-csv' }, '导出巡查台账 ',
      el('small', { text: 'Ledger (CSV)' }));
    exportCsv.addEventListener('click', function () {
      var query = day.value ? '&from=' + encodeURIComponent(day.value) + '&to=' + encodeURIComponent(day.value) : '';
      download(base + '/export?format=csv' + query, 'patrols-' + unit.code + '.csv').catch(shown);
    });
    append(container,
      el('div', { class: 'panel', 'data-testid': 'patrols-panel' },
        heading('h2', '网格巡查', 'Patrols'),
        el('label', {}, label(['日期', 'Day']), ' ', day), ' ', exportCsv, summary,
        el('table', { 'data-testid': 'patrol-coverage' }, th([['网格', 'Grid cell'], ['网格员', 'Grid workers'],
          ['巡查', 'Patrols'], ['时长(分)', 'Minutes'], ['打卡', 'Check-ins'], ['发现问题', 'Found'], ['最近', 'Latest']]),
          coverage)),
      mine, map.element,
      el('div', { class: 'panel' }, heading('h3', '巡查记录', 'The day\'s patrols'),
        el('table', { 'data-testid': 'patrol-list' }, th([['网格员', 'Patroller'], ['网格', 'Grid cell'],
          ['开始', 'Started'], ['结束', 'Ended'], ['时长(分)', 'Minutes'], ['里程(米)', 'Metres'], ['打卡', 'Check-ins'],
          ['发现问题', 'Found']]), list)));

    function load() {
      var query = day.value ? '?day=' + encodeURIComponent(day.value) : '';
      return Promise.all([api('GET', base + '/coverage' + query), api('GET', base + query),
        isWorker ? api('GET', base + '?underWay=true&patroller=' + encodeURIComponent(actor())) : null
      ]).then(function (loaded) {
        var cov = loaded[0];
        shownPatrols = loaded[1].patrols || [];
        if (!day.value) { day.value = cov.day; }
        summary.textContent = '';
        append(summary, '已巡查 ' + cov.patrolledCells + ' / ' + cov.cellCount + ' 个网格 ',
          el('small', { text: cov.patrolledCells + ' of ' + cov.cellCount + ' cells patrolled on ' + cov.day }));
        coverage.textContent = '';
        (cov.cells || []).forEach(function (c) {
          append(coverage, el('tr', { 'data-testid': 'coverage-cell', 'data-code': c.gridCode,
            'data-patrols': String(c.patrols), class: c.patrols ? null : 'unpatrolled' },
            el('td', {}, (c.name || '') + ' ', el('span', { class: 'code', text: c.gridCode })),
            el('td', { text: people(c.gridWorkers) || '—' }),
            el('td', {}, String(c.patrols), c.underWay ? el('small', { text: ' (' + c.underWay + ' 进行中 under way)' }) : null),
            el('td', { text: String(c.minutes) }), el('td', { text: String(c.checkIns) }),
            el('td', { text: String(c.findings) }), el('td', { text: c.lastAt ? time(c.lastAt) : '未巡查 not patrolled' })));
        });
        map.mark((cov.cells || []).filter(function (c) { return c.patrols > 0; }).map(function (c) { return c.gridCode; }));
        if (isWorker) {
          current = ((loaded[2] && loaded[2].patrols) || [])[0] || null;
        }
        renderList();
        renderMine();
      }).catch(shown);
    }

    function renderList() {
      list.textContent = '';
      shownPatrols.forEach(function (p) {
        var found = el('td', {});
        (p.findings || []).forEach(function (f, i) {
          append(found, i ? ', ' : null, el('a', { href: '#/units/' + unit.code + '/cases/' + encodeURIComponent(f.caseId),
            'data-testid': 'patrol-finding' }, f.title || f.caseId));
        });
        var row = el('tr', { 'data-testid': 'patrol-row', 'data-id': p.id, 'data-status': p.status,
          class: 'pickable' + (p.id === chosen ? ' chosen' : '') },
          el('td', {}, p.patrollerName || p.patroller, ' ', el('span', { class: 'code', text: p.patroller })),
          el('td', { class: 'code', text: p.gridCode }), el('td', { text: time(p.startedAt) }),
          el('td', { text: p.endedAt ? time(p.endedAt) : '进行中 under way' }), el('td', { text: String(p.minutes) }),
          el('td', { text: String(p.distanceMetres) }),
          el('td', { text: p.checkIns + (p.outsideCell ? ' (' + p.outsideCell + ' 格外 outside)' : '') }), found);
        row.addEventListener('click', function (event) {
          if (event.target.closest('a')) { return; }
          chosen = chosen === p.id ? null : p.id;
          renderList();
        });
        append(list, row);
      });
      if (!shownPatrols.length) { append(list, emptyRow(8, '当日无巡查', 'No patrols that day')); }
      map.tracks(shownPatrols.map(function (p) { return { id: p.id, points: p.points, chosen: p.id === chosen }; }));
    }

    function send(path, body, what) {
      return api('POST', path, body, steps.headers(what, JSON.stringify(body))).then(function (answer) {
        steps.done();
        clearError();
        return answer;
      });
    }

    function renderMine() {
      if (!isWorker) { return; }
      mine.hidden = false;
      mine.textContent = '';
      var note = el('input', { type: 'text', maxlength: '4000', 'data-testid': 'patrol-note', placeholder: '备注 Note' });
      if (!current) {
        var cells = el('select', { 'data-testid': 'patrol-cell' });
        (unit.gridCells || []).filter(function (c) { return (claims().grids || []).indexOf(c.code) >= 0; })
          .forEach(function (c) { append(cells, el('option', { value: c.code }, c.name + ' ' + c.code)); });
        var startButton = el('button', { type: 'button', 'data-testid': 'patrol-start' }, '开始巡查 ', el('small', { text: 'Start a patrol' }));
        startButton.addEventListener('click', function () {
          startButton.disabled = true;
          send(base, { gridCode: cells.value, note: note.value.trim() || null }, 'start').then(function (p) {
            current = p;
            return load();
          }).catch(shown).then(function () { startButton.disabled = false; });
        });
        append(mine, heading('h3', '我的巡查', 'My patrol'), el('label', {}, label(['网格', 'Grid cell']), ' ', cells),
          ' ', note, ' ', startButton);
        return;
      }
      var where = el('span', { 'data-testid': 'patrol-picked' }, pickedAt ? pickedAt.lat + ', ' + pickedAt.lon
        : '在地图上点选位置，或使用当前定位 (pick a point on the map, or your location)');
      var checkIn = el('button', { type: 'button', 'data-testid': 'patrol-check-in' }, '打卡 ', el('small', { text: 'Check in' }));
      var end = el('button', { type: 'button', 'data-testid': 'patrol-end' }, '结束巡查 ', el('small', { text: 'End the patrol' }));
      checkIn.addEventListener('click', function () {
        checkIn.disabled = true;
        here().then(function (at) {
          return send(base + '/' + current.id + '/check-ins', { lat: at.lat, lon: at.lon, note: note.value.trim() || null },
            'check-in');
        }).then(function () { pickedAt = null; return load(); }).catch(shown).then(function () { checkIn.disabled = false; });
      });
      end.addEventListener('click', function () {
        end.disabled = true;
        send(base + '/' + current.id + '/end', { note: note.value.trim() || null }, 'end').then(function () {
          current = null;
          return load();
        }).catch(shown).then(function () { end.disabled = false; });
      });
      append(mine, heading('h3', '我的巡查', 'My patrol'),
        el('p', { 'data-testid': 'patrol-under-way', 'data-id': current.id }, '巡查中：网格 ', el('span', { class: 'code', text: current.gridCode }),
          '，' + time(current.startedAt) + ' 起，已打卡 ' + current.checkIns + ' 次 ',
          el('small', { text: 'Under way since ' + time(current.startedAt) + ', ' + current.checkIns + ' check-ins' })),
        el('p', {}, label(['打卡位置', 'Check in at']), ' ', where), note, ' ', checkIn, ' ', end);
    }

    /** Where to check in: the point picked on the map, else the browser's location. */
    function here() {
      if (pickedAt) { return Promise.resolve(pickedAt); }
      function refused(zh, en) {
        var problem = { title: '无法打卡 Cannot check in', detail: zh + ' (' + en + ')' };
        showError(problem);
        return new ApiError(problem, 0);
      }
      return new Promise(function (resolve, reject) {
        if (!navigator.geolocation) {
          reject(refused('请先在地图上点选打卡位置', 'pick the point on the map first'));
          return;
        }
        navigator.geolocation.getCurrentPosition(function (position) {
          resolve({ lat: Number(position.coords.latitude.toFixed(6)), lon: Number(position.coords.longitude.toFixed(6)) });
        }, function () {
          reject(refused('无法获取当前位置，请在地图上点选', 'the browser gave no location: pick the point on the map'));
        }, { timeout: 10000 });
      });
    }

    day.addEventListener('change', function () { chosen = null; load(); });
    load();
  }

  // ---------- 7. figures and assessment (统计考核) ----------

  function count(map, key) {
    return map && map[key] !== undefined && map[key] !== null ? map[key] : 0;
  }

  function rate(key, value) {
    if (value === null || value === undefined) { return '—'; }
    return key === 'averageHoursToClose' ? (Math.round(value * 10) / 10) + ' h' : percent(value);
  }

  function freshness(child) {
    if (!child.reportedAt) {
      return el('span', { class: 'stale', 'data-testid': 'child-stale' }, '从未上报 ', el('small', { text: 'never reported' }));
    }
    var ago = age(child.ageSeconds) + ' 前 ago';
    return child.stale
      ? el('span', { class: 'stale', 'data-testid': 'child-stale' }, '⚠ 数据过期 ', el('small', { text: 'stale' }), ' · ' + ago)
      : el('span', { class: 'fresh', 'data-testid': 'child-fresh' }, '最新 ', el('small', { text: 'fresh' }), ' · ' + ago);
  }

  function statsPanel(unit, container) {
    var from = el('input', { type: 'date', name: 'from', 'data-testid': 'stats-from' });
    var to = el('input', { type: 'date', name: 'to', 'data-testid': 'stats-to' });
    var load = el('button', { type: 'submit', 'data-testid': 'stats-load' }, '查询 ', el('small', { text: 'Show' }));
    var csv = el('button', { type: 'button', class: 'secondary', 'data-testid': 'stats-csv' }, '导出 CSV ', el('small', { text: 'Download' }));
    var controls = el('form', { class: 'filters', 'data-testid': 'stats-form' },
      el('label', {}, label(['自', 'From']), from), el('label', {}, label(['至', 'To']), to), load, csv);
    var figures = el('div', { id: 'stats-figures', 'data-testid': 'stats-figures' });
    var children = el('div', { id: 'stats-children', 'data-testid': 'stats-children' });

    var now = new Date();
    var month = el('input', { type: 'month', name: 'period', 'data-testid': 'assessment-period',
      value: now.getFullYear() + '-' + ('0' + (now.getMonth() + 1)).slice(-2) });
    var assess = el('button', { type: 'submit', 'data-testid': 'assessment-load' }, '考核 ', el('small', { text: 'Assess' }));
    var assessCsv = el('button', { type: 'button', class: 'secondary', 'data-testid': 'assessment-csv' }, '导出 CSV ', el('small', { text: 'Download' }));
    var assessForm = el('form', { class: 'filters', 'data-testid': 'assessment-form' },
      el('label', {}, label(['月份', 'Month (YYYY-MM)']), month), assess, assessCsv);
    var ranking = el('div', { id: 'assessment', 'data-testid': 'assessment' });

    function statsQuery(format) {
      var query = new URLSearchParams();
      if (from.value) { query.set('from', from.value); }
      if (to.value) { query.set('to', to.value); }
      if (format) { query.set('format', format); }
      var text = query.toString();
      return unitPath(unit.code) + '/stats' + (text ? '?' + text : '');
    }

    function assessmentQuery(format) {
      var query = new URLSearchParams();
      if (month.value) { query.set('period', month.value); }
      if (format) { query.set('format', format); }
      return unitPath(unit.code) + '/assessment?' + query.toString();
    }

    function showStats(view) {
      figures.textContent = '';
      children.textContent = '';
      var subtree = view.figures || {};
      var own = view.own || {};
      var counts = el('tbody');
      COUNTERS.forEach(function (c) {
        append(counts, el('tr', { 'data-testid': 'figure-' + c[0] },
          el('td', {}, c[1] + ' ', el('small', { text: c[2] })),
          el('td', { class: 'num', text: String(count(subtree.counts, c[0])) }),
          el('td', { class: 'num', text: String(count(own.counts, c[0])) })));
      });
      var rates = el('tbody');
      RATES.forEach(function (r) {
        append(rates, el('tr', { 'data-testid': 'rate-' + r[0] },
          el('td', {}, r[1] + ' ', el('small', { text: r[2] })),
          el('td', { class: 'num', text: rate(r[0], (subtree.rates || {})[r[0]]) }),
          el('td', { class: 'num', text: rate(r[0], (own.rates || {})[r[0]]) })));
      });
      var current = el('ul', { class: 'plain', 'data-testid': 'stats-current' });
      Object.keys(view.current || {}).sort().forEach(function (key) {
        var status = key.indexOf('status.') === 0 ? key.substring(7) : null;
        append(current, el('li', {}, status ? label(STATUSES[status], status)
          : key === 'overdueNow' ? label(['当前超期', 'Overdue now'])
          : key === 'gridCells' ? label(['网格数', 'Grid cells']) : el('span', { text: key }), ': ',
          el('strong', { text: String(view.current[key]) })));
      });
      if (!Object.keys(view.current || {}).length) { append(current, el('li', { class: 'muted', text: '—' })); }
      var categories = Object.keys(subtree.counts || {}).filter(function (k) { return k.indexOf('category.') === 0; }).sort();
      append(figures,
        el('p', { class: 'muted', 'data-testid': 'stats-range' }, view.name + ' ' + view.unit + ' · ' + view.from + ' — ' + view.to
          + ' · ', el('small', { text: 'as of ' + time(view.asOf) })),
        el('div', { class: 'columns' },
          el('table', { 'data-testid': 'stats-counts' }, th([['计数', 'Count'], ['辖区合计', 'Subtree'], ['本级', 'Own']]), counts),
          el('div', {},
            el('table', { 'data-testid': 'stats-rates' }, th([['比率', 'Rate'], ['辖区', 'Subtree'], ['本级', 'Own']]), rates),
            heading('h3', '当前在办', 'Now held, by status'), current,
            categories.length ? [heading('h3', '按类别新报', 'Reported by category'),
              el('ul', { class: 'plain', 'data-testid': 'stats-categories' }, categories.map(function (k) {
                return el('li', {}, el('span', { class: 'code', text: k.substring(9) }), ': ', el('strong', { text: String(subtree.counts[k]) }));
              }))] : null)));

      var rows = el('tbody');
      (view.children || []).forEach(function (c) {
        var f = c.figures || {};
        append(rows, el('tr', { 'data-testid': 'stats-child', 'data-code': c.code, class: c.stale ? 'stale-row' : null },
          el('td', {}, el('a', { href: '#/units/' + c.code + '/stats', text: c.name || c.code }), ' ', el('span', { class: 'code', text: c.code })),
          el('td', {}, freshness(c), c.reportedAt ? el('div', {}, el('small', { text: time(c.reportedAt) })) : null),
          el('td', { class: 'num', text: c.figures ? String(count(f.counts, 'reported')) : '—' }),
          el('td', { class: 'num', text: c.figures ? String(count(f.counts, 'resolved')) : '—' }),
          el('td', { class: 'num', text: c.figures ? String(count(f.counts, 'overdue')) : '—' }),
          el('td', { class: 'num', text: c.current ? String(count(c.current, 'overdueNow')) : '—' }),
          el('td', { class: 'num', text: rate('handlingRate', (f.rates || {}).handlingRate) }),
          el('td', { class: 'num', text: rate('onTimeRate', (f.rates || {}).onTimeRate) }),
          el('td', { class: 'num', 'data-testid': 'child-patrol-coverage', text: rate('patrolCoverage', (f.rates || {}).patrolCoverage) })));
      });
      if (!(view.children || []).length) { append(rows, emptyRow(9, '无下级单位', 'No child units')); }
      append(children, el('table', { 'data-testid': 'stats-children-table' },
        th([['下级单位', 'Child unit'], ['上报情况', 'Last report'], ['新报', 'Reported'], ['处置', 'Resolved'],
          ['超期', 'Overdue'], ['当前超期', 'Overdue now'], ['处置率', 'Handling'], ['按期率', 'On time'],
          ['巡查覆盖率', 'Patrol coverage']]), rows));
    }

    function showAssessment(view) {
      ranking.textContent = '';
      var rows = el('tbody');
      (view.ranking || []).forEach(function (r) {
        append(rows, el('tr', { 'data-testid': 'assessment-row', 'data-code': r.code, class: 'band-' + String(r.band).toLowerCase() },
          el('td', { class: 'num', text: r.rank ? String(r.rank) : '—' }),
          el('td', {}, (r.name || '') + ' ', el('span', { class: 'code', text: r.code })),
          el('td', { class: 'num', text: r.score === null || r.score === undefined ? '—' : r.score.toFixed(1) }),
          el('td', { class: 'band' }, label(BANDS[r.band], r.band)),
          el('td', {}, el('small', { text: (r.terms || []).map(function (t) {
            return t.label + ' ' + percent(t.value) + ' × ' + t.weight + ' = ' + t.points;
          }).join(' · ') }))));
      });
      if (!(view.ranking || []).length) { append(rows, emptyRow(5, '无参评单位', 'Nothing to assess')); }
      append(ranking,
        el('p', { class: 'muted', 'data-testid': 'assessment-period-shown' }, view.period + ' (' + view.from + ' — ' + view.to + ') · ',
          view.entrants === 'gridCells' ? label(['参评：网格', 'entrants: grid cells']) : label(['参评：下级单位', 'entrants: child units'])),
        el('table', { 'data-testid': 'assessment-table' },
          th([['名次', 'Rank'], ['单位', 'Entrant'], ['得分', 'Score'], ['等次', 'Band'], ['得分项', 'Terms']]), rows),
        el('p', {}, el('small', { text: view.formula || '' })),
        el('p', {}, el('small', { text: [view.tieRule, view.bandRule].filter(Boolean).join('; ') })));
    }

    function loadStats() {
      return api('GET', statsQuery()).then(showStats);
    }

    function loadAssessment() {
      return api('GET', assessmentQuery()).then(showAssessment);
    }

    controls.addEventListener('submit', function (event) { event.preventDefault(); clearError(); loadStats().catch(shown); });
    csv.addEventListener('click', function () {
      download(statsQuery('csv'), 'stats-' + unit.code + '.csv').then(clearError).catch(shown);
    });
    assessForm.addEventListener('submit', function (event) { event.preventDefault(); clearError(); loadAssessment().catch(shown); });
    assessCsv.addEventListener('click', function () {
      download(assessmentQuery('csv'), 'assessment-' + unit.code + '-' + month.value + '.csv').then(clearError).catch(shown);
    });

    append(container,
      el('div', { class: 'panel', id: 'stats-panel', 'data-testid': 'stats-panel' },
        heading('h2', '统计', 'Figures of the unit\'s subtree'), controls, figures),
      el('div', { class: 'panel', id: 'stats-children-panel' },
        heading('h2', '下级单位上报', 'Child units as they reported'), children),
      el('div', { class: 'panel', id: 'assessment-panel', 'data-testid': 'assessment-panel' },
        heading('h2', '考核排名', 'Assessment'), assessForm, ranking));
    loadStats().catch(shown);
    loadAssessment().catch(shown);
  }

  window.addEventListener('hashchange', route);
  loadPlatform().catch(shown);
  finishLogin().then(function () {
    showUser();
    route();
  });
}());
