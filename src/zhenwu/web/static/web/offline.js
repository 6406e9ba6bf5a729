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
  const loadedAt = Date.now();

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(warmPages).catch(() => {});
  }

  // The pages the server names for this user (the forms, the registers they fill, their to-do list's cases
  // and households), asked at most every ten minutes in a session: the to-do list changes, but slowly.
  const NAMED_EVERY_MS = 10 * 60 * 1000;
  const NAMED_AT = "zhenwu-offline-pages-at";
  async function namedPages() {
    const askedAt = Number(sessionStorage.getItem(NAMED_AT) || 0);
    if (Date.now() - askedAt < NAMED_EVERY_MS) return {pages: []};
    const named = await fetch("/offline/pages.json", {credentials: "same-origin"})
      .then((response) => (response.ok ? response.json() : {pages: []}))
      .catch(() => ({pages: []}));
    return named;
  }

  // The capture pages a grid worker will want with no signal, kept at once rather than at first visit:
  // those named for the user and those this page links to.
  async function warmPages() {
    if (!navigator.onLine || !document.querySelector("header .account")) return;
    const named = await namedPages();
    const links = Array.from(document.querySelectorAll("main a[href]"), (link) => new URL(link.href, location.href))
      .filter((url) => url.origin === location.origin && !url.search)
      .map((url) => url.pathname);
    const urls = new Set(named.pages.concat(links).filter((path) => outbox.isCapturePage(path)));
    caches.open(outbox.PAGE_CACHE).then(async (cache) => {
      for (const url of Array.from(urls).slice(0, 60)) {
        if (await cache.match(url, {ignoreVary: true})) continue;
        // Marked as a prefetch: the page is rendered without the user's one-time messages (已上报…), which
        // belong to the page the user opens next, and would be stale in the kept copy.
        const headers = {"X-Zhenwu-Prefetch": "1"};
        const response = await fetch(url, {credentials: "same-origin", headers}).catch(() => null);
        if (response && response.ok && !response.redirected) await cache.put(url, response);
      }
      // Only once all are kept: a page left before then (fetches end with it) asks again on the next.
      if (named.pages.length) sessionStorage.setItem(NAMED_AT, String(Date.now()));
    }).catch(() => {});
  }

  function pathOf(form) { return new URL(form.action, location.href).pathname; }

  function captureForm(form) {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return false;
    return outbox.isCaptureForm(pathOf(form));
  }

  // Photos chosen on a capture form (once photos.js has shrunk them) are kept on the phone until the form
  // is saved: when the server shows the form again (可能重复, a field missing) they are put back, rather
  // than the grid worker having to find and choose them again.
  const keeping = new WeakMap();  // form -> the promise of its photos being kept
  document.addEventListener("zhenwu:photos-ready", (event) => {
    const input = event.target;
    const form = input.form;
    if (form && captureForm(form) && input.name) {
      const kept = outbox.keepPhotos(pathOf(form), input.name, Array.from(input.files)).catch(() => {});
      keeping.set(form, Promise.all([keeping.get(form), kept]));
    }
  });

  const SHOWN_AGAIN = "main .field-error, main ul.error, main div.errors, main p.error, main li.error, #possible-duplicate";

  async function restorePhotos() {
    for (const form of Array.from(document.forms).filter(captureForm)) {
      const kept = await outbox.takePhotos(pathOf(form), loadedAt);  // a page without errors: the form was saved
      if (!document.querySelector(SHOWN_AGAIN)) continue;
      for (const [name, files] of Object.entries(kept)) {
        const input = form.querySelector(`input[type=file][name="${CSS.escape(name)}"]`);
        if (!input || input.files.length || !files.length) continue;
        const transfer = new DataTransfer();
        files.forEach((file) => transfer.items.add(file));
        input.files = transfer.files;
        // the note goes with the files, in the same task: whoever sees the photo chosen sees why
        const status = input.parentNode.querySelector("[data-photo-status]");
        if (status) status.textContent = `已保留上次选择的照片${files.length}张`;
        await outbox.keepPhotos(pathOf(form), name, files);  // the form may be shown again once more
      }
    }
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
    if (keeping.has(form)) {  // leaving the page would cut the keeping of its photos short: it goes first
      event.preventDefault();
      event.stopImmediatePropagation();  // photos.js sees the submission when it is made again
      const submitter = event.submitter;
      keeping.get(form).then(() => {
        keeping.delete(form);
        // a task later: a submission requested while this one's events are still being fired is ignored
        setTimeout(() => form.requestSubmit(submitter || undefined));
      });
      return;
    }
    if (navigator.onLine) return;  // sent as usual; the service worker keeps it if the request fails
    event.preventDefault();
    const heading = document.querySelector("main h1");
    const data = new FormData(form, event.submitter || undefined);
    const title = heading ? heading.textContent.trim() + "：" : "";
    outbox.keep(form.action, data, title).then(() => { location.assign(outbox.OUTBOX_URL); });
  }, true);

  function confirmLogout(event) {
    sessionStorage.removeItem(NAMED_AT);  // the next user of this phone is named their own pages
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
    restorePhotos().catch(() => {});
    refresh().then(sendNow).catch(() => {});
  });
})();
