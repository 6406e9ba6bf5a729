/* The 待上传 queue, shared by the pages (offline.js) and the service worker (sw.js): submissions kept in
   IndexedDB through Dexie, and their sending. Each keeps its fields and files as the form gave them, with
   an idempotency key made on the phone, so a retry after a lost answer is recognised by the server. */
(function (root) {
  "use strict";

  const OUTBOX_URL = "/outbox/";
  const PAGE_CACHE = "zhenwu-pages";
  const SYNC_TAG = "zhenwu-outbox";
  const SEND = "zhenwu-outbox-send";  // a page's message to the service worker
  const CHANGED = "zhenwu-outbox-changed";  // the worker's answer once it has sent
  const KEY_FIELD = "idempotency_key";
  const TOKEN_FIELD = "csrfmiddlewaretoken";

  // Forms that capture something in the field: an event (full form or quick report), a grid visit, a
  // step on a case, a visit to a household under monitoring, a register record.
  const CAPTURE_FORMS = [
    /^\/cases\/(new|report|visits)\/$/,
    /^\/cases\/\d+\/$/,
    /^\/households\/monitoring\/\d+\/$/,
    /^\/registers\/[^/]+\/new\/$/,
  ];
  // Pages kept for offline use: the forms above, the to-do list, the queue and the home page.
  const CAPTURE_PAGES = CAPTURE_FORMS.concat([/^\/todo\/$/, /^\/outbox\/$/, /^\/$/]);

  const db = new Dexie("zhenwu-outbox");
  db.version(1).stores({items: "++id, &key, state"});
  // Photos chosen on a form, by the form's address and the field, until the form is saved.
  db.version(2).stores({items: "++id, &key, state", photos: "++id, [path+field], savedAt"});
  const PHOTOS_KEPT_MINUTES = 30;

  function isCaptureForm(path) { return CAPTURE_FORMS.some((pattern) => pattern.test(path)); }
  function isCapturePage(path) { return CAPTURE_PAGES.some((pattern) => pattern.test(path)); }

  // A File is stored as it is: IndexedDB keeps Blobs, with their name and type.
  function fieldsOf(formData) {
    const fields = [];
    for (const [name, value] of formData.entries()) fields.push([name, value]);
    return fields;
  }

  function valueOf(fields, name) {
    const found = fields.find(([field]) => field === name);
    return found ? found[1] : "";
  }

  /* Keeps a submission; one already kept with the same key (an edited one) is replaced. */
  async function keep(url, formData, title) {
    const fields = fieldsOf(formData);
    const key = valueOf(fields, KEY_FIELD) || newKey();
    if (!valueOf(fields, KEY_FIELD)) fields.push([KEY_FIELD, key]);
    const item = {url: url, key: key, title: (title || "") + titleOf(fields), fields: fields,
                  state: "waiting", message: "", keptAt: new Date().toISOString()};
    const existing = await db.items.where("key").equals(key).first();
    if (existing) item.id = existing.id;
    await db.items.put(item);
    askForSync();
    return item;
  }

  /* Keeps the photos of one field of a form, in place of those kept before. */
  function keepPhotos(path, field, files) {
    return db.transaction("rw", db.photos, async () => {
      await db.photos.where("[path+field]").equals([path, field]).delete();
      await db.photos.add({path: path, field: field, files: files, savedAt: Date.now()});
    });
  }

  /* The photos kept for a form's address before `before` (the page's load: photos chosen on this page
     since are its own), by field, taken out of the store: they serve the page once. */
  async function takePhotos(path, before) {
    const since = Date.now() - PHOTOS_KEPT_MINUTES * 60 * 1000;
    await db.photos.where("savedAt").below(since).delete();
    const kept = (await db.photos.where("[path+field]").between([path, Dexie.minKey], [path, Dexie.maxKey]).toArray())
      .filter((entry) => entry.savedAt < before);
    await db.photos.bulkDelete(kept.map((entry) => entry.id));
    return Object.fromEntries(kept.map((entry) => [entry.field, entry.files]));
  }

  function newKey() { return root.crypto.randomUUID(); }

  // The first text a person typed, so the list says which report this is.
  function titleOf(fields) {
    for (const [name, value] of fields) {
      if (typeof value === "string" && value.trim() && name !== KEY_FIELD && name !== TOKEN_FIELD && !/^\d+$/.test(value)) {
        return value.trim().slice(0, 40);
      }
    }
    return "未命名的记录";
  }

  function askForSync() {
    if (!root.registration && root.navigator && root.navigator.serviceWorker) {
      root.navigator.serviceWorker.ready
        .then((registration) => registration.sync && registration.sync.register(SYNC_TAG))
        .catch(() => {});
    }
  }

  async function forgetSent(formData) {
    const key = formData.get(KEY_FIELD);
    if (key) await db.items.where("key").equals(key).delete();
  }

  function currentToken() {
    if (!root.document) return "";
    const match = root.document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function bodyOf(item) {
    const body = new FormData();
    const token = currentToken();  // the login may have changed since the form was kept
    for (const [name, value] of item.fields) {
      if (name === TOKEN_FIELD && token) body.append(name, token);
      else if (value instanceof Blob && !value.size && !value.name) continue;  // a file input left empty
      else if (value instanceof Blob) body.append(name, value, value.name || "photo");
      else body.append(name, value);
    }
    return body;
  }

  /* Sends one submission. A redirect is the server's "saved" (every capture view answers a success so);
     the form shown again, or a 4xx, is a refusal with the page's message; no answer leaves it waiting. */
  async function send(item) {
    await db.items.update(item.id, {state: "sending"});
    let response;
    try {
      response = await fetch(item.url, {method: "POST", body: bodyOf(item), credentials: "same-origin",
                                        headers: {"Idempotency-Key": item.key}, redirect: "follow"});
    } catch (error) {
      await db.items.update(item.id, {state: "waiting"});
      return "waiting";
    }
    const landed = new URL(response.url, root.location.href).pathname;
    if (response.redirected && landed.startsWith("/accounts/login/")) {
      await db.items.update(item.id, {state: "waiting", message: "登录已过期：请重新登录，记录会随后上传。"});
      return "waiting";
    }
    if (response.redirected && response.ok) {
      await db.items.delete(item.id);
      return "sent";
    }
    if (response.status >= 500) {
      await db.items.update(item.id, {state: "waiting", message: "服务器暂时出错，稍后自动重试。"});
      return "waiting";
    }
    await db.items.update(item.id, {state: "refused", message: messageOf(await response.text(), response.status)});
    return "refused";
  }

  async function sendWaiting() {
    const items = await db.items.where("state").anyOf("waiting", "sending").sortBy("id");
    const outcomes = [];
    for (const item of items) outcomes.push(await send(item));
    return outcomes;
  }

  /* Sends every waiting submission, one at a time; resolves to what became of them. Throws when some
     could not reach the server, so Background Sync tries again later. The pages and the service worker
     may all start at once when the network returns: a lock held across them lets one send while the
     others wait, then find nothing left. */
  function sendAll() {
    const locks = root.navigator && root.navigator.locks;
    const sending = locks ? locks.request("zhenwu-outbox-send", sendWaiting) : sendWaiting();
    return sending.then((outcomes) => {
      if (root.registration && outcomes.includes("waiting")) throw new Error("还有记录未能上传");
      return outcomes;
    });
  }

  function textOf(html) { return html.replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim(); }

  /* The server's words for a refusal: each field's error with the field's label, the form's own errors,
     or the message of an error page. Read with patterns, as the service worker has no DOM parser. */
  function messageOf(html, status) {
    const said = [];
    const main = html.slice(Math.max(0, html.indexOf("<main")));
    const label = /<label[^>]*>([\s\S]*?)<\/label>|<p class="field-error">([\s\S]*?)<\/p>|<ul class="error">([\s\S]*?)<\/ul>|<div class="errors"[^>]*>([\s\S]*?)<\/div>|<li class="error">([\s\S]*?)<\/li>/g;
    let lastLabel = "";
    for (const match of main.matchAll(label)) {
      if (match[1] !== undefined) lastLabel = textOf(match[1]).replace(/\s*\*$/, "");
      else if (match[2] !== undefined) said.push((lastLabel ? lastLabel + "：" : "") + textOf(match[2]));
      else said.push(textOf(match[3] || match[4] || match[5]));
    }
    if (!said.length) {
      const page = main.match(/<section class="card error-page">[\s\S]*?<p>([\s\S]*?)<\/p>/);
      said.push(page ? textOf(page[1]) : "服务器未接受这条记录（" + status + "）。");
    }
    return said.filter(Boolean).join("；");
  }

  root.ZhenwuOutbox = {OUTBOX_URL, PAGE_CACHE, SYNC_TAG, SEND, CHANGED, KEY_FIELD, TOKEN_FIELD, db, isCaptureForm,
                       isCapturePage, keep, keepPhotos, takePhotos, forgetSent, send, sendAll, messageOf, newKey};
})(self);
