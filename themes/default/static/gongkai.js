// gongkai: small reading aids. Everything here is optional: pages are complete
// without it. 字号 大/中/小 and 长者模式 are remembered in localStorage (the
// inline script in <head> applies them before the first paint).
(function () {
  "use strict";
  var root = document.documentElement;
  function load() { try { return JSON.parse(localStorage.getItem("gongkai") || "{}"); } catch (e) { return {}; } }
  function save(s) { try { localStorage.setItem("gongkai", JSON.stringify(s)); } catch (e) {} }
  var state = load();
  function apply() {
    root.dataset.size = state.size || "";
    root.dataset.elder = state.elder ? "on" : "";
    document.querySelectorAll("button[data-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", String((state.size || "") === b.getAttribute("data-size")));
    });
    document.querySelectorAll(".elder-toggle").forEach(function (b) { b.setAttribute("aria-pressed", String(!!state.elder)); });
  }
  document.querySelectorAll("[data-needs-script]").forEach(function (el) { el.hidden = false; });
  document.querySelectorAll("button[data-size]").forEach(function (b) {
    b.addEventListener("click", function () { state = load(); state.size = b.getAttribute("data-size"); save(state); apply(); });
  });
  document.querySelectorAll(".elder-toggle").forEach(function (b) {
    b.addEventListener("click", function () { state = load(); state.elder = !state.elder; save(state); apply(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // [关闭] only where a script may close the window: one a script opened, or
  // a fresh tab with nothing to go back to (the rule browsers apply).
  if (window.opener || history.length === 1) {
    document.querySelectorAll("[data-close]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.close(); });
    });
  }
  apply();
})();
