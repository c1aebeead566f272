// The branch dashboard: logs an officer in through the edge and shows each section from the
// public APIs with the officer's token (kept in sessionStorage: gone when the tab closes).
"use strict";
(function (Ops) {
  const TOKEN = "ops.token";
  const SEGMENT_ORDER = ["PBPU", "PPU_BU", "PPU_PN", "PBI_APBD", "PBI_APBN", "BP"];
  const FIGURES_EVERY_MS = 10000, QUEUES_EVERY_MS = 30000;
  const t = Ops.t;
  const $ = (sel) => document.querySelector(sel);
  // The last answer of every source, so a language switch re-renders without refetching.
  const state = {};

  class Problem extends Error {
    constructor(status, body) {
      const lang = Ops.lang();
      super((lang === "id" && body && body.detail_id) || (body && body.detail) || `HTTP ${status}`);
      this.status = status;
    }
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  async function api(path, { method = "GET", body } = {}) {
    const headers = { Accept: "application/json", "Accept-Language": Ops.lang() };
    const token = sessionStorage.getItem(TOKEN);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Idempotency-Key"] = newKey();
    }
    const r = await fetch(path, { method, headers, cache: "no-store",
                                  body: body === undefined ? undefined : JSON.stringify(body) });
    const data = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
    if (r.status === 401 && token) logOut();
    if (!r.ok) throw new Problem(r.status, data);
    return data;
  }

  // What the page last said: a word of ours is said again in a new language; a service's own
  // text (already in the language of its moment) is dropped when the language changes.
  let said = { text: "" };
  function say(text, error = false, key = null) {
    said = { text, error, key };
    const box = $("#message");
    box.textContent = text;
    box.className = error ? "error" : "";
    box.hidden = !text;
  }
  const sayWord = (key) => say(t(key), false, key);

  function h(tag, { dataset, ...props } = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    Object.assign(node.dataset, dataset || {});
    node.append(...children.filter((c) => c != null));
    return node;
  }
  const num = (n) => h("td", { className: "num", textContent: Ops.number(n) });
  const segmentName = (s) => t(`segments.${s}`);

  // "Today" as the branch counts it: a day in Western Indonesia Time (UTC+7, no DST).
  const branchToday = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

  function age(since) {
    const minutes = Math.max(0, (Date.now() - Date.parse(since)) / 60000);
    if (minutes >= 1440) return t("days", { n: Math.floor(minutes / 1440) });
    if (minutes >= 60) return t("hours", { n: Math.floor(minutes / 60) });
    return t("minutes", { n: Math.floor(minutes) });
  }

  // Within or past its target: the age's badge.
  const badge = (late) => h("span", { className: late ? "badge breach" : "badge",
                                      textContent: t(late ? "breach" : "within") });

  function emptyRow(tbody, columns, key) {
    tbody.replaceChildren(h("tr", {}, h("td", { colSpan: columns, className: "muted",
                                                 textContent: t(key) })));
  }

  // ---- participation and app adoption -----------------------------------------------------
  function renderSegments() {
    const { figures, study } = state;
    if (!study) return;
    const share = study.app_users / study.participants;
    $("#study-note").textContent = t("study_note", {
      users: Ops.number(study.app_users), participants: Ops.number(study.participants),
      share: Ops.percent(share), population: Ops.number(study.population),
      coverage: Ops.percent(study.participants / study.population) });
    if (!figures) return;
    const live = Object.fromEntries(figures.segments.map((r) => [r.segment, r]));
    const extra = Object.keys(live).filter((s) => !SEGMENT_ORDER.includes(s));
    const names = [...SEGMENT_ORDER, ...extra];
    const rows = names.map((s) => ({ segment: s, participants: 0, app_users: 0, coverage: null,
                                     ...live[s], study: study.app_users_by_segment[s] ?? 0 }));
    const pct = (x) => h("td", { className: "num", textContent: Ops.percent(x) });
    $("#segments tbody").replaceChildren(...rows.map((r) => h("tr",
      { dataset: { segment: r.segment } }, h("td", { textContent: segmentName(r.segment) }),
      num(r.participants), num(r.app_users), pct(r.coverage), num(r.study))));
    const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
    const p = sum("participants"), a = sum("app_users");
    $("#segments tfoot").replaceChildren(h("tr", { dataset: { segment: "total" } },
      h("td", { textContent: t("total") }), num(p), num(a),
      pct(p ? a / p : null), num(sum("study"))));
    Ops.barChart($("#segments-chart"), rows.map((r) => ({
      label: r.segment.replace("_", " "), value: r.participants, inner: r.app_users,
      note: `${Ops.number(r.app_users)} / ${Ops.number(r.participants)}` })), t("chart_segments"));
  }

  // ---- the review queue ---------------------------------------------------------------------
  function renderRequests() {
    const { requests, targets } = state;
    if (!requests || !targets) return;
    const limitMs = targets.request_review_days * 86400e3;
    const late = (r) => Date.now() - Date.parse(r.created_at) > limitMs;
    $("#requests-note").textContent = t("requests_note", {
      days: targets.request_review_days, breaching: requests.filter(late).length,
      total: requests.length });
    const tbody = $("#requests tbody");
    if (!requests.length) return emptyRow(tbody, 5, "no_requests");
    tbody.replaceChildren(...requests.map((r) => {
      const approve = h("button", { className: "approve", textContent: t("approve") });
      approve.onclick = () => decide(r.request_id, { approve: true }, approve);
      const reject = h("button", { className: "reject secondary", textContent: t("reject"),
                                   onclick: () => reject.after(rejectForm(r.request_id)) });
      return h("tr", { dataset: { requestId: r.request_id } },
        h("td", { textContent: t(`kinds.${r.kind}`) }),
        h("td", { textContent: `${r.full_name} · ${segmentName(r.segment)}` }),
        h("td", { textContent: age(r.created_at) }),
        h("td", {}, badge(late(r))),
        h("td", {}, approve, " ", reject));
    }));
  }

  function rejectForm(id) {
    const en = h("textarea", { placeholder: t("reason_en"), className: "reason-en" });
    const idn = h("textarea", { placeholder: t("reason_id"), className: "reason-id" });
    const send = h("button", { textContent: t("confirm_reject"), className: "confirm-reject" });
    send.onclick = () => decide(
      id, { approve: false, reason_en: en.value, reason_id: idn.value }, send);
    return h("div", { className: "reject-form" }, en, idn, send);
  }

  // An officer's action: the button stays disabled until it is done, the queues are reread.
  async function act(path, body, button, done) {
    button.disabled = true;
    try {
      await api(path, { method: "POST", body });
      sayWord(done);
      await loadQueues();
    } catch (e) {
      say(e.message, true);
      button.disabled = false;
    }
  }

  const decide = (id, body, button) => act(
    `/v1/officer/requests/${encodeURIComponent(id)}/decision`, body, button,
    body.approve ? "approved" : "rejected");

  // ---- complaints ---------------------------------------------------------------------------
  function renderComplaints() {
    const { complaints } = state;
    if (!complaints) return;
    const tbody = $("#complaints tbody");
    if (!complaints.length) return emptyRow(tbody, 5, "no_complaints");
    tbody.replaceChildren(...complaints.map((c) => {
      const text = h("textarea", { className: "answer-text" });
      const send = h("button", { textContent: t("send_answer"), className: "send-answer" });
      send.onclick = () => answer(c.ticket_number, text.value, send);
      const late = c.overdue || Date.now() > Date.parse(c.due_at);
      return h("tr", { dataset: { ticket: c.ticket_number } },
        h("td", { textContent: c.ticket_number }), h("td", { textContent: t(`categories.${c.category}`) }),
        h("td", { textContent: c.text }),
        h("td", {}, age(c.filed_at), " ", badge(late)),
        h("td", {}, text, h("br"), send));
    }));
  }

  const answer = (ticket, text, button) => act(
    `/v1/officer/complaints/${encodeURIComponent(ticket)}/answer`, { text }, button, "answered");

  // ---- payments and notifications -----------------------------------------------------------
  function renderPayments() {
    const { collections } = state;
    if (!collections) return;
    const rows = (list, key, label) => list.map((r) => h("tr", {},
      h("td", { textContent: label(r[key]) }), num(r.payments), num(r.amount)));
    const byChannel = $("#payments-channel tbody"), bySegment = $("#payments-segment tbody");
    if (!collections.by_channel.length) {
      emptyRow(byChannel, 3, "no_payments");
      emptyRow(bySegment, 3, "no_payments");
    } else {
      byChannel.replaceChildren(...rows(collections.by_channel, "channel", (c) => c));
      bySegment.replaceChildren(...rows(collections.by_segment, "segment", segmentName));
    }
    Ops.barChart($("#payments-chart"), collections.by_channel.map((r) => ({
      label: r.channel, value: r.amount, note: Ops.number(r.amount) })), t("chart_payments"));
  }

  function renderArrears() {
    const { arrears } = state;
    if (!arrears) return;
    const tbody = $("#arrears-segment tbody");
    if (!arrears.by_segment.length) emptyRow(tbody, 4, "no_arrears");
    else tbody.replaceChildren(...arrears.by_segment.map((r) => h("tr",
      { dataset: { segment: r.segment } }, h("td", { textContent: segmentName(r.segment) }),
      num(r.payers), num(r.months), num(r.amount))));
  }

  function renderNotifications() {
    const { figures, numbers } = state;
    const tbody = $("#notifications tbody");
    if (figures) {
      const today = Object.entries(figures.notifications[branchToday()] || {});
      if (!today.length) emptyRow(tbody, 5, "no_notifications");
      else tbody.replaceChildren(...today.sort().map(([channel, c]) => h("tr",
        { dataset: { channel } }, h("td", { textContent: channel }), num(c.sent),
        num(c.delivered), num(c.failed),
        h("td", { className: "num", textContent: Ops.percent(c.delivery_rate) }))));
    }
    if (numbers) {
      const budget = Number(numbers.sms.daily_budget);
      const day = numbers.sms.days.find((d) => String(d.day) === branchToday());
      const spent = day ? Number(day.spent) : 0;
      const caption = t("sms_spend", { spent: Ops.number(spent), budget: Ops.number(budget) });
      Ops.barChart($("#sms-chart"), [
        { label: t("budget"), value: budget, note: Ops.number(budget) },
        { label: "SMS", value: spent, over: spent > budget, note: Ops.number(spent) },
      ], caption);
    }
  }

  // ---- health -------------------------------------------------------------------------------
  function renderHealth() {
    const { ready, lag } = state;
    if (ready) {
      $("#health").replaceChildren(...Object.entries(ready.checks).map(([name, ok]) => h("li", {
        className: ok ? "" : "down", dataset: { service: name },
        textContent: `${name}: ${t(ok ? "ready" : "not_ready")}` })));
    }
    if (lag) {
      $("#lag tbody").replaceChildren(...lag.groups.map((g) => h("tr", {},
        h("td", { textContent: g.group }), num(g.lag), num(g.max_partition_lag))));
    }
  }

  // The figures are redrawn on every refresh; the queues only when they are reread, so an
  // officer's half-typed answer or rejection is not wiped by the figures' timer.
  function renderFigures() {
    if (state.updatedAt) {
      const at = state.updatedAt.toLocaleTimeString(Ops.lang());
      $("#updated").textContent = `${t("updated")} ${at}`;
    }
    renderSegments(); renderPayments(); renderArrears(); renderNotifications(); renderHealth();
  }

  function renderQueues() {
    renderRequests(); renderComplaints();
  }

  function renderAll() {
    Ops.translatePage();
    $("#lang").textContent = t("other_lang");
    if (said.text) say(said.key ? t(said.key) : "", said.error, said.key);
    renderFigures(); renderQueues();
  }

  // ---- loading ------------------------------------------------------------------------------
  // Each source on its own: one that fails (the worker not counted yet, a service down) leaves
  // the others showing, and says why.
  async function load(name, path) {
    try {
      state[name] = await api(path);
      return true;
    } catch (e) {
      if (sessionStorage.getItem(TOKEN)) say(t("figures_pending", { why: e.message }), true);
      return false;
    }
  }

  // The door's readiness lists every service whether or not it is ready (503 when none is).
  async function loadReadiness() {
    try {
      const r = await fetch("/readyz", { cache: "no-store" });
      state.ready = await r.json();
    } catch (e) {
      state.ready = { checks: { gateway: false } };
    }
  }

  async function loadFigures() {
    await Promise.all([
      load("figures", "/v1/ops/figures"), load("collections", "/v1/ops/billing/collections"),
      load("arrears", "/v1/ops/billing/arrears"),
      load("numbers", "/v1/ops/notify/numbers?days=1"), loadReadiness(),
      load("lag", "/v1/ops/figures/lag")]);
    state.updatedAt = new Date();
    renderFigures();
  }

  async function loadQueues() {
    await Promise.all([load("requests", "/v1/officer/requests"),
                       load("complaints", "/v1/officer/complaints")]);
    renderQueues();
  }

  const busy = () => document.querySelector(".reject-form") ||
    [...document.querySelectorAll("textarea")].some((x) => x.value);

  let timers = [];
  async function showDashboard() {
    $("#login").hidden = true;
    $("#dashboard").hidden = false;
    $("#logout").hidden = false;
    await Promise.all([load("study", "/ops/static/study.json"),
                       load("targets", "/ops/static/targets.json")]);
    await Promise.all([loadFigures(), loadQueues()]);
    timers = [setInterval(loadFigures, FIGURES_EVERY_MS),
              setInterval(() => busy() || loadQueues(), QUEUES_EVERY_MS)];
  }

  function logOut() {
    sessionStorage.removeItem(TOKEN);
    timers.forEach(clearInterval);
    timers = [];
    $("#dashboard").hidden = true;
    $("#logout").hidden = true;
    $("#login").hidden = false;
  }

  async function logIn(event) {
    event.preventDefault();
    try {
      const got = await api("/v1/staff/token", { method: "POST",
        body: { username: $("#username").value, password: $("#password").value } });
      sessionStorage.setItem(TOKEN, got.access_token);
      $("#password").value = "";
      say("");
      await showDashboard();
    } catch (e) {
      say(e.message, true);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("#login-form").addEventListener("submit", logIn);
    $("#logout").addEventListener("click", logOut);
    $("#lang").addEventListener("click", () => {
      Ops.setLang(Ops.lang() === "id" ? "en" : "id");
      renderAll();
    });
    renderAll();
    if (sessionStorage.getItem(TOKEN)) showDashboard();
    else $("#login").hidden = false;
  });
})(window.Ops);
