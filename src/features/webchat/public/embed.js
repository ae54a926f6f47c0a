/*
 * Kefu web chat embed: one <script> tag on a shop's page gives a floating "chat with us" button and a
 * chat panel running Microsoft Web Chat against the bot's own Direct Line endpoint.
 *
 *   <script src="https://bot.example/webchat/embed.js" data-locale="zh-CN"
 *           data-identity-endpoint="/my/identity-token" data-primary-color="#e4393c" async></script>
 *
 * Options (data-*): locale (zh-CN | en-US; default: the page's lang), identity-endpoint (a URL on the
 * shop's site answering POST with {"token": "<signed identity>"} for a signed-in customer, or 204/401
 * for a guest), primary-color (#rgb / #rrggbb), title (panel title), open ("true": open at load).
 * API: window.KefuChat.open(), .close(), .restart() (after the customer signed in or out: the open
 * conversation's sign-in ends, a new conversation starts), .signOut() (ends it, keeps the conversation).
 * Strings come from the bot's locale files; the server fills in CONFIG when it serves this file.
 */
(function () {
  'use strict';
  var CONFIG = /*__KEFU_CONFIG__*/ null;
  if (!CONFIG || window.KefuChat) return;

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var botOrigin = new URL(script ? script.src : location.href, location.href).origin;

  function pickLocale(wanted) {
    var w = String(wanted || '').toLowerCase();
    for (var i = 0; i < CONFIG.locales.length; i++) {
      if (w && CONFIG.locales[i].toLowerCase().slice(0, 2) === w.slice(0, 2)) return CONFIG.locales[i];
    }
    return CONFIG.defaultLocale;
  }
  var locale = pickLocale(data.locale || document.documentElement.lang || navigator.language);
  var strings = CONFIG.strings[locale];
  var color = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(data.primaryColor || '') ? data.primaryColor : '#e4393c';
  var title = data.title || strings.title;

  var css =
    '.kefu-launcher{position:fixed;right:24px;bottom:24px;z-index:2147483000;display:flex;align-items:center;gap:8px;' +
    'padding:12px 18px;border:0;border-radius:28px;background:var(--kefu-color);color:#fff;font:600 15px/1.2 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;' +
    'box-shadow:0 6px 20px rgba(0,0,0,.25);cursor:pointer}' +
    '.kefu-launcher:focus-visible{outline:3px solid #222;outline-offset:2px}' +
    '.kefu-launcher svg{width:22px;height:22px;fill:currentColor}' +
    '.kefu-panel{position:fixed;right:24px;bottom:24px;z-index:2147483001;width:380px;max-width:calc(100vw - 32px);height:600px;max-height:calc(100vh - 48px);' +
    'display:none;flex-direction:column;background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.28);' +
    'font:14px/1.4 system-ui,"PingFang SC","Microsoft YaHei",sans-serif}' +
    '.kefu-panel.kefu-open{display:flex}' +
    '.kefu-header{display:flex;align-items:center;gap:10px;padding:14px 16px;background:var(--kefu-color);color:#fff}' +
    '.kefu-header .kefu-avatar{width:34px;height:34px;border-radius:50%;background:rgba(255,255,255,.22);display:flex;align-items:center;justify-content:center}' +
    '.kefu-header .kefu-avatar svg{width:20px;height:20px;fill:#fff}' +
    '.kefu-header .kefu-titles{flex:1;min-width:0}' +
    '.kefu-header .kefu-title{font-weight:700;font-size:16px}' +
    '.kefu-header .kefu-subtitle{font-size:12px;opacity:.9;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}' +
    '.kefu-close{border:0;background:transparent;color:#fff;font-size:24px;line-height:1;cursor:pointer;padding:4px 8px;border-radius:6px}' +
    '.kefu-close:hover{background:rgba(255,255,255,.18)}' +
    '.kefu-body{flex:1;min-height:0;position:relative;background:#f5f5f7}' +
    '.kefu-body>.kefu-webchat{position:absolute;inset:0}' +
    '.kefu-status{position:absolute;inset:0;display:flex;flex-direction:column;gap:12px;align-items:center;justify-content:center;color:#555;padding:24px;text-align:center}' +
    '.kefu-status button{border:1px solid var(--kefu-color);color:var(--kefu-color);background:#fff;border-radius:16px;padding:6px 16px;cursor:pointer}' +
    // A card's fact labels ("状态", "发货时间") break only at spaces: Chinese may break between any two characters, and the label column shrank to one character a line.
    '.kefu-panel .ac-fact-title{word-break:keep-all;white-space:nowrap}' +
    '@media (max-width:480px){.kefu-panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100vh;max-height:100vh;border-radius:0}}';

  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3C6.5 3 2 6.6 2 11c0 2.4 1.3 4.6 3.5 6.1L5 21l4.1-2.3c.9.2 1.9.3 2.9.3 5.5 0 10-3.6 10-8s-4.5-8-10-8zm-4 9.3a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6zm4 0a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6zm4 0a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6z"/></svg>';

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  var style = el('style');
  style.textContent = css;
  document.head.appendChild(style);

  var root = el('div', 'kefu-root');
  root.style.setProperty('--kefu-color', color);
  root.lang = locale;

  var launcher = el('button', 'kefu-launcher');
  launcher.type = 'button';
  launcher.innerHTML = ICON;
  launcher.appendChild(el('span', null, strings.launcher));
  launcher.setAttribute('aria-haspopup', 'dialog');

  var panel = el('section', 'kefu-panel');
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', title);
  var header = el('header', 'kefu-header');
  var avatar = el('div', 'kefu-avatar');
  avatar.innerHTML = ICON;
  var titles = el('div', 'kefu-titles');
  titles.appendChild(el('div', 'kefu-title', title));
  titles.appendChild(el('div', 'kefu-subtitle', strings.subtitle));
  var close = el('button', 'kefu-close', '\u00d7');
  close.type = 'button';
  close.setAttribute('aria-label', strings.close);
  header.appendChild(avatar);
  header.appendChild(titles);
  header.appendChild(close);
  var body = el('div', 'kefu-body');
  panel.appendChild(header);
  panel.appendChild(body);
  root.appendChild(launcher);
  root.appendChild(panel);

  function mount() {
    document.body.appendChild(root);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  /*
   * Chinese (and Japanese, Korean) input methods: the Enter that confirms a composition must not send.
   * Web Chat 4.18 sends on keypress/submit without looking at isComposing, so we stop Enter here, in the
   * capture phase, while a composition is active (isComposing, keyCode 229, or just ended: Safari sends
   * compositionend before the Enter's keydown).
   */
  var composing = false;
  var justComposed = false;
  body.addEventListener('compositionstart', function () { composing = true; }, true);
  body.addEventListener('compositionend', function () {
    composing = false;
    justComposed = true;
    setTimeout(function () { justComposed = false; }, 0);
  }, true);
  function imeEnter(e) {
    return (e.key === 'Enter' || e.keyCode === 13 || e.keyCode === 229) && (e.isComposing || e.keyCode === 229 || composing || justComposed);
  }
  var blockedUntil = 0;
  function guard(e) {
    if (!imeEnter(e)) return;
    blockedUntil = Date.now() + 50;
    e.stopImmediatePropagation();
    if (e.type === 'keypress') e.preventDefault();
  }
  body.addEventListener('keydown', guard, true);
  body.addEventListener('keypress', guard, true);
  body.addEventListener('submit', function (e) {
    if (composing || Date.now() < blockedUntil) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  var webChatLoaded;
  function loadWebChat() {
    if (window.WebChat) return Promise.resolve();
    webChatLoaded = webChatLoaded || new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = botOrigin + CONFIG.webchatPath;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { webChatLoaded = undefined; reject(new Error('webchat.js failed to load')); };
      document.head.appendChild(s);
    });
    return webChatLoaded;
  }

  function identityToken() {
    if (!data.identityEndpoint) return Promise.resolve(undefined);
    return fetch(data.identityEndpoint, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (res) {
      if (res.status !== 200) return undefined;
      return res.json().then(function (j) { return j && typeof j.token === 'string' ? j.token : undefined; });
    });
  }

  function newToken() {
    return identityToken().then(function (identity) {
      return fetch(botOrigin + '/webchat/api/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ identityToken: identity, locale: locale })
      });
    }).then(function (res) {
      if (!res.ok) throw new Error('token ' + res.status);
      return res.json();
    });
  }

  // The open conversation, kept for this browser tab: a reload (or the server restarting) reopens it,
  // with its history, instead of starting over. restart() (a sign-in or sign-out) forgets it.
  var SAVED = 'kefu.chat.v1';
  function saved() {
    try {
      var s = JSON.parse(window.sessionStorage.getItem(SAVED) || 'null');
      return s && typeof s.conversationId === 'string' && typeof s.token === 'string' && s.origin === botOrigin ? s : null;
    } catch {
      return null;
    }
  }
  function save(conversationId, token) {
    try {
      var open = panel.classList.contains('kefu-open');
      window.sessionStorage.setItem(SAVED, JSON.stringify({ conversationId: conversationId, token: token, origin: botOrigin, open: open }));
    } catch {
      /* storage may be off: the chat still works, it just starts over after a reload */
    }
  }
  function forget() {
    try {
      window.sessionStorage.removeItem(SAVED);
    } catch {
      /* nothing kept */
    }
  }
  /** The saved conversation's token, refreshed (it may have expired while the tab was away); else a new conversation's. */
  function chatToken(fresh) {
    var kept = !fresh && saved();
    if (!kept) return newToken();
    return fetch(botOrigin + '/v3/directline/tokens/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + kept.token },
      body: '{}'
    }).then(function (res) {
      if (!res.ok) throw new Error('refresh ' + res.status);
      return res.json();
    }).then(function (j) {
      return { token: j.token, conversationId: kept.conversationId, resumed: true };
    }).catch(function () {
      forget();
      return newToken();
    });
  }

  function status(text, withRetry) {
    body.querySelectorAll('.kefu-status').forEach(function (n) { n.remove(); });
    if (!text) return;
    var box = el('div', 'kefu-status');
    box.setAttribute('role', 'status');
    box.appendChild(el('div', null, text));
    if (withRetry) {
      var b = el('button', null, strings.retry);
      b.type = 'button';
      b.addEventListener('click', function () { start(true); });
      box.appendChild(b);
    }
    body.appendChild(box);
  }

  var directLine;
  var container;
  var starting;
  var keeper;
  function start(fresh) {
    if (starting) return starting;
    if (directLine) directLine.end();
    directLine = undefined;
    if (keeper) clearInterval(keeper);
    if (container) container.remove();
    status(strings.connecting);
    starting = Promise.all([loadWebChat(), chatToken(fresh)]).then(function (results) {
      var t = results[1];
      container = el('div', 'kefu-webchat');
      body.appendChild(container);
      directLine = window.WebChat.createDirectLine({
        token: t.token,
        // A resumed conversation reconnects (GET /conversations/{id}) and gets its history again.
        conversationId: t.resumed ? t.conversationId : undefined,
        domain: botOrigin + '/v3/directline',
        conversationStartProperties: { locale: locale }
      });
      var line = directLine;
      save(t.conversationId, t.token);
      // Direct Line refreshes its token every 15 minutes: keep the latest for the next reload.
      keeper = setInterval(function () { if (line.token) save(t.conversationId, line.token); }, 30000);
      window.addEventListener('pagehide', function () { if (line === directLine && line.token) save(t.conversationId, line.token); });
      window.WebChat.renderWebChat({
        directLine: directLine,
        locale: locale,
        // The customer's typing reaches an agent who serves the chat (the bot ignores it; nothing is stored).
        sendTypingIndicator: true,
        styleOptions: {
          accent: color,
          bubbleFromUserBackground: color,
          bubbleFromUserTextColor: '#fff',
          bubbleFromUserBorderRadius: 12,
          bubbleBorderRadius: 12,
          bubbleBorderWidth: 0,
          backgroundColor: '#f5f5f7',
          suggestedActionBorderColor: color,
          suggestedActionTextColor: color,
          suggestedActionBorderRadius: 16,
          suggestedActionLayout: 'carousel',
          hideUploadButton: false,
          uploadAccept: 'image/png,image/jpeg,image/gif,image/webp',
          uploadMultiple: false,
          sendBoxButtonColor: color,
          primaryFont: 'system-ui, "PingFang SC", "Microsoft YaHei", sans-serif'
        }
      }, container);
      status('');
      root.setAttribute('data-conversation-id', t.conversationId);
    }).catch(function () {
      status(strings.connectFailed, true);
    }).then(function () { starting = undefined; });
    return starting;
  }

  function open() {
    panel.classList.add('kefu-open');
    launcher.style.display = 'none';
    launcher.setAttribute('aria-expanded', 'true');
    if (!directLine && !starting) start();
    var kept = saved();
    if (kept && directLine) save(kept.conversationId, directLine.token || kept.token);
    var input = body.querySelector('input[data-id="webchat-sendbox-input"],textarea[data-id="webchat-sendbox-input"]');
    if (input) input.focus();
  }
  function closePanel() {
    panel.classList.remove('kefu-open');
    var kept = saved();
    if (kept && directLine) save(kept.conversationId, directLine.token || kept.token);
    launcher.style.display = '';
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }
  launcher.addEventListener('click', open);
  close.addEventListener('click', closePanel);
  panel.addEventListener('keydown', function (e) { if (e.key === 'Escape') closePanel(); });

  /** Ends the open conversation's shop sign-in at the bot (the customer signed out, or changes account). */
  function signOut() {
    var kept = saved();
    var token = (directLine && directLine.token) || (kept && kept.token);
    if (!token) return Promise.resolve();
    return fetch(botOrigin + '/webchat/api/signout', { method: 'POST', headers: { Authorization: 'Bearer ' + token } }).then(
      function () {},
      function () {}
    );
  }

  window.KefuChat = {
    open: open,
    close: closePanel,
    signOut: signOut,
    /** Ends the open conversation's sign-in and starts a new conversation (after the customer signed in or out); opens the panel if it was open. */
    restart: function () {
      return signOut().then(function () {
        forget();
        if (directLine || starting || panel.classList.contains('kefu-open')) return start(true);
        return undefined;
      });
    },
    locale: locale
  };
  var kept = saved();
  if (data.open === 'true' || (kept && kept.open)) open();
})();
