/* On every page: installs the service worker, keeps a capture form's submission in the 待上传 queue when
   the phone is offline, sends the queue when the network returns, shows its count in the top bar, fills
   the 待上传 page, reopens a kept submission for editing, and asks before a logout discards it. */
(function () {
  "use strict";
  const outbox = window.ZhenwuOutbox;
  if (!outbox || !window.indexedDB) return;
  const STATES = {waiting: "待上传", sending: "上传中", refused: "被退回"};
  const EDIT_HASH = "#outbox-edit=";
  let queued = 0;

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(warmPages).catch(() => {});
  }

  // The capture pages a grid worker will want with no signal, kept at once rather than at first visit:
  // the forms, the to-do list and the queue, and the register forms and cases this page links to.
  function warmPages() {
    if (!navigator.onLine || !document.querySelector("header .account")) return;
    const urls = new Set(["/cases/new/", "/cases/report/", "/cases/visits/", "/todo/", "/outbox/"]);
    for (const link of document.querySelectorAll("main a[href]")) {
      const url = new URL(link.href, location.href);
      if (url.origin === location.origin && !url.search && outbox.isCapturePage(url.pathname)) urls.add(url.pathname);
    }
    caches.open(outbox.PAGE_CACHE).then(async (cache) => {
      for (const url of Array.from(urls).slice(0, 30)) {
        if (await cache.match(url, {ignoreVary: true})) continue;
        // Marked as a prefetch: the page is rendered without the user's one-time messages (已上报…), which
        // belong to the page the user opens next, and would be stale in the kept copy.
        const headers = {"X-Zhenwu-Prefetch": "1"};
        const response = await fetch(url, {credentials: "same-origin", headers}).catch(() => null);
        if (response && response.ok && !response.redirected) await cache.put(url, response);
      }
    }).catch(() => {});
  }

  function captureForm(form) {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return false;
    return outbox.isCaptureForm(new URL(form.action, location.href).pathname);
  }

  // Every capture form carries its idempotency key, also online: a submission that is resent is the same one.
  function ensureKey(form) {
    let field = form.querySelector(`input[name="${outbox.KEY_FIELD}"]`);
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = outbox.KEY_FIELD;
      form.appendChild(field);
    }
    if (!field.value) field.value = outbox.newKey();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.action && new URL(form.action, location.href).pathname === "/accounts/logout/") {
      confirmLogout(event);
      return;
    }
    if (!captureForm(form)) return;
    ensureKey(form);
    if (navigator.onLine) return;  // sent as usual; the service worker keeps it if the request fails
    event.preventDefault();
    const heading = document.querySelector("main h1");
    const data = new FormData(form, event.submitter || undefined);
    const title = heading ? heading.textContent.trim() + "：" : "";
    outbox.keep(form.action, data, title).then(() => { location.assign(outbox.OUTBOX_URL); });
  }, true);

  function confirmLogout(event) {
    if (!queued) {
      caches.delete(outbox.PAGE_CACHE).catch(() => {});  // the next user of this phone sees none of it
      return;
    }
    if (!window.confirm(`还有 ${queued} 条未上传的记录，退出将丢失，确定退出？`)) {
      event.preventDefault();
      return;
    }
    outbox.db.items.clear().catch(() => {});
    caches.delete(outbox.PAGE_CACHE).catch(() => {});
  }

  async function refresh() {
    const items = await outbox.db.items.orderBy("id").toArray();
    queued = items.length;
    const badge = document.getElementById("outbox-link");
    if (badge) {
      badge.hidden = !queued;
      badge.querySelector(".nav-count").textContent = queued;
      badge.setAttribute("aria-label", `待上传 ${queued} 条`);
    }
    if (document.getElementById("outbox")) showList(items);
  }

  function showList(items) {
    const list = document.getElementById("outbox-list");
    document.getElementById("outbox-empty").hidden = items.length > 0;
    document.getElementById("outbox-send").hidden = !items.some((item) => item.state !== "refused");
    list.replaceChildren(...items.map(row));
  }

  function row(item) {
    const li = document.createElement("li");
    li.dataset.state = item.state;
    const title = document.createElement("strong");
    title.textContent = item.title;
    const state = document.createElement("span");
    state.className = "outbox-state";
    state.textContent = STATES[item.state] || item.state;
    const when = document.createElement("span");
    when.className = "hint";
    when.textContent = new Date(item.keptAt).toLocaleString("zh-CN", {hour12: false});
    li.append(title, " ", state, " ", when);
    if (item.message) {
      const message = document.createElement("p");
      message.className = item.state === "refused" ? "error" : "hint";
      message.textContent = item.message;
      li.append(message);
    }
    const actions = document.createElement("p");
    actions.className = "actions";
    const edit = document.createElement("a");
    edit.className = "button";
    edit.href = new URL(item.url, location.href).pathname + EDIT_HASH + item.id;
    edit.textContent = "编辑";
    const drop = document.createElement("button");
    drop.type = "button";
    drop.textContent = "删除";
    drop.addEventListener("click", () => {
      if (window.confirm(`删除“${item.title}”？删除后无法恢复。`)) outbox.db.items.delete(item.id).then(refresh);
    });
    actions.append(edit, " ", drop);
    li.append(actions);
    return li;
  }

  async function sendNow() {
    if (!navigator.onLine) return;
    await refresh();
    if (!queued) return;
    const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker) {
      worker.postMessage(outbox.SEND);  // it answers CHANGED when done
      setTimeout(refresh, 300);  // shows 上传中 while it sends
      return;
    }
    await outbox.sendAll().catch(() => {});
    await refresh();
  }

  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data === outbox.CHANGED) refresh();
    });
  }

  /* A kept submission reopened: the form filled with what was typed and chosen, photos included. */
  async function fillFromQueue() {
    if (!location.hash.startsWith(EDIT_HASH)) return;
    const id = Number(location.hash.slice(EDIT_HASH.length));
    // The mark goes at once: the page the saved form redirects to keeps the fragment, and must not refill.
    history.replaceState(null, "", location.pathname + location.search);
    const item = await outbox.db.items.get(id);
    const path = item && new URL(item.url, location.href).pathname;
    const form = Array.from(document.forms).find((form) => captureForm(form) && new URL(form.action, location.href).pathname === path);
    if (!item || !form) return;
    const files = {};
    for (const [name, value] of item.fields) {
      if (name === outbox.TOKEN_FIELD) continue;
      const fields = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
      if (!fields.length && name === outbox.KEY_FIELD) ensureKey(form);
      for (const field of fields) {
        if (field.type === "file") {
          if (value instanceof Blob && value.size) (files[name] = files[name] || new DataTransfer()).items.add(value);
        } else if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = true;
        } else if (field.multiple) {
          for (const option of field.options) if (option.value === value) option.selected = true;
        } else {
          field.value = value;
        }
      }
    }
    for (const [name, transfer] of Object.entries(files)) form.querySelector(`[name="${CSS.escape(name)}"]`).files = transfer.files;
    ensureKey(form);
    form.querySelector(`input[name="${outbox.KEY_FIELD}"]`).value = item.key;
    for (const field of form.querySelectorAll("select")) field.dispatchEvent(new Event("change", {bubbles: true}));
  }

  window.addEventListener("online", sendNow);
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("outbox-send");
    if (button) button.addEventListener("click", sendNow);
    fillFromQueue().catch(() => {});
    refresh().then(sendNow).catch(() => {});
  });
})();
