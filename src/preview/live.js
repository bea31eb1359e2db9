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
    } else if (name === "broken") {
      overlay(JSON.parse(data).html);
    } else if (name === "fixed") {
      overlay(null);
    } else if (name === "changed") {
      if (serverPage || JSON.parse(data).indexOf(path) >= 0) { reload(); } else { overlay(null); }
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
    ["hello", "reload", "broken", "fixed", "changed", "files"].forEach(function (name) {
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
