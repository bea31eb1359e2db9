// gongkai: small reading aids. Everything here is optional: pages are complete
// without it. 字号 大/中/小, 长者模式 and the 无障碍 tools are remembered in
// localStorage. The <head> script applies 字号, 长者模式 and 大鼠标 before the
// first paint and marks <html> (data-js, data-can-speak, data-can-close), so
// the CSS shows the controls from then on (tests/it/browser.rs: both agree).
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

  // 无障碍 tools (GB/T 37668, 适老化): 语音朗读 (连读 reads the page, 指读 what
  // is under the pointer or focus), 大鼠标, 十字线, 大字幕. The toggles are
  // remembered in the same localStorage entry as 长者模式; nothing is fetched.
  var TOOLS = ["cursor", "cross", "caption"];
  // The smallest elements whose text is read or captioned as one piece.
  var PIECE = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,th,td,caption,figcaption,a,button,label,summary,legend";
  var speech = !!window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function";
  var reading = false;
  var panel = null, lineH = null, lineV = null, lastPiece = null;
  function layer(cls) {
    var el = document.createElement("div");
    el.className = cls;
    el.setAttribute("aria-hidden", "true");
    el.hidden = true;
    document.body.appendChild(el);
    return el;
  }
  function pieceText(target) {
    var el = target && target.closest ? target.closest(PIECE) : null;
    if (!el || el.closest(".a11y-layer")) return null;
    var text = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
    return text ? { el: el, text: text } : null;
  }
  function stopReading() {
    if (speech) window.speechSynthesis.cancel();
    reading = false;
    applyTools();
  }
  // Long text is queued in pieces: some engines stop a single long utterance.
  function say(texts) {
    window.speechSynthesis.cancel();
    texts.forEach(function (t) {
      var u = new window.SpeechSynthesisUtterance(t);
      u.lang = "zh-CN";
      window.speechSynthesis.speak(u);
    });
  }
  function readPage() {
    var main = document.getElementById("main") || document.body;
    var parts = [];
    (main.innerText || main.textContent || "").split(/\n+/).forEach(function (line) {
      line = line.replace(/\s+/g, " ").trim();
      if (!line) return;
      var last = parts.length - 1;
      if (last >= 0 && parts[last].length + line.length < 200) parts[last] += "\n" + line;
      else parts.push(line);
    });
    if (!parts.length) return;
    reading = true;
    applyTools();
    say(parts);
    // Reading ends by itself: un-press 连读 once the queue is spoken.
    var poll = setInterval(function () {
      if (!window.speechSynthesis.speaking && !window.speechSynthesis.pending) { clearInterval(poll); if (reading) { reading = false; applyTools(); } }
      if (!reading) clearInterval(poll);
    }, 500);
  }
  function applyTools() {
    TOOLS.forEach(function (t) { root.dataset[t] = state[t] ? "on" : ""; });
    document.querySelectorAll("button[data-tool]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!!state[b.getAttribute("data-tool")]));
    });
    document.querySelectorAll("button[data-speech]").forEach(function (b) {
      var on = b.getAttribute("data-speech") === "all" ? reading : !!state.point;
      b.setAttribute("aria-pressed", String(on));
    });
    if (panel) panel.hidden = !state.caption;
    if (lineH) lineH.hidden = lineV.hidden = !state.cross;
  }
  // What is under the pointer or focus: spoken (指读) and captioned (大字幕).
  function point(target) {
    if (!state.point && !state.caption) return;
    var p = pieceText(target);
    if (!p || p.el === lastPiece) return;
    lastPiece = p.el;
    if (state.caption) panel.textContent = p.text;
    if (state.point && speech) say([p.text]);
  }
  function moveLines(x, y) {
    if (!state.cross) return;
    lineH.style.transform = "translateY(" + Math.round(y) + "px)";
    lineV.style.transform = "translateX(" + Math.round(x) + "px)";
  }
  if (document.querySelector(".a11y-tools")) {
    panel = layer("a11y-layer caption-panel");
    lineH = layer("a11y-layer cross-line cross-h");
    lineV = layer("a11y-layer cross-line cross-v");
    if (speech) {
      document.querySelectorAll("[data-needs-speech]").forEach(function (el) { el.hidden = false; });
    } else {
      state.point = false;
    }
    document.querySelectorAll("button[data-tool]").forEach(function (b) {
      b.addEventListener("click", function () {
        var t = b.getAttribute("data-tool");
        state = load(); state[t] = !state[t]; save(state);
        lastPiece = null;
        if (t === "caption" && !state.caption) panel.textContent = "";
        applyTools();
      });
    });
    document.querySelectorAll("button[data-speech]").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.getAttribute("data-speech") === "all") {
          if (reading) stopReading(); else readPage();
        } else {
          state = load(); state.point = !state.point; save(state);
          lastPiece = null;
          if (!state.point) window.speechSynthesis.cancel();
          applyTools();
        }
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && speech && (reading || window.speechSynthesis.speaking)) stopReading();
    });
    // The pointer's last place, and whether the keyboard moved the focus since
    // it moved: when the page scrolls to the focus, the browser reports the
    // element that slid under a resting pointer, which must not take the
    // caption from the focused one.
    var lastX = null, lastY = null, focusSince = false;
    function pointerMoved(e) {
      var moved = e.clientX !== lastX || e.clientY !== lastY;
      lastX = e.clientX; lastY = e.clientY;
      if (moved) focusSince = false;
      return moved;
    }
    document.addEventListener("mouseover", function (e) {
      if (!pointerMoved(e) && focusSince) return;
      point(e.target);
    });
    document.addEventListener("focusin", function (e) {
      focusSince = true;
      point(e.target);
      var r = e.target.getBoundingClientRect ? e.target.getBoundingClientRect() : null;
      if (r) moveLines(r.left + r.width / 2, r.top + r.height / 2);
    });
    document.addEventListener("mousemove", function (e) {
      pointerMoved(e);
      moveLines(e.clientX, e.clientY);
    });
    applyTools();
  }
})();
