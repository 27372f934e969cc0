// 清单监督 · the deputies' offline app: items and reports kept in IndexedDB, records filled offline
// kept in an outbox and sent through /api/v1 with their idempotency keys when the network returns.
(function () {
  "use strict";
  var body = document.body;
  var T = JSON.parse(document.getElementById("texts").textContent);
  // One database per user: another deputy signing in on the same phone never sees, nor sends with,
  // the first one's token, items or records.
  var DB = "supervise-app-" + body.dataset.user;
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
  function today() {  // the phone's own date, not UTC's (before 08:00 in China that is yesterday)
    var now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
    return now.toISOString().slice(0, 10);
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // ---- the API, with the app's own token ----
  var signInNeeded = false;  // the session that makes tokens is gone: the deputy must sign in again
  function SignInNeeded() { this.message = "sign in"; }
  function token() {
    return kv.get("token").then(function (t) {
      if (t) return t;
      var csrf = document.querySelector("#sign-out [name=csrf_token]").value;
      return fetch(body.dataset.tokenUrl, {
        method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin", redirect: "manual"
      }).then(function (r) {
        if (r.status >= 500) throw new Error("token " + r.status);
        if (!r.ok) { signInNeeded = true; throw new SignInNeeded(); }  // signed out, or another session
        signInNeeded = false;
        return r.json();
      }).then(function (j) { return kv.set("token", j.token).then(function () { return j.token; }); });
    });
  }
  // A 401 means the stored token is no longer valid (revoked, or renewed on another phone): ask for a
  // new one with the session, once, and repeat the request with the same idempotency key.
  function api(method, path, key, payload, renewed) {
    return token().then(function (t) {
      var headers = { Authorization: "Bearer " + t };
      if (key) headers["Idempotency-Key"] = key;
      var init = { method: method, headers: headers, credentials: "omit" };
      if (payload instanceof FormData) init.body = payload;
      else if (payload) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(payload); }
      return fetch(path, init).then(function (r) {
        if (r.status === 401 && !renewed) {
          return kv.set("token", null).then(function () { return api(method, path, key, payload, true); });
        }
        if (r.status === 401) { signInNeeded = true; throw new SignInNeeded(); }
        return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, body: j }; });
      });
    });
  }

  // ---- status: online or not, and how many records wait ----
  function showStatus() {
    return outbox.all().then(function (records) {
      var waiting = records.filter(function (r) { return r.state === "waiting"; }).length;
      var refused = records.filter(function (r) { return r.state === "refused"; }).length;
      var status = document.getElementById("status");
      var parts = [navigator.onLine ? T.online : T.offline];
      if (waiting) parts.push(counted(T.waitingOne, T.waitingMany, waiting));
      if (refused) parts.push(counted(T.refusedOne, T.refusedMany, refused));
      status.textContent = parts.join(" · ");
      status.className = "status " + (navigator.onLine ? "online" : "offline");
      document.getElementById("sign-in-needed").hidden = !signInNeeded;
      document.getElementById("waiting-count").textContent = waiting + refused;
      document.getElementById("send-now").hidden = !waiting || !navigator.onLine;
      body.dataset.waiting = waiting + refused;
      renderOutbox(records);
    });
  }

  function counted(one, many, n) { return (n === 1 ? one : many).replace("%(n)s", n); }

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
      if (item.takes_findings !== false) pick.appendChild(new Option(item.code + " " + item.title, item.id));
      var card = el("li", null, "card");
      card.appendChild(el("strong", item.code + " " + item.title));
      card.appendChild(el("div", item.state_label, "muted"));
      item.reports.slice(0, 3).forEach(function (report) {
        var mine = ownVerdict(report);
        var text = T.reportOf.replace("%(month)s", report.month.slice(0, 7)) + " · " + report.percent + "% · " + report.done;
        if (mine) text += " · " + (mine.verdict === "dispute" ? T.mineDispute : T.mineConfirm);
        var row = el("div", text, "report");
        // Offered only where the server takes it: not once the item's supervision has ended.
        if (item.takes_feedback) {
          var button = el("button", T.feedback);
          button.type = "button";
          button.addEventListener("click", function () { askFeedback(item, report); });
          row.appendChild(button);
        }
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
  // What the server would refuse is said here first, beside the form, and nothing is queued until
  // it is right (the same rules as filing on the web: inspections/operations.missing_for_filing).
  function showProblems(box, problems) {
    box.textContent = "";
    box.hidden = !problems.length;
    if (!problems.length) return;
    box.appendChild(el("strong", T.notSaved));
    var list = el("ul");
    problems.forEach(function (p) { list.appendChild(el("li", p)); });
    box.appendChild(list);
    box.scrollIntoView({ block: "nearest" });
  }

  var editing = null;  // a refused record being corrected, or null for a new one
  var keptPhotos = [];  // photos of the record being corrected, kept unless new ones are chosen

  // The deputy's current verdict on a report: the API lists each supervisor's current one only.
  function ownVerdict(report) {
    var deputy = parseInt(body.dataset.deputy, 10);
    return (report.feedback || []).filter(function (f) { return f.deputy_id === deputy; })[0] || null;
  }
  function shortTime(iso) {
    var at = new Date(iso);
    return at.toLocaleDateString() + " " + ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
  }

  function askFeedback(item, report, record) {
    var dialog = document.getElementById("feedback-dialog");
    var form = document.getElementById("feedback-form");
    var problems = document.getElementById("feedback-problems");
    var replaces = document.getElementById("feedback-replaces");
    form.reset();  // no verdict chosen beforehand: one tap must not save a confirmation
    showProblems(problems, []);
    if (record) {
      form.verdict.value = record.payload.verdict;
      form.comment.value = record.payload.comment;
      showProblems(problems, [record.reason]);
    }
    var mine = report && ownVerdict(report);
    replaces.hidden = !mine;
    replaces.textContent = mine
      ? (mine.verdict === "dispute" ? T.replacesDispute : T.replacesConfirm).replace("%(at)s", shortTime(mine.at)) : "";
    document.getElementById("feedback-about").textContent = item
      ? item.code + " · " + report.month.slice(0, 7) : record.label;
    form.onsubmit = function (event) {
      if (event.submitter && event.submitter.value !== "save") return;
      if (!form.verdict.value) {
        event.preventDefault();
        showProblems(problems, [T.needVerdict]);
        form.verdict[0].focus();
      } else if (form.verdict.value === "dispute" && !form.comment.value.trim()) {
        event.preventDefault();
        showProblems(problems, [T.needComment]);
        form.comment.focus();
      }
    };
    dialog.onclose = function () {
      if (dialog.returnValue !== "save") return;
      var payload = { verdict: form.verdict.value, comment: form.comment.value.trim() };
      var saved = record
        ? Object.assign(record, { state: "waiting", reason: "", payload: payload })
        : {
            key: newKey(), kind: "feedback", state: "waiting", created: Date.now(), label: T.feedback + " " + item.code,
            path: "/api/v1/reports/" + report.id + "/feedback", itemId: item.id, month: report.month, payload: payload
          };
      outbox.put(saved).then(showStatus).then(sendAll);
    };
    dialog.returnValue = "";
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

  var inspectionForm = document.getElementById("inspection-form");
  function isQuestionnaire() { return inspectionForm.method.value === "questionnaire"; }
  function photoCount() { return inspectionForm.photos.files.length || keptPhotos.length; }

  function inspectionProblems(form) {
    var problems = [];
    var wrong = [];
    function need(ok, field, text) { if (!ok) { problems.push(text); wrong.push(field); } }
    need(form.held_on.value, form.held_on, T.needDate);
    if (form.held_on.value) {
      need(form.held_on.value <= today(), form.held_on, T.futureDate.replace("%(day)s", form.held_on.value));
      need(form.held_on.value >= "2000-01-01", form.held_on, T.earlyDate.replace("%(day)s", form.held_on.value));
    }
    need(form.place.value.trim(), form.place, T.needPlace);
    var text = form.text.value.trim();
    if (!text && !form.notes.value.trim()) need(false, form.text, T.needText);
    else if (!text && photoCount()) need(false, form.text, T.photosNeedText);
    else if (!text && form.item_id.value) need(false, form.text, T.itemNeedsText);
    if (isQuestionnaire()) {
      var visited = form.residents_visited.value;
      need(visited !== "", form.residents_visited, T.needVisited);
      if (visited !== "") need(/^\d+$/.test(visited) && +visited <= 100000, form.residents_visited, T.badVisited);
      need(form.residents_summary.value.trim(), form.residents_summary, T.needSummary);
    }
    Array.prototype.forEach.call(form.elements, function (f) { f.removeAttribute("aria-invalid"); });
    wrong.forEach(function (f) { f.setAttribute("aria-invalid", "true"); });
    return problems;
  }

  function inspectionPayload(form) {
    var text = form.text.value.trim();
    var itemIds = form.item_id.value ? [parseInt(form.item_id.value, 10)] : [];
    var questionnaire = isQuestionnaire();
    return {
      method: form.method.value, held_on: form.held_on.value, place: form.place.value.trim(),
      notes: form.notes.value.trim(),
      residents_visited: questionnaire ? parseInt(form.residents_visited.value, 10) : null,
      residents_summary: questionnaire ? form.residents_summary.value.trim() : "",
      participant_ids: body.dataset.deputy ? [parseInt(body.dataset.deputy, 10)] : [],
      findings: text ? [{ text: text, item_ids: itemIds, photo_ids: [] }] : []
    };
  }

  function showPreviews(blobs) {
    var box = document.getElementById("photo-previews");
    box.textContent = "";
    blobs.forEach(function (blob) {
      var img = el("img");
      img.src = URL.createObjectURL(blob);
      box.appendChild(img);
    });
    document.getElementById("drop-photos").hidden = !blobs.length;
  }

  function clearInspectionForm() {
    inspectionForm.reset();
    editing = null;
    keptPhotos = [];
    showPreviews([]);
    showProblems(document.getElementById("inspection-problems"), []);
    document.getElementById("editing").hidden = true;
    document.getElementById("questionnaire-fields").hidden = true;
    inspectionForm.held_on.value = today();  // the next record's default
  }

  function editInspection(record) {
    clearInspectionForm();
    var p = record.payload;
    var form = inspectionForm;
    form.method.value = p.method;
    form.held_on.value = p.held_on || "";
    form.place.value = p.place || "";
    form.notes.value = p.notes || "";
    form.text.value = p.findings.length ? p.findings[0].text : "";
    form.item_id.value = p.findings.length && p.findings[0].item_ids.length ? String(p.findings[0].item_ids[0]) : "";
    form.residents_visited.value = p.residents_visited == null ? "" : p.residents_visited;
    form.residents_summary.value = p.residents_summary || "";
    document.getElementById("questionnaire-fields").hidden = !isQuestionnaire();
    editing = record;
    keptPhotos = record.photos || [];
    showPreviews(keptPhotos.map(function (photo) { return photo.blob; }));
    document.getElementById("editing").hidden = false;
    document.getElementById("editing-reason").textContent = record.reason;
    showTab("inspect");
    inspectionProblems(form);
  }

  var saving = false;
  inspectionForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    if (saving) return;  // a double tap: the first one is being kept
    var problems = inspectionProblems(form);
    var box = document.getElementById("inspection-problems");
    showProblems(box, problems);
    if (problems.length) return;
    saving = true;
    var files = Array.prototype.slice.call(form.photos.files);
    var chosen = files.length ? Promise.all(files.map(function (file) {
      return resized(file).catch(function () { throw new Error(T.badPhoto.replace("%(name)s", file.name)); });
    })) : Promise.resolve(keptPhotos);
    chosen.then(function (photos) {
      var label = T.inspectionOn.replace("%(day)s", form.held_on.value) + " " + form.place.value.trim();
      var payload = inspectionPayload(form);
      if (editing) {
        // Corrected: the same key (a refusal is not kept by the server), new keys for new photos.
        return outbox.put(Object.assign(editing, {
          state: "waiting", reason: "", label: label, payload: payload, photos: photos,
          photoRound: (editing.photoRound || 0) + (photos === keptPhotos ? 0 : 1)
        }));
      }
      return outbox.put({
        key: newKey(), kind: "inspection", state: "waiting", created: Date.now(), label: label,
        photos: photos, payload: payload
      });
    }).then(function () {
      saving = false;
      clearInspectionForm();
      showTab("outbox");
      return showStatus().then(sendAll);
    }, function (error) {
      saving = false;
      showProblems(box, [error.message]);
    });
  });
  inspectionForm.method.addEventListener("change", function () {
    document.getElementById("questionnaire-fields").hidden = !isQuestionnaire();
  });
  inspectionForm.photos.addEventListener("change", function (event) {
    showPreviews(Array.prototype.slice.call(event.target.files));
  });
  document.getElementById("drop-photos").addEventListener("click", function () {
    inspectionForm.photos.value = "";
    keptPhotos = [];
    showPreviews([]);
  });
  document.getElementById("cancel-edit").addEventListener("click", clearInspectionForm);

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
    var round = record.photoRound ? "-r" + record.photoRound : "";
    var uploads = (record.photos || []).reduce(function (done, photo, i) {
      return done.then(function () {
        var data = new FormData();
        data.append("file", photo.blob, photo.name);
        return api("POST", "/api/v1/uploads", record.key + round + "-p" + i, data).then(function (answer) {
          return step(record, answer, function (b) { photoIds.push(b.id); });
        });
      });
    }, Promise.resolve());
    return uploads.then(function () {
      var payload = JSON.parse(JSON.stringify(record.payload));
      if (payload.findings.length) payload.findings[0].photo_ids = photoIds;
      payload.file = true;  // created and filed in one write: a refusal leaves no draft on the server
      if (record.serverId) {  // a draft an earlier version of this app left on the server
        payload.version = record.version;
        return api("PUT", "/api/v1/inspections/" + record.serverId, record.key + "-u" + (record.attempt || 0), payload);
      }
      return api("POST", "/api/v1/inspections", record.key, payload);
    }).then(function (answer) { return step(record, answer, function () {}); });
  }
  // Feedback goes to the month's current report: if the office corrected it meanwhile, to the new
  // version (the items are refreshed before each send), under a key of its own.
  function retarget(record) {
    if (!record.itemId) return Promise.resolve(record.path);
    return kv.get("items").then(function (saved) {
      var item = ((saved && saved.items) || []).filter(function (i) { return i.id === record.itemId; })[0];
      var report = item && item.reports.filter(function (r) { return r.month === record.month; })[0];
      var path = report ? "/api/v1/reports/" + report.id + "/feedback" : record.path;
      if (path !== record.path) { record.path = path; record.round = (record.round || 0) + 1; }
      return record.path;
    });
  }
  function sendFeedback(record) {
    return retarget(record).then(function (path) {
      var key = record.round ? record.key + "-v" + record.round : record.key;
      return api("POST", path, key, record.payload);
    }).then(function (a) { return step(record, a, function () {}); });
  }
  function send(record) {
    record.tried = true;  // kept before the first request: from now on its keys are spoken for
    return outbox.put(record).then(function () {
      return record.kind === "inspection" ? sendInspection(record) : sendFeedback(record);
    }).then(function () {
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
      card.appendChild(el("div", record.state === "sent" ? T.sent : record.state === "refused" ? T.refused + " " + record.reason : T.notSent, "muted"));
      var untouched = record.state === "waiting" && !record.tried && !busy;
      if (record.state === "refused" || untouched) {
        var fix = el("button", T.edit);
        fix.type = "button";
        fix.addEventListener("click", function () {
          if (record.kind === "inspection") editInspection(record);
          else askFeedback(null, null, record);
        });
        card.appendChild(fix);
      }
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
      if (record.state !== "waiting" || untouched) {
        var drop = el("button", T.discard);
        drop.type = "button";
        drop.addEventListener("click", function () {
          if (record.state !== "sent" && !confirm(T.discardAsk)) return;
          outbox.remove(record.key).then(showStatus);
        });
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
  function sendAndRefresh() { return showStatus().then(refreshItems).then(sendAll); }
  window.addEventListener("online", sendAndRefresh);
  // A weak signal does not always fire "online": try again every half minute and when the app is
  // looked at again, and on the deputy's own tap.
  setInterval(function () { if (navigator.onLine) sendAll(); }, 30000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) sendAll(); });
  document.getElementById("send-now").addEventListener("click", sendAndRefresh);
  window.addEventListener("offline", showStatus);
  document.getElementById("sign-out").addEventListener("submit", function (event) {
    if (!navigator.onLine) { event.preventDefault(); alert(T.signOutOffline); return; }
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
  clearInspectionForm();
  showStatus().then(refreshItems).then(sendAll);
})();
