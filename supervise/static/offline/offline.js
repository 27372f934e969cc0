// 清单监督 · the deputies' offline app: items and reports kept in IndexedDB, records filled offline
// kept in an outbox and sent through /api/v1 with their idempotency keys when the network returns.
(function () {
  "use strict";
  var body = document.body;
  var T = JSON.parse(document.getElementById("texts").textContent);
  var DB = "supervise-app";
  var dbPromise = null;

  // ---- IndexedDB: "kv" holds the token and the items; "outbox" the records waiting to be sent ----
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB, 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore("kv");
          open.result.createObjectStore("outbox", { keyPath: "key" });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function tx(store, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  var kv = {
    get: function (k) { return tx("kv", "readonly", function (s) { return s.get(k); }); },
    set: function (k, v) { return tx("kv", "readwrite", function (s) { s.put(v, k); }); }
  };
  var outbox = {
    all: function () { return tx("outbox", "readonly", function (s) { return s.getAll(); }); },
    put: function (r) { return tx("outbox", "readwrite", function (s) { s.put(r); }); },
    remove: function (k) { return tx("outbox", "readwrite", function (s) { s.delete(k); }); }
  };
  function newKey() {
    var a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return "app-" + Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // ---- the API, with the app's own token ----
  function token() {
    return kv.get("token").then(function (t) {
      if (t) return t;
      var csrf = document.querySelector("#sign-out [name=csrf_token]").value;
      return fetch(body.dataset.tokenUrl, { method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("token " + r.status); return r.json(); })
        .then(function (j) { return kv.set("token", j.token).then(function () { return j.token; }); });
    });
  }
  function api(method, path, key, payload) {
    return token().then(function (t) {
      var headers = { Authorization: "Bearer " + t };
      if (key) headers["Idempotency-Key"] = key;
      var init = { method: method, headers: headers, credentials: "omit" };
      if (payload instanceof FormData) init.body = payload;
      else if (payload) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(payload); }
      return fetch(path, init).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, body: j }; });
      });
    });
  }

  // ---- status: online or not, and how many records wait ----
  function showStatus() {
    return outbox.all().then(function (records) {
      var waiting = records.filter(function (r) { return r.state !== "sent"; }).length;
      var status = document.getElementById("status");
      status.textContent = (navigator.onLine ? T.online : T.offline) +
        (waiting ? " · " + T.waiting.replace("%(n)s", waiting) : "");
      status.className = "status " + (navigator.onLine ? "online" : "offline");
      document.getElementById("waiting-count").textContent = waiting;
      body.dataset.waiting = waiting;
      renderOutbox(records);
    });
  }

  // ---- my items and their reports ----
  function renderItems(saved) {
    var list = document.getElementById("items");
    var pick = document.getElementById("inspection-item");
    list.textContent = "";
    pick.textContent = "";
    pick.appendChild(new Option(T.none, ""));
    var items = (saved && saved.items) || [];
    document.getElementById("items-note").textContent = items.length ? T.savedAt + " " + saved.at : T.noItems;
    items.forEach(function (item) {
      pick.appendChild(new Option(item.code + " " + item.title, item.id));
      var card = el("li", null, "card");
      card.appendChild(el("strong", item.code + " " + item.title));
      card.appendChild(el("div", item.state_label, "muted"));
      item.reports.slice(0, 3).forEach(function (report) {
        var row = el("div", T.reports + " " + report.month.slice(0, 7) + " · " + report.percent + "% · " + report.done, "report");
        var button = el("button", T.feedback);
        button.type = "button";
        button.addEventListener("click", function () { askFeedback(item, report); });
        row.appendChild(button);
        card.appendChild(row);
      });
      list.appendChild(card);
    });
  }
  function refreshItems() {
    return kv.get("items").then(function (saved) {
      renderItems(saved);
      if (!navigator.onLine) return;
      return api("GET", "/api/v1/me/items?limit=100").then(function (answer) {
        if (answer.status !== 200) return;
        var fresh = { items: answer.body.items, at: new Date().toLocaleString() };
        return kv.set("items", fresh).then(function () { renderItems(fresh); });
      }).catch(function () { /* the network went away: the saved items stay */ });
    });
  }

  // ---- filling in: records go to the outbox first, then out when the network allows ----
  function askFeedback(item, report) {
    var dialog = document.getElementById("feedback-dialog");
    var form = document.getElementById("feedback-form");
    form.reset();
    document.getElementById("feedback-about").textContent = item.code + " · " + report.month.slice(0, 7);
    dialog.onclose = function () {
      if (dialog.returnValue !== "save") return;
      var record = {
        key: newKey(), kind: "feedback", state: "waiting", created: Date.now(), label: T.feedback + " " + item.code,
        path: "/api/v1/reports/" + report.id + "/feedback",
        payload: { verdict: form.verdict.value, comment: form.comment.value }
      };
      outbox.put(record).then(showStatus).then(sendAll);
    };
    dialog.showModal();
  }

  function resized(file) {
    var max = parseInt(body.dataset.photoMax, 10) || 1600;
    return createImageBitmap(file).then(function (image) {
      var scale = Math.min(1, max / Math.max(image.width, image.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    }).then(function (blob) { return { blob: blob, name: file.name.replace(/\.[^.]*$/, "") + ".jpg" }; });
  }

  document.getElementById("inspection-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    if (!form.held_on.value) { alert(T.needDate); return; }
    var files = Array.prototype.slice.call(form.photos.files);
    Promise.all(files.map(resized)).then(function (photos) {
      var itemIds = form.item_id.value ? [parseInt(form.item_id.value, 10)] : [];
      var record = {
        key: newKey(), kind: "inspection", state: "waiting", created: Date.now(),
        label: T.inspection + " " + form.held_on.value + " " + form.place.value,
        photos: photos,
        payload: {
          method: form.method.value, held_on: form.held_on.value, place: form.place.value,
          notes: form.notes.value, participant_ids: body.dataset.deputy ? [parseInt(body.dataset.deputy, 10)] : [],
          findings: [{ text: form.text.value, item_ids: itemIds, photo_ids: [] }]
        }
      };
      return outbox.put(record);
    }).then(function () {
      form.reset();
      document.getElementById("photo-previews").textContent = "";
      showTab("outbox");
      return showStatus();
    }).then(sendAll);
  });
  document.querySelector("#inspection-form [name=photos]").addEventListener("change", function (event) {
    var box = document.getElementById("photo-previews");
    box.textContent = "";
    Array.prototype.forEach.call(event.target.files, function (file) {
      var img = el("img");
      img.src = URL.createObjectURL(file);
      box.appendChild(img);
    });
  });

  // ---- sending: every step has its own key derived from the record's, so a retry repeats nothing ----
  function refuse(record, answer) {
    var b = answer.body || {};
    var fields = (b.errors || []).map(function (e) { return e.field + ": " + e.message; }).join("; ");
    record.state = "refused";
    record.reason = [b.detail || b.title || answer.status, fields].filter(Boolean).join(" ");
    return outbox.put(record);
  }
  function step(record, answer, ok) {
    if (answer.status >= 500) throw new Error("server " + answer.status);
    if (answer.status >= 400) { return refuse(record, answer).then(function () { throw new Error("refused"); }); }
    return ok(answer.body);
  }
  function sendInspection(record) {
    var photoIds = [];
    var uploads = (record.photos || []).reduce(function (done, photo, i) {
      return done.then(function () {
        var data = new FormData();
        data.append("file", photo.blob, photo.name);
        return api("POST", "/api/v1/uploads", record.key + "-p" + i, data).then(function (answer) {
          return step(record, answer, function (b) { photoIds.push(b.id); });
        });
      });
    }, Promise.resolve());
    return uploads.then(function () {
      var payload = JSON.parse(JSON.stringify(record.payload));
      payload.findings[0].photo_ids = photoIds;
      var attempt = record.attempt || 0;
      if (record.serverId) {
        payload.version = record.version;
        return api("PUT", "/api/v1/inspections/" + record.serverId, record.key + "-u" + attempt, payload);
      }
      return api("POST", "/api/v1/inspections", record.key, payload);
    }).then(function (answer) {
      return step(record, answer, function (b) {
        record.serverId = b.id;
        record.version = b.version;
        return outbox.put(record).then(function () {
          return api("POST", "/api/v1/inspections/" + b.id + "/file", record.key + "-f" + (record.attempt || 0), { version: b.version });
        });
      });
    }).then(function (answer) { return step(record, answer, function () {}); });
  }
  function send(record) {
    var sending = record.kind === "inspection"
      ? sendInspection(record)
      : api("POST", record.path, record.key, record.payload).then(function (a) { return step(record, a, function () {}); });
    return sending.then(function () {
      record.state = "sent";
      record.photos = [];
      return outbox.put(record);
    });
  }
  var busy = false;
  function sendAll() {
    if (busy || !navigator.onLine) return Promise.resolve();
    busy = true;
    return outbox.all().then(function (records) {
      return records.filter(function (r) { return r.state === "waiting"; }).reduce(function (done, record) {
        return done.then(function () { return send(record).catch(function () { /* kept; tried again later */ }); });
      }, Promise.resolve());
    }).then(function () { busy = false; return showStatus(); }, function () { busy = false; });
  }

  function renderOutbox(records) {
    var list = document.getElementById("outbox");
    list.textContent = "";
    records.sort(function (a, b) { return a.created - b.created; }).forEach(function (record) {
      var card = el("li", null, "card " + record.state);
      card.dataset.key = record.key;
      card.appendChild(el("strong", record.label));
      card.appendChild(el("div", record.state === "sent" ? T.sent : record.state === "refused" ? T.refused + " " + record.reason : T.waiting.replace("%(n)s", 1), "muted"));
      if (record.state === "refused") {
        var again = el("button", T.retry);
        again.type = "button";
        again.addEventListener("click", function () {
          record.state = "waiting";
          record.attempt = (record.attempt || 0) + 1;
          outbox.put(record).then(showStatus).then(sendAll);
        });
        card.appendChild(again);
      }
      if (record.state !== "waiting") {
        var drop = el("button", T.discard);
        drop.type = "button";
        drop.addEventListener("click", function () { outbox.remove(record.key).then(showStatus); });
        card.appendChild(drop);
      }
      list.appendChild(card);
    });
  }

  // ---- tabs, network events, sign-out ----
  function showTab(name) {
    document.querySelectorAll("nav [data-tab]").forEach(function (b) { b.classList.toggle("active", b.dataset.tab === name); });
    document.querySelectorAll("main > section").forEach(function (s) { s.hidden = s.id !== "tab-" + name; });
  }
  document.querySelectorAll("nav [data-tab]").forEach(function (b) {
    b.addEventListener("click", function () { showTab(b.dataset.tab); });
  });
  window.addEventListener("online", function () { showStatus().then(sendAll).then(refreshItems); });
  window.addEventListener("offline", showStatus);
  document.getElementById("sign-out").addEventListener("submit", function (event) {
    var waiting = parseInt(body.dataset.waiting, 10) || 0;
    var question = waiting ? T.signOutWarn.replace("%(n)s", waiting) : T.signOutClear;
    if (!confirm(question)) { event.preventDefault(); return; }
    event.preventDefault();
    var form = event.target;
    db().then(function (d) { d.close(); }).then(function () {
      dbPromise = null;
      return new Promise(function (resolve) {
        var gone = indexedDB.deleteDatabase(DB);
        gone.onsuccess = gone.onerror = gone.onblocked = function () { resolve(); };
      });
    }).then(function () {
      return window.caches ? caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); }) : null;
    }).then(function () { form.submit(); });
  });

  if ("serviceWorker" in navigator) navigator.serviceWorker.register(body.dataset.sw);
  document.querySelector("#inspection-form [name=held_on]").value = new Date().toISOString().slice(0, 10);
  showStatus().then(refreshItems).then(sendAll);
})();
