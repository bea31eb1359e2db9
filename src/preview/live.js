// gongkai serve: reloads this page when what it shows changes, keeping the
// scroll position, and shows content errors over the page until they are
// fixed. Injected only by the preview server; built sites never load it.
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

  var server = null;
  var events = new EventSource("/__gongkai/events?page=" + encodeURIComponent(location.pathname));
  events.addEventListener("hello", function (e) {
    // Reconnected to a restarted server: this page may be out of date.
    if (server !== null && server !== e.data) { reload(); }
    server = e.data;
  });
  events.addEventListener("reload", reload);
  events.addEventListener("broken", function (e) { overlay(JSON.parse(e.data).html); });
  events.addEventListener("fixed", function () { overlay(null); });
})();
