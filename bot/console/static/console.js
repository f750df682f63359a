// The staff console page. No framework, no inline script (the CSP forbids it) and no English here: every text comes
// from GET /api/texts (content/staff/console.yml) by key. Everything she or staff wrote is put on the page with
// textContent only, never as HTML, and shown with dir="auto" so Arabic, Farsi and Urdu read right to left.
"use strict";

(function () {
  const POLL_MS = 3000;
  let T = {};          // key -> text
  let me = null;       // GET /api/me, once logged in
  let route = { page: "login", id: null };
  let busy = false;    // a refresh is in flight: skip the next tick rather than pile up requests
  let again = false;   // ... but not a refresh the user asked for (a new page, a filter): that one runs next
  let lastQueue = "";  // JSON of the last rendering, to redraw only on change
  let lastConversation = "";
  let conversation = null;

  const $ = (id) => document.getElementById(id);

  function t(key, values) {
    let text = Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  // A new element; `text` is set with textContent (never innerHTML).
  function el(tag, options, children) {
    const node = document.createElement(tag);
    const o = options || {};
    if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
    if (o.cls) node.className = o.cls;
    if (o.dir) node.dir = o.dir;
    if (o.lang) node.lang = o.lang;
    if (o.href) node.href = o.href;
    if (o.title) node.title = o.title;
    for (const [name, value] of Object.entries(o.data || {})) node.dataset[name] = String(value);
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function when(iso) {
    if (!iso) return "";
    const options = { dateStyle: "short", timeStyle: "short" };
    if (me && me.timezone) options.timeZone = me.timezone;
    try {
      return new Intl.DateTimeFormat(t("time.locale"), options).format(new Date(iso));
    } catch (error) {
      return new Date(iso).toISOString();
    }
  }

  class ApiFailure extends Error {
    constructor(status, code, message) {
      super(code);
      this.status = status;
      this.code = code;
      this.detail = message || "";
    }
  }

  async function api(method, path, body, poll) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && me) headers["X-CSRF-Token"] = me.csrf_token;
    if (poll) headers["X-Doula-Poll"] = "1";  // background refresh: does not keep an idle session alive
    let reply;
    try {
      reply = await fetch(path, {
        method: method, headers: headers, credentials: "same-origin", cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      banner(t("error.network"));
      throw new ApiFailure(0, "network");
    }
    let data = null;
    try {
      data = await reply.json();
    } catch (error) {
      data = null;
    }
    if (reply.status === 401 && path !== "/login") {
      loggedOut(me ? t("login.expired") : "");  // only say "session ended" to someone who was logged in
      throw new ApiFailure(401, "login_required");
    }
    if (!reply.ok) throw new ApiFailure(reply.status, (data && data.error) || "error", data && data.message);
    banner("");
    return data;
  }

  function errorText(failure) {
    const code = failure.code || "error";
    if (code === "not_allowed") return t("error.not_allowed", { message: failure.detail });
    if (code === "text_too_long") return t("error.text_too_long", { max: me ? me.max_text : 2000 });
    const key = "error." + code;
    return Object.prototype.hasOwnProperty.call(T, key) ? t(key) : t("error.generic", { code: code });
  }

  function banner(text) {
    $("banner").textContent = text;
    show($("banner"), Boolean(text));
  }

  function say(node, text) {
    node.textContent = text || "";
    show(node, Boolean(text));
  }

  // -- login -----------------------------------------------------------------------------------------------------
  function loggedOut(message) {
    me = null;
    conversation = null;
    lastQueue = lastConversation = "";
    show($("who"), false);
    show($("tabs"), false);
    showView("login");
    say($("login-error"), message || "");
    $("login-password").value = "";
  }

  async function loadMe() {
    me = await api("GET", "/api/me");
    $("who-name").textContent = t("header.user", { name: me.display_name, role: t("role." + me.role) });
    show($("who"), true);
    show($("tabs"), true);
    for (const link of document.querySelectorAll("#tabs a")) show(link, me.pages.includes(link.dataset.page));
    const select = $("filter-language");
    while (select.options.length > 1) select.remove(1);
    for (const language of me.filter_languages) {
      const option = el("option", { text: language.name + " (" + language.code + ")" });
      option.value = language.code;
      select.appendChild(option);
    }
  }

  async function login(event) {
    event.preventDefault();
    say($("login-error"), "");
    try {
      await api("POST", "/login", { username: $("login-username").value, password: $("login-password").value });
    } catch (failure) {
      say($("login-error"), failure.code === "login_failed" ? t("login.failed") : errorText(failure));
      return;
    }
    $("login-password").value = "";
    await loadMe();
    navigate();
  }

  async function logout() {
    try {
      await api("POST", "/logout", {});
    } finally {
      loggedOut("");
    }
  }

  // -- routing ---------------------------------------------------------------------------------------------------
  function showView(name) {
    for (const view of document.querySelectorAll(".view")) show(view, view.id === "view-" + name);
    for (const link of document.querySelectorAll("#tabs a")) {
      link.classList.toggle("current", link.dataset.page === name || (name === "request" && link.dataset.page === "queue"));
    }
  }

  function navigate() {
    if (!me) return;
    const hash = location.hash.replace(/^#\/?/, "");
    const match = hash.match(/^requests\/(\d+)$/);
    const page = match ? "request" : hash;
    const allowed = page === "request" ? me.pages.includes("queue") : me.pages.includes(page);
    if (!allowed) {
      if (!me.pages.length) return showView("none");
      location.hash = "#/" + me.pages[0];
      return;
    }
    route = { page: page, id: match ? Number(match[1]) : null };
    lastQueue = lastConversation = "";
    showView(page);
    if (page !== "request") {
      conversation = null;
      $("reply-text").value = "";
      $("note-text").value = "";
    }
    say($("action-error"), "");
    refresh(false);
  }

  async function refresh(poll) {
    if (!me) return;
    if (busy) {  // a background refresh is in flight: a refresh the user asked for runs right after it
      if (!poll) again = true;
      return;
    }
    busy = true;
    try {
      if (route.page === "queue") await loadQueue(poll);
      else if (route.page === "request") await loadConversation(poll);
      else if (!poll && route.page === "metrics") await loadMetrics();
      else if (!poll && route.page === "audit") await loadAudit();
      else if (!poll && route.page === "staff") await loadStaff();
      else if (!poll && route.page === "feedback") await loadFeedback();
    } catch (failure) {
      if (failure.status !== 401 && failure.status !== 0) banner(errorText(failure));
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh(false);
      }
    }
  }

  // -- queue -----------------------------------------------------------------------------------------------------
  function badge(key, cls) {
    return el("span", { text: t(key), cls: "badge " + cls });
  }

  async function loadQueue(poll) {
    const params = new URLSearchParams({ status: $("filter-status").value });
    if ($("filter-language").value) params.set("language", $("filter-language").value);
    const data = await api("GET", "/api/requests?" + params.toString(), undefined, poll);
    if (route.page !== "queue") return;
    $("queue-updated").textContent = t("queue.updated", { time: when(new Date().toISOString()) });
    const json = JSON.stringify(data.requests);
    if (json === lastQueue) return;
    lastQueue = json;
    const rows = $("queue-rows");
    clear(rows);
    for (const item of data.requests) {
      const idCell = el("td", {}, [el("a", { text: t("queue.open", { id: item.id }), href: "#/requests/" + item.id })]);
      if (item.urgent) idCell.appendChild(badge("badge.urgent", "urgent"));
      if (item.overdue) idCell.appendChild(badge("badge.overdue", "overdue"));
      if (item.escalated) idCell.appendChild(badge("badge.escalated", "escalated"));
      const row = el("tr", { data: { requestId: item.id, status: item.status } }, [
        idCell,
        el("td", { text: item.language.name + " (" + item.language.code + ")" }),
        el("td", {}, [el("div", { text: item.reason.text }), el("div", { text: item.summary, dir: "auto", cls: "muted" })]),
        el("td", { text: item.channel.name }),
        el("td", { text: t("status." + item.status) }),
        el("td", { text: when(item.created_at) }),
        el("td", { text: when(item.due_at) }),
        el("td", { text: item.claimed_by || "" }),
      ]);
      if (item.overdue) row.classList.add("overdue");
      if (item.urgent) row.classList.add("urgent");
      rows.appendChild(row);
    }
    show($("queue-empty"), data.requests.length === 0);
  }

  // -- conversation ----------------------------------------------------------------------------------------------
  function detail(list, key, value, options) {
    if (!value) return;
    list.appendChild(el("dt", { text: t(key) }));
    list.appendChild(el("dd", Object.assign({ text: value }, options || {})));
  }

  function authorLabel(message) {
    if (message.author === "her") return t("author.her");
    if (message.author === "bot") return t("author.bot");
    if (message.author === "note") return t("author.note", { name: message.staff || "" });
    return message.staff ? t("author.staff", { name: message.staff }) : t("author.staff_unknown");
  }

  function renderMessage(message, language) {
    const meta = el("div", { cls: "meta" }, [
      el("span", { text: authorLabel(message), cls: "author" }),
      el("time", { text: when(message.created_at) }),
    ]);
    const item = el("li", { cls: "msg msg-" + message.author, data: { messageId: message.id, author: message.author } },
      [meta]);
    if (message.urgent) item.appendChild(el("p", { text: t("message.urgent"), cls: "alert" }));
    if (message.media) item.appendChild(el("p", { text: t("message.media"), cls: "media" }));
    if (message.text) {
      // What she wrote and what is sent to her are in her language; notes are in the staff's.
      const lang = message.author === "note" ? undefined : language;
      item.appendChild(el("p", { text: message.text, cls: "text", dir: "auto", lang: lang }));
    }
    if (message.original) item.appendChild(el("p", { text: t("message.original", { text: message.original }),
      cls: "muted", dir: "auto" }));
    if (message.translation === "machine") item.appendChild(el("p", { text: t("message.machine"), cls: "muted" }));
    if (message.delivery) {
      const state = el("p", { text: t("delivery.label", { state: t("delivery." + message.delivery) }),
        cls: "delivery delivery-" + message.delivery });
      if (message.can_retry) {
        const again = el("button", { text: t("message.retry"), cls: "secondary retry" });
        again.type = "button";
        again.addEventListener("click", () => act("/api/messages/" + message.id + "/retry", { request_id: route.id }));
        state.appendChild(again);
      }
      item.appendChild(state);
    }
    return item;
  }

  async function loadConversation(poll) {
    const id = route.id;
    const data = await api("GET", "/api/requests/" + id, undefined, poll);
    if (route.page === "request" && route.id === id) renderConversation(data);  // not if she moved on meanwhile
  }

  function renderConversation(data) {
    conversation = data;
    const json = JSON.stringify(data);
    if (json === lastConversation) return;
    lastConversation = json;
    const r = data.request;
    $("request-heading").textContent = t("conversation.heading", { id: r.id });
    const heading = $("request-heading");
    if (r.urgent) heading.appendChild(badge("badge.urgent", "urgent"));
    if (r.overdue) heading.appendChild(badge("badge.overdue", "overdue"));
    show($("request-urgent"), r.urgent);

    const details = $("request-details");
    clear(details);
    detail(details, "conversation.language", r.language.name + " (" + r.language.code + ")");
    detail(details, "conversation.channel", r.channel.name);
    detail(details, "conversation.reason", r.reason.text);
    detail(details, "conversation.summary", r.summary, { dir: "auto" });
    detail(details, "conversation.status", t("status." + r.status));
    detail(details, "conversation.opened", when(r.created_at));
    detail(details, "conversation.due", when(r.due_at));
    detail(details, "conversation.claimed_by", r.claimed_by);

    const open = r.status !== "closed";
    show($("claim"), r.status === "waiting");
    show($("take-over"), r.status === "claimed" && !r.claimed_by_me);
    $("take-over").textContent = t("conversation.take_over", { name: r.claimed_by || "" });
    show($("claimed-mine"), r.status === "claimed" && r.claimed_by_me);
    show($("close"), open);
    show($("closed-note"), !open);

    const list = $("messages");
    clear(list);
    for (const message of data.messages) list.appendChild(renderMessage(message, r.language.code));
    show($("no-messages"), data.messages.length === 0);

    const canReply = r.status === "claimed" && r.claimed_by_me;
    $("reply-help").textContent = t("reply.help", { channel: r.channel.name, language: r.language.name });
    show($("reply-claim-first"), open && !canReply);
    show($("reply-form"), open);
    $("reply-text").disabled = !canReply;
    $("reply-send").disabled = !canReply;
    // Machine translation from English, when the server has a translator and she does not read English anyway.
    const translatable = Boolean(me && me.translator) && r.language.code !== "en";
    const box = $("reply-translate");
    box.disabled = !(translatable && canReply);
    if (!translatable) box.checked = false;
    box.parentElement.classList.toggle("disabled", box.disabled);
    $("reply-translator").textContent = !(me && me.translator) ? t("reply.no_translator")
      : translatable ? t("reply.translator_on", { language: r.language.name }) : t("reply.translator_english");
    $("reply-text").lang = box.checked ? "en" : r.language.code;
    counter();
  }

  async function act(path, body) {
    say($("action-error"), "");
    try {
      const data = await api("POST", path, body);
      lastConversation = "";
      renderConversation(data);
      return true;
    } catch (failure) {
      if (failure.status !== 401) say($("action-error"), errorText(failure));
      return false;
    }
  }

  function counter() {
    const max = me ? me.max_text : 2000;
    $("reply-counter").textContent = t("reply.counter", { count: $("reply-text").value.length, max: max });
  }

  async function sendReply(event) {
    event.preventDefault();
    const text = $("reply-text").value;
    if (!text.trim()) return say($("action-error"), t("error.empty_text"));
    $("reply-send").disabled = true;
    const translate = !$("reply-translate").disabled && $("reply-translate").checked;
    const ok = await act("/api/requests/" + route.id + "/reply", { text: text, translate: translate });
    if (ok) $("reply-text").value = "";
    else $("reply-send").disabled = false;
    counter();
  }

  async function addNote(event) {
    event.preventDefault();
    const text = $("note-text").value;
    if (!text.trim()) return say($("action-error"), t("error.empty_text"));
    if (await act("/api/requests/" + route.id + "/note", { text: text })) $("note-text").value = "";
  }

  // -- administration --------------------------------------------------------------------------------------------
  function minutes(value) {
    return value === null || value === undefined ? t("metrics.none") : Number(value).toFixed(1);
  }

  function metricsQuery() {
    const params = new URLSearchParams();
    if ($("metrics-from").value) params.set("from", $("metrics-from").value);
    if ($("metrics-to").value) params.set("to", $("metrics-to").value);
    return params.toString();
  }

  async function loadMetrics() {
    const data = await api("GET", "/api/metrics?" + metricsQuery());
    $("metrics-from").value = data.from;
    $("metrics-to").value = data.to;
    $("metrics-csv").href = "/api/metrics.csv?" + metricsQuery();
    $("metrics-help").textContent = t("metrics.help", { timezone: data.timezone });
    const rows = $("metrics-rows");
    clear(rows);
    for (const row of data.rows) {
      const name = row.language === "all" ? t("metrics.all") : row.language_name + " (" + row.language + ")";
      const tr = el("tr", { cls: row.language === "all" ? "total" : "", data: { language: row.language } }, [
        el("td", { text: name }), el("td", { text: row.requests }), el("td", { text: row.claimed }),
        el("td", { text: minutes(row.median_minutes_to_claim) }), el("td", { text: minutes(row.p90_minutes_to_claim) }),
        el("td", { text: minutes(row.median_minutes_to_first_reply) }), el("td", { text: row.sla_breaches }),
        el("td", { text: row.escalations }),
      ]);
      rows.appendChild(tr);
    }
    $("metrics-failed").textContent = t("metrics.failed_notifications", { count: data.failed_notifications });
  }

  async function loadAudit() {
    const data = await api("GET", "/api/audit?limit=200");
    const rows = $("audit-rows");
    clear(rows);
    for (const entry of data.entries) {
      rows.appendChild(el("tr", {}, [
        el("td", { text: when(entry.at) }), el("td", { text: entry.staff || t("audit.system") }),
        el("td", { text: entry.action }), el("td", { text: entry.request_id === null ? "" : "#" + entry.request_id }),
        el("td", { text: entry.detail }),
      ]));
    }
  }

  async function loadStaff() {
    const data = await api("GET", "/api/staff");
    const rows = $("staff-rows");
    clear(rows);
    for (const user of data.staff) {
      rows.appendChild(el("tr", {}, [
        el("td", { text: user.username }), el("td", { text: user.display_name, dir: "auto" }),
        el("td", { text: t("role." + user.role) }),
        el("td", { text: user.languages.map((language) => language.name).join(", ") }),
        el("td", { text: t(user.active ? "staff.yes" : "staff.no") }),
        el("td", { text: t(user.locked ? "staff.yes" : "staff.no") }),
      ]));
    }
  }

  // -- feedback for the MVP --------------------------------------------------------------------------------------
  function monthOf(date) {
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0");
  }

  async function loadFeedback() {
    const data = await api("GET", "/api/feedback");
    const select = $("feedback-site");
    const chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const site of data.sites) {
      const option = el("option", { text: site });
      option.value = site;
      select.appendChild(option);
    }
    select.value = data.sites.includes(chosen) ? chosen : "";
    if (!$("feedback-from").value || !$("feedback-to").value) {  // the last twelve months, this one included
      const day = new Date();
      day.setDate(1);
      $("feedback-to").value = monthOf(day);
      day.setMonth(day.getMonth() - 11);
      $("feedback-from").value = monthOf(day);
    }
    $("feedback-privacy").textContent = t("feedback.privacy", { min: data.min_cell });
    feedbackLinks();
  }

  // The three download links carry the filters; with months missing or the wrong way round they are disabled.
  function feedbackLinks() {
    const from = $("feedback-from").value;
    const to = $("feedback-to").value;
    const valid = /^\d{4}-\d{2}$/.test(from) && /^\d{4}-\d{2}$/.test(to) && from <= to;
    for (const format of ["html", "xlsx", "csv"]) {
      const link = $("feedback-" + format);
      const params = new URLSearchParams({ format: format, from: from, to: to });
      if ($("feedback-site").value) params.set("site", $("feedback-site").value);
      if (valid) link.href = "/api/feedback/export?" + params.toString();
      else link.removeAttribute("href");
      link.setAttribute("aria-disabled", valid ? "false" : "true");
    }
    banner(valid ? "" : t("error.invalid_months"));
  }

  // -- start -----------------------------------------------------------------------------------------------------
  async function start() {
    T = await (await fetch("/api/texts", { credentials: "same-origin", cache: "no-store" })).json();
    $("login-form").addEventListener("submit", login);
    $("logout").addEventListener("click", logout);
    $("filter-status").addEventListener("change", () => { lastQueue = ""; refresh(false); });
    $("filter-language").addEventListener("change", () => { lastQueue = ""; refresh(false); });
    $("claim").addEventListener("click", () => act("/api/requests/" + route.id + "/claim", { take_over: false }));
    $("take-over").addEventListener("click", () => act("/api/requests/" + route.id + "/claim", { take_over: true }));
    $("close").addEventListener("click", () => {
      if (window.confirm(t("conversation.confirm_close"))) act("/api/requests/" + route.id + "/close", {});
    });
    $("reply-form").addEventListener("submit", sendReply);
    $("reply-text").addEventListener("input", counter);
    $("reply-translate").addEventListener("change", () => {
      const language = conversation ? conversation.request.language.code : "";
      $("reply-text").lang = $("reply-translate").checked ? "en" : language;
    });
    $("note-form").addEventListener("submit", addNote);
    $("metrics-form").addEventListener("submit", (event) => { event.preventDefault(); refresh(false); });
    $("feedback-form").addEventListener("submit", (event) => event.preventDefault());
    for (const id of ["feedback-from", "feedback-to", "feedback-site"]) {
      $(id).addEventListener("input", feedbackLinks);
      $(id).addEventListener("change", feedbackLinks);
    }
    window.addEventListener("hashchange", navigate);
    try {
      await loadMe();
    } catch (failure) {
      if (failure.status !== 401) loggedOut(errorText(failure));
      // A login form sent without JavaScript's help comes back as /?login=failed.
      else if (new URLSearchParams(location.search).get("login") === "failed") say($("login-error"), t("login.failed"));
      return startPolling();
    }
    navigate();
    startPolling();
  }

  function startPolling() {
    window.setInterval(() => refresh(true), POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", start);
}());
