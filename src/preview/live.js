// gongkai serve: reloads this page when what it shows changes, keeping the
// scroll position, and shows content errors over the page until they are
// fixed. Injected only by the preview server; built sites never load it.
//
// A browser allows six connections to one host, and an event stream holds
// one for good: with one stream a tab, a seventh tab would never load. So
// the tabs of a browser share one stream: the tab holding the Web Lock
// "gongkai-live" opens it (?tabs=1: every change, as a list) and passes each
// event to the others over a BroadcastChannel; when it closes or reloads the
// lock goes to another tab. Without Web Locks (a page not served from a
// loopback address) each tab keeps a stream of its own, as before.
(function () {
  "use strict";
  var scrollKey = "gongkai-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var pos = JSON.parse(saved);
    var restore = function () { window.scrollTo(pos[0], pos[1]); };
    restore();
    // Images and fonts can change the layout after the first restore.
    window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  // A page whose content changed is updated in place: its new HTML is
  // fetched and the parts that differ (the <main>, the title, the 网页标签…)
  // replace the old ones, so the stylesheet and scripts already loaded stay
  // and nothing flashes. A full reload instead when the new page loads other
  // stylesheets or scripts, when its body is laid out differently, or when a
  // part that scripts bind to (the toolbar, the print actions) changed.
  // Every part that differs is replaced whole, never patched.
  var SCRIPTED = "script, button, [data-needs-script], [data-needs-speech]";
  // Parts scripts add or mark, which the page's HTML does not hold.
  function added(el) {
    return el.id === "gongkai-overlay" || el.classList.contains("a11y-layer");
  }
  function parts(parent) {
    return Array.prototype.filter.call(parent.children, function (el) { return !added(el); });
  }
  // The resources a document loads: the same list, or a reload.
  function resources(doc) {
    return Array.prototype.map.call(
      doc.querySelectorAll("link[rel=stylesheet], link[rel=icon], script"),
      function (el) { return el.outerHTML; }
    ).join("\n");
  }
  // A part's HTML with what scripts change at run time (hidden, pressed)
  // left out, so a toolbar the script has set up equals the one in the HTML.
  function pristine(el) {
    var copy = el.cloneNode(true);
    [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("*"))).forEach(function (e) {
      e.removeAttribute("hidden");
      e.removeAttribute("aria-pressed");
    });
    return copy.outerHTML;
  }
  // The replacements that turn the open page into `doc`, or null when only a
  // reload can.
  function plan(doc) {
    if (!doc.body || resources(doc) !== resources(document)) { return null; }
    var swaps = [];
    var pairs = [[parts(document.head), parts(doc.head)], [parts(document.body), parts(doc.body)]];
    for (var p = 0; p < pairs.length; p++) {
      var old = pairs[p][0], now = pairs[p][1];
      if (old.length !== now.length) { return null; }
      for (var i = 0; i < old.length; i++) {
        if (old[i].tagName !== now[i].tagName) { return null; }
        if (old[i].isEqualNode(now[i])) { continue; }
        var scripted = old[i].matches(SCRIPTED) || old[i].querySelector(SCRIPTED) !== null;
        if (scripted && pristine(old[i]) === pristine(now[i])) { continue; }
        if (scripted || now[i].matches(SCRIPTED) || now[i].querySelector(SCRIPTED) !== null) { return null; }
        swaps.push([old[i], now[i]]);
      }
    }
    return swaps;
  }
  var updating = false, again = false, updates = 0;
  function update() {
    if (updating) { again = true; return; }
    updating = true;
    fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.text();
      })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var swaps = plan(doc);
        if (swaps === null) { reload(); return; }
        var x = window.scrollX, y = window.scrollY;
        swaps.forEach(function (s) { s[0].replaceWith(document.adoptNode(s[1])); });
        document.body.className = doc.body.className;
        window.scrollTo(x, y);
        updates += 1;
        document.documentElement.setAttribute("data-gongkai-updates", String(updates));
        document.dispatchEvent(new CustomEvent("gongkai:updated", { detail: { parts: swaps.length } }));
        updating = false;
        if (again) { again = false; update(); }
      })
      .catch(function () { reload(); });
  }

  function overlay(html) {
    var old = document.getElementById("gongkai-overlay");
    if (old) { old.parentNode.removeChild(old); }
    if (html) { document.body.insertAdjacentHTML("beforeend", html); }
  }

  // The output path this page is (`2020-07/index.html`); the server's own
  // pages (404 …) reload on every change.
  var serverPage = document.querySelector("meta[name=gongkai-server-page]") !== null;
  var path = decodeURIComponent(location.pathname).replace(/^\//, "");
  if (path === "" || /\/$/.test(path)) { path += "index.html"; }
  var inView = path.replace(/^(print|m)\//, "");

  var server = null;
  function handle(name, data) {
    if (name === "hello") {
      // Reconnected to a restarted server: this page may be out of date.
      if (server !== null && server !== data) { reload(); return; }
      server = data;
      document.documentElement.setAttribute("data-gongkai-live", "connected");
    } else if (name === "reload") {
      reload();
    } else if (name === "update") {
      overlay(null);
      update();
    } else if (name === "broken") {
      overlay(JSON.parse(data).html);
    } else if (name === "fixed") {
      overlay(null);
    } else if (name === "changed") {
      overlay(null);
      if (serverPage) { reload(); } else if (JSON.parse(data).indexOf(path) >= 0) { update(); }
    } else if (name === "files") {
      var search = inView.indexOf("search/") === 0;
      var shown = JSON.parse(data).some(function (f) {
        return f.indexOf("static/") === 0 || (search && f.indexOf("search/") === 0);
      });
      if (serverPage || shown) { reload(); }
    }
  }

  function listen(url, pass) {
    var events = new EventSource(url);
    ["hello", "update", "reload", "broken", "fixed", "changed", "files"].forEach(function (name) {
      events.addEventListener(name, function (e) {
        if (pass) { pass(name, e.data); }
        handle(name, e.data);
      });
    });
    return events;
  }

  var own = "/__gongkai/events?page=" + encodeURIComponent(location.pathname);
  if (!(window.BroadcastChannel && navigator.locks)) { listen(own, null); return; }

  var channel = new BroadcastChannel("gongkai-live");
  var leading = false;
  var last = { hello: null, broken: null };
  channel.onmessage = function (e) {
    var m = e.data;
    if (m.name === "ask") {
      // A new tab: tell it the server and any overlay.
      if (leading && last.hello !== null) {
        channel.postMessage({ name: "hello", data: last.hello });
        if (last.broken !== null) { channel.postMessage({ name: "broken", data: last.broken }); }
      }
      return;
    }
    handle(m.name, m.data);
  };
  navigator.locks.request("gongkai-live", function () {
    leading = true;
    listen("/__gongkai/events?tabs=1&page=" + encodeURIComponent(location.pathname), function (name, data) {
      if (name === "hello") { last.hello = data; }
      if (name === "broken") { last.broken = data; }
      if (name === "fixed" || name === "changed") { last.broken = null; }
      channel.postMessage({ name: name, data: data });
    });
    // Held until this tab goes.
    return new Promise(function () {});
  });
  channel.postMessage({ name: "ask" });
})();
