// gongkai search: runs in the reader's browser over the static index that
// `gongkai build` writes to search/ (the shard scheme is in
// src/outputs/search/mod.rs and ARCHITECTURE.md). Index files are scripts that
// call gongkaiSearch.add(), loaded by <script> tags, so search works from disk
// (file://) too, where browsers refuse fetch(). Terms are cut exactly as
// src/outputs/search/tokens.rs cuts them.
(function () {
  "use strict";
  var form = document.querySelector("form.search-form[data-index]");
  if (!form) return;
  var input = form.querySelector("[name=q]");
  var fromSel = form.querySelector("[name=from]");
  var toSel = form.querySelector("[name=to]");
  var deptSel = form.querySelector("[name=dept]");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var base = form.getAttribute("data-index");
  var root = form.getAttribute("data-root");

  // ---- Loading index files --------------------------------------------
  var files = {};
  var loaded = [];
  var version = "";
  window.gongkaiSearch = {
    add: function (name, data) { if (files[name]) files[name].data = data; }
  };
  function load(name) {
    if (files[name]) return files[name].promise;
    var f = files[name] = {};
    f.promise = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + name + ".js" + (version ? "?v=" + version : "");
      s.async = true;
      s.onload = function () {
        if (!f.data) { reject(new Error(name)); return; }
        loaded.push(name);
        // Which files a search needed: read by the tests, harmless to readers.
        results.setAttribute("data-loaded", loaded.join(" "));
        resolve(f.data);
      };
      s.onerror = function () { delete files[name]; reject(new Error(name)); };
      document.head.appendChild(s);
    });
    return f.promise;
  }
  var manifest = null;
  function getManifest() {
    if (!manifest) {
      manifest = load("index").then(function (m) { version = m.version; return m; },
        function (e) { manifest = null; throw e; });
    }
    return manifest;
  }
  function pad(n) { return ("000" + n).slice(-4); }
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : ""; }

  // ---- Terms: the same cut as src/outputs/search/tokens.rs ----------
  function isCjk(cp) {
    return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2fa1f);
  }
  // Tokens and their positions: every character takes a position; every
  // character but white space is a token, full-width forms and ASCII upper
  // case folded.
  function tokens(text) {
    var out = [], pos = 0;
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      if (/[\s\u0085]/.test(ch)) { pos++; continue; }
      if (cp >= 0xff01 && cp <= 0xff5e) { cp -= 0xfee0; ch = String.fromCodePoint(cp); }
      if (/^[A-Z]$/.test(ch)) ch = ch.toLowerCase();
      out.push({ text: ch, pos: pos });
      pos++;
    }
    return out;
  }
  // A word holds something to look for: a letter, a digit or a CJK character.
  function searchable(word) {
    return word.some(function (ch) { return /^[0-9a-z]$/.test(ch) || isCjk(ch.codePointAt(0)); });
  }
  // Query words: runs of adjacent tokens, white space between them. One or
  // two tokens are one term (the token, or the pair); a longer word is the
  // pairs at offsets 0, 2, 4 … and the last pair, each found at its offset
  // from the first.
  function queryPhrases(q) {
    var runs = [], last = -2;
    tokens(q).forEach(function (t) {
      if (runs.length && t.pos === last + 1) runs[runs.length - 1].push(t.text);
      else runs.push([t.text]);
      last = t.pos;
    });
    var out = [], seen = {};
    runs.filter(searchable).forEach(function (r) {
      var terms = [], offsets = [];
      if (r.length === 1) { terms.push(r[0]); offsets.push(0); }
      for (var i = 0; i + 1 < r.length; i += 2) offsets.push(i);
      if (r.length > 2 && offsets[offsets.length - 1] !== r.length - 2) offsets.push(r.length - 2);
      if (r.length > 1) offsets.forEach(function (o) { terms.push(r[o] + r[o + 1]); });
      var key = JSON.stringify(terms);
      if (!seen[key]) { seen[key] = true; out.push({ terms: terms, offsets: offsets }); }
    });
    return out;
  }

  // ---- Looking terms up -----------------------------------------------
  // Postings: "id[:tf][!]" per item, ids as base-36 deltas, "!" = in the project name.
  // Each hit also keeps its place in the list (n), where its positions are.
  function decode(s) {
    var out = {}, id = 0;
    if (!s) return out;
    s.split(",").forEach(function (e, n) {
      var inProject = e.charAt(e.length - 1) === "!";
      if (inProject) e = e.slice(0, -1);
      var parts = e.split(":");
      id += parseInt(parts[0], 36);
      out[id] = { tf: parts.length > 1 ? parseInt(parts[1], 36) : 1, inProject: inProject, n: n };
    });
    return out;
  }
  // Positions of a pair: "p.d.d" per item (base 36, deltas), items in posting order.
  function decodePositions(s) {
    if (!s) return [];
    return s.split(",").map(function (d) {
      var p = 0;
      return d.split(".").map(function (x) { p += parseInt(x, 36); return p; });
    });
  }
  function shardOf(starts, term) {
    var lo = 0, hi = starts.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= term) lo = mid + 1; else hi = mid; }
    return Math.max(lo - 1, 0);
  }
  function postings(m, term) {
    if (m.terms) return Promise.resolve(decode(own(m.terms, term)));
    return load("terms/" + pad(shardOf(m.term_shards, term))).then(function (d) {
      return decode(own(d.terms, term));
    });
  }
  function positions(m, term) {
    if (m.positions) return Promise.resolve(decodePositions(own(m.positions, term)));
    if (!m.pos_shards.length) return Promise.resolve([]);
    return load("pos/" + pad(shardOf(m.pos_shards, term))).then(function (d) {
      return decodePositions(own(d.positions, term));
    });
  }
  // The items holding a phrase: id -> { tf, inProject }. A phrase of more than
  // two tokens holds where its pairs stand one position after another.
  function phraseHits(m, phrase) {
    var terms = phrase.terms, offsets = phrase.offsets;
    if (terms.length === 1) return postings(m, terms[0]);
    return Promise.all(terms.map(function (t) {
      return Promise.all([postings(m, t), positions(m, t)]);
    })).then(function (got) {
      var out = {};
      var first = got[0][0];
      Object.keys(first).forEach(function (key) {
        var id = +key, at = [], inProject = true;
        for (var i = 0; i < got.length; i++) {
          var h = got[i][0][id];
          if (!h) return;
          at.push(got[i][1][h.n] || []);
          inProject = inProject && h.inProject;
        }
        var tf = at[0].filter(function (p) {
          for (var i = 1; i < at.length; i++) if (at[i].indexOf(p + offsets[i]) < 0) return false;
          return true;
        }).length;
        if (tf) out[id] = { tf: tf, inProject: inProject };
      });
      return out;
    });
  }
  function doc(m, id) {
    if (m.doc_records) return Promise.resolve(m.doc_records[id]);
    return load("docs/" + pad(Math.floor(id / m.docs_per_shard))).then(function (d) {
      return d.docs[id % m.docs_per_shard];
    });
  }
  function monthOf(m, id) {
    var lo = 0, hi = m.months.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (m.months[mid].first <= id) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }
  function monthIndex(m, ym) {
    for (var i = 0; i < m.months.length; i++) if (m.months[i].ym === ym) return i;
    return -1;
  }

  // Items holding every phrase, in the month range and department, best
  // first: project-name matches, then how often the phrases occur, then newer months.
  function rank(m, phrases, dept, filter) {
    var all = phrases.concat(dept ? [dept] : []);
    all.sort(function (a, b) { return Object.keys(a).length - Object.keys(b).length; });
    var hits = [];
    Object.keys(all[0]).forEach(function (key) {
      var id = +key;
      if (id < filter.lo || id >= filter.hi) return;
      for (var i = 1; i < all.length; i++) if (!all[i][id]) return;
      var inProject = 0, tf = 0;
      phrases.forEach(function (l) { if (l[id].inProject) inProject++; tf += l[id].tf; });
      hits.push({ id: id, inProject: inProject, tf: tf, month: monthOf(m, id) });
    });
    hits.sort(function (a, b) {
      return b.inProject - a.inProject || b.tf - a.tf || b.month - a.month || a.id - b.id;
    });
    return hits;
  }

  // ---- Showing results ------------------------------------------------
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function escapeRe(s) { return s.replace(/[\^$\\.*+?()[\]{}|\/-]/g, "\\$&"); }
  // Matches any of the patterns, longest first.
  function matcher(pats) {
    pats = pats.slice().sort(function (a, b) { return b.length - a.length; });
    return new RegExp(pats.map(escapeRe).join("|"), "gi");
  }
  // Highlights the words as typed where the item holds them, or else their terms.
  function matcherFor(d, words, terms) {
    var re = words.re || (words.re = matcher(words.list));
    var text = [d.project].concat(d.sections).join("\n");
    re.lastIndex = 0;
    return re.test(text) ? re : terms.re || (terms.re = matcher(terms.list));
  }
  function highlight(text, re) {
    var out = "", last = 0, mt;
    re.lastIndex = 0;
    while ((mt = re.exec(text))) {
      if (!mt[0].length) { re.lastIndex++; continue; }
      out += escapeHtml(text.slice(last, mt.index)) + "<mark>" + escapeHtml(mt[0]) + "</mark>";
      last = mt.index + mt[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }
  var BEFORE = 30, AFTER = 90;
  function snippet(d, planHeading, re) {
    var labels = ["本月进度情况", "存在问题", planHeading];
    var pick = -1, pos = 0;
    for (var i = 0; i < 3 && pick < 0; i++) {
      re.lastIndex = 0;
      var mt = re.exec(d.sections[i] || "");
      if (mt) { pick = i; pos = mt.index; }
    }
    if (pick < 0) {
      for (i = 0; i < 3 && pick < 0; i++) if (d.sections[i]) pick = i;
      if (pick < 0) return "";
    }
    var text = d.sections[pick].replace(/\s+/g, " ");
    var start = Math.max(0, pos - BEFORE), end = Math.min(text.length, pos + AFTER);
    return '<span class="hit-section">' + escapeHtml(labels[pick]) + "：</span>" +
      (start > 0 ? "…" : "") + highlight(text.slice(start, end), re) + (end < text.length ? "…" : "");
  }
  function render(m, d, hit, re) {
    var month = m.months[hit.month];
    var li = document.createElement("li");
    li.className = "search-hit";
    var meta = [month.label];
    if (d.number) meta.push("序号 " + d.number);
    meta.push(d.department);
    li.innerHTML = '<h2><a href="' + escapeHtml(root + d.href) + '">' + highlight(d.project, re) + "</a></h2>" +
      '<p class="hit-meta">' + meta.map(escapeHtml).join(" · ") + "</p>" +
      '<p class="hit-snippet">' + snippet(d, month.plan_heading, re) + "</p>";
    return li;
  }

  var generation = 0;
  function say(text) { status.textContent = text; }
  function describe(q, p, m) {
    var parts = ["“" + q + "”"];
    if (p.from || p.to) {
      var label = function (ym) { var i = monthIndex(m, ym); return i < 0 ? ym : m.months[i].label; };
      parts.push((p.from ? label(p.from) : "最早") + "至" + (p.to ? label(p.to) : "最新"));
    }
    if (p.dept) parts.push("责任部门为" + p.dept);
    return parts.join("，");
  }
  function search(p) {
    var gen = ++generation;
    var q = p.q.trim();
    results.innerHTML = "";
    if (!q) { say(""); return; }
    var phrases = queryPhrases(q);
    if (!phrases.length) { say("请输入要找的汉字、字母或数字。"); return; }
    var terms = [].concat.apply([], phrases.map(function (ph) { return ph.terms; }));
    say("正在搜索…");
    getManifest().then(function (m) {
      var lookups = phrases.map(function (ph) { return phraseHits(m, ph); });
      if (p.dept) {
        var di = m.departments.indexOf(p.dept);
        lookups.push(postings(m, di < 0 ? "#none" : "#" + di));
      }
      var a = p.from ? monthIndex(m, p.from) : 0;
      var b = p.to ? monthIndex(m, p.to) : m.months.length - 1;
      if (a < 0) a = 0;
      if (b < 0) b = m.months.length - 1;
      if (a > b) { var t = a; a = b; b = t; }
      var filter = {
        lo: m.months.length ? m.months[a].first : 0,
        hi: b + 1 < m.months.length ? m.months[b + 1].first : m.docs
      };
      return Promise.all(lookups).then(function (lists) {
        if (gen !== generation) return;
        var hits = rank(m, lists.slice(0, phrases.length), lists[phrases.length], filter);
        var what = describe(q, p, m);
        if (!hits.length) {
          say("没有找到包含" + what + "的工作。请换一个词，或减少筛选条件再试。");
          return;
        }
        say("找到 " + hits.length + " 项包含" + what + "的工作。");
        var list = document.createElement("ol");
        list.className = "search-hits";
        results.appendChild(list);
        var words = { list: q.split(/\s+/).filter(Boolean) }, termPats = { list: terms };
        var shown = 0;
        var more = document.createElement("button");
        more.type = "button";
        more.className = "search-more";
        function page(focus) {
          var slice = hits.slice(shown, shown + m.results_per_page);
          more.disabled = true;
          return Promise.all(slice.map(function (h) { return doc(m, h.id); })).then(function (docs) {
            if (gen !== generation) return;
            var first = null;
            docs.forEach(function (d, i) {
              var li = render(m, d, slice[i], matcherFor(d, words, termPats));
              list.appendChild(li);
              if (!first) first = li.querySelector("a");
            });
            shown += slice.length;
            more.disabled = false;
            if (shown < hits.length) {
              more.textContent = "显示更多结果（还有 " + (hits.length - shown) + " 项）";
              results.appendChild(more);
            } else if (more.parentNode) {
              more.parentNode.removeChild(more);
            }
            if (focus && first) first.focus();
          });
        }
        more.addEventListener("click", function () { page(true).catch(failed); });
        return page(false);
      });
    }).catch(failed);
    function failed() {
      if (gen === generation) say("搜索索引没能加载。请刷新页面再试；也可以从首页按月份浏览。");
    }
  }

  function params() {
    return {
      q: input.value,
      from: fromSel ? fromSel.value : "",
      to: toSel ? toSel.value : "",
      dept: deptSel ? deptSel.value : ""
    };
  }
  function fromUrl() {
    var u = new URLSearchParams(window.location.search);
    input.value = u.get("q") || "";
    if (fromSel) fromSel.value = u.get("from") || "";
    if (toSel) toSel.value = u.get("to") || "";
    if (deptSel) deptSel.value = u.get("dept") || "";
    // A value that names no option leaves the select empty: read back what is selected.
    search(params());
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var p = params();
    var u = new URLSearchParams();
    Object.keys(p).forEach(function (k) { if (p[k]) u.set(k, p[k]); });
    try { history.pushState(null, "", "?" + u.toString()); } catch (err) { /* file:// in some browsers */ }
    search(p);
  });
  window.addEventListener("popstate", fromUrl);
  fromUrl();
})();
