// Search over the static index the build writes under /search/ (site_builder/search.py).
// Words are matched as prefixes, without accents or capitals; every word must match.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch || !String.prototype.normalize) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = form.getAttribute("data-index");
  var base = form.getAttribute("data-base");
  var WORDS = JSON.parse(form.getAttribute("data-words") || "{}");  // in the site's language
  var LIMIT = 50;
  var files = {};
  var latest = 0;

  function fold(text) {  // as search.fold: decompose, drop the accents, lower case
    return text.normalize("NFKD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "").toLowerCase();
  }
  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return Array.from(w).length > 1; });
  }
  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function load(path) {
    if (!files[path]) {
      files[path] = fetch(index + path).then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
    }
    return files[path];
  }

  function matches(terms, word) {  // document id -> best weight of a term the word starts
    var found = {};
    Object.keys(terms).forEach(function (term) {
      if (term.lastIndexOf(word, 0) !== 0) return;
      var boost = term === word ? 2 : 1, postings = terms[term];
      for (var i = 0; i < postings.length; i += 2) {
        found[postings[i]] = Math.max(found[postings[i]] || 0, postings[i + 1] * boost);
      }
    });
    return found;
  }

  function search(query) {
    var ws = words(query);
    if (!ws.length) return Promise.resolve(null);
    return Promise.all(ws.map(function (w) {
      return load("terms/" + hex(Array.from(w).slice(0, 2).join("")) + ".json");
    })).then(function (shards) {
      var scores = null;
      ws.forEach(function (w, i) {
        var found = matches(shards[i], w);
        if (scores === null) { scores = found; return; }
        var both = {};
        Object.keys(scores).forEach(function (id) { if (id in found) both[id] = scores[id] + found[id]; });
        scores = both;
      });
      var ids = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || (a < b ? -1 : 1); });
      var top = ids.slice(0, LIMIT);
      var chunks = Array.from(new Set(top.map(function (id) { return id.slice(0, 2); })));
      return Promise.all(chunks.map(function (c) { return load("docs/" + c + ".json"); })).then(function (docs) {
        var byId = Object.assign.apply(null, [{}].concat(docs));
        return { total: ids.length, docs: top.map(function (id) { return byId[id]; }).filter(Boolean) };
      });
    });
  }

  function show(query, result) {
    list.textContent = "";
    if (result === null) {
      status.textContent = query.trim() ? WORDS.short : "";
      return;
    }
    var n = result.total;
    var words = n === 0 ? WORDS.none : n === 1 ? WORDS.one : n > result.docs.length ? WORDS.first : WORDS.many;
    status.textContent = words.replace(/\{(query|count|shown)\}/g, function (_, name) {
      return name === "query" ? query.trim() : String(name === "count" ? n : result.docs.length);
    });
    result.docs.forEach(function (doc) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + doc.url.replace(/^\//, "");
      link.textContent = doc.title;
      link.className = "search-result-link";
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = doc.kind + (doc.date ? " · " + doc.date : "");
      var excerpt = document.createElement("p");
      excerpt.textContent = doc.excerpt;
      item.append(link, " ", meta, excerpt);
      list.append(item);
    });
  }

  function run() {
    var query = input.value, ticket = ++latest;
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    search(query).then(function (result) { if (ticket === latest) show(query, result); });
  }

  var timer;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
