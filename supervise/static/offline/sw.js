// The offline app's service worker: the shell from the cache when there is no network; the API never.
var CACHE = "supervise-app-__VERSION__";
var SHELL = [
  "__SHELL__"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (event.request.mode === "navigate") {
    // The page from the network when there is one (fresh sign-in form token), else the kept shell.
    event.respondWith(fetch(event.request).then(function (response) {
      if (response.ok && response.url.indexOf("/login") < 0) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(SHELL[0], copy); });
      }
      return response;
    }).catch(function () { return caches.match(SHELL[0]); }));
    return;
  }
  if (SHELL.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(event.request).then(function (hit) { return hit || fetch(event.request); }));
  }
});
