/* zhenwu's service worker: the app shell kept on the phone, the capture pages kept as visited, an offline
   page for the others, and the 待上传 queue sent when the network returns. Served by web/pwa.py. */
importScripts("{{ workbox }}/workbox-sw.js", "{{ dexie }}", "{{ queue }}");
workbox.setConfig({modulePathPrefix: "{{ workbox }}", debug: false});

const OFFLINE_PAGE = "{{ offline }}";
const {precacheAndRoute, cleanupOutdatedCaches, matchPrecache} = workbox.precaching;
const {registerRoute, setCatchHandler} = workbox.routing;
const {NetworkFirst, NetworkOnly} = workbox.strategies;

self.skipWaiting();
workbox.core.clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute({{ precache|safe }});

// The pages a grid worker fills or checks in the field; the network answers when it can, else the copy
// kept from the last visit. Three seconds, then the copy: a weak signal should not leave a blank page.
// The copies ignore Vary (Cookie, Accept-Language): they are this phone's user's, and go at logout.
// A copy is kept without the page's one-time messages (已上报…): opened offline later, they would be stale.
const withoutMessages = {
  cacheWillUpdate: async ({response}) => {
    if (!response || response.status !== 200) return null;
    const page = await response.clone().text();
    const kept = page.replace(/<ul class="messages">[\s\S]*?<\/ul>/, "");
    if (kept === page) return response;
    return new Response(kept, {status: response.status, statusText: response.statusText, headers: response.headers});
  },
};
registerRoute(
  ({request, url}) => request.method === "GET" && url.origin === self.location.origin && ZhenwuOutbox.isCapturePage(url.pathname),
  new NetworkFirst({
    cacheName: ZhenwuOutbox.PAGE_CACHE,
    networkTimeoutSeconds: 3,
    matchOptions: {ignoreVary: true},
    plugins: [withoutMessages],
  }),
);

// A form sent while the phone believed it was online, whose request then failed: kept in the queue, and
// the worker shows the 待上传 list instead of the browser's error page.
registerRoute(
  ({request, url}) => url.origin === self.location.origin && ZhenwuOutbox.isCaptureForm(url.pathname),
  async ({request}) => {
    const kept = request.clone();
    try {
      const response = await fetch(request);
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        ZhenwuOutbox.forgetSent(await kept.formData());  // an edited submission went through
      }
      return response;
    } catch (error) {
      await ZhenwuOutbox.keep(request.url, await kept.formData(), "");
      return Response.redirect(ZhenwuOutbox.OUTBOX_URL, 303);
    }
  },
  "POST",
);

// Any other page comes from the network only; with no network, the offline page says what still works.
registerRoute(({request}) => request.mode === "navigate", new NetworkOnly());

setCatchHandler(async ({request}) => {
  if (request.destination === "document") {
    return (await matchPrecache(OFFLINE_PAGE)) || Response.error();
  }
  return Response.error();
});

// The pages tell what became of the queue.
async function tellPages() {
  for (const page of await self.clients.matchAll({type: "window"})) page.postMessage(ZhenwuOutbox.CHANGED);
}

// Background Sync, where the browser has it: the queue is sent even if no zhenwu page is open.
self.addEventListener("sync", (event) => {
  if (event.tag === ZhenwuOutbox.SYNC_TAG) {
    event.waitUntil(ZhenwuOutbox.sendAll().finally(tellPages));
  }
});

// A page asks the worker to send (on load, when the network returns, 立即上传): the worker outlives the
// page, so a send is not cut off half-way when the user moves on, which would leave it to be sent again.
self.addEventListener("message", (event) => {
  if (event.data === ZhenwuOutbox.SEND) {
    event.waitUntil(ZhenwuOutbox.sendAll().catch(() => {}).then(tellPages));
  }
});
