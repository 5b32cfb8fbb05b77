// Perkamo console: small progressive helpers. Every page works without this file; it adds the
// editor's line numbers, jumping to a problem's line, copying a new key, confirmations and the
// live log's stream. No decisions are made here: the server renders every row and message.
(function () {
  "use strict";

  // ---- the program editor: line numbers, problem lines, jump to a line
  function editor() {
    var text = document.getElementById("program-text");
    if (!text) return null;
    var gutter = text.parentElement.querySelector(".gutter");
    return { text: text, gutter: gutter };
  }

  function renderGutter() {
    var e = editor();
    if (!e || !e.gutter) return;
    var lines = e.text.value.split("\n").length;
    var bad = {};
    document.querySelectorAll("#check-panel [data-problem-line], #apply-panel [data-problem-line]").forEach(function (li) {
      bad[li.getAttribute("data-problem-line")] = true;
    });
    var html = [];
    for (var i = 1; i <= lines; i++) {
      html.push(bad[i] ? '<span class="bad">' + i + "</span>" : "<span>" + i + "</span>");
    }
    e.gutter.innerHTML = html.join("");
    e.gutter.scrollTop = e.text.scrollTop;
  }

  function gotoLine(n) {
    var e = editor();
    if (!e) return;
    var lines = e.text.value.split("\n");
    var start = 0;
    for (var i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
    var end = start + (lines[n - 1] || "").length;
    e.text.focus();
    e.text.setSelectionRange(start, end);
    var lineHeight = parseFloat(getComputedStyle(e.text).lineHeight) || 20;
    e.text.scrollTop = Math.max(0, (n - 4) * lineHeight);
    renderGutter();
  }

  document.addEventListener("input", function (ev) {
    if (ev.target && ev.target.id === "program-text") renderGutter();
  });
  document.addEventListener("scroll", function (ev) {
    var e = editor();
    if (e && ev.target === e.text && e.gutter) e.gutter.scrollTop = e.text.scrollTop;
  }, true);
  document.addEventListener("click", function (ev) {
    var line = ev.target.closest && ev.target.closest("[data-goto-line]");
    if (line) {
      ev.preventDefault();
      gotoLine(parseInt(line.getAttribute("data-goto-line"), 10));
    }
    var copy = ev.target.closest && ev.target.closest("[data-copy-target]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy-target"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          copy.textContent = "Copied";
        }, function () {
          copy.textContent = "Select and copy";
        });
      } else if (source) {
        var range = document.createRange();
        range.selectNodeContents(source);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        copy.textContent = "Selected: press Ctrl+C";
      }
    }
  });
  document.addEventListener("submit", function (ev) {
    var message = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) ev.preventDefault();
  });
  document.addEventListener("htmx:afterSwap", renderGutter);

  // ---- the live log: server-sent events of rendered rows
  var MAX_ROWS = 200;
  function live() {
    var body = document.querySelector("[data-stream]");
    if (!body || !window.EventSource) return;
    var status = document.getElementById("live-status");
    function state(s, text) {
      if (!status) return;
      status.setAttribute("data-state", s);
      status.textContent = text;
    }
    var source = new EventSource(body.getAttribute("data-stream"));
    source.addEventListener("ready", function () { state("live", "Live: new outcomes appear at the top"); });
    source.addEventListener("outcome", function (ev) {
      var empty = body.querySelector(".empty-row");
      if (empty) empty.remove();
      body.insertAdjacentHTML("afterbegin", ev.data);
      while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
    });
    source.addEventListener("skipped", function (ev) {
      state("live", "Live (" + ev.data + " outcomes skipped: this view could not keep up)");
    });
    source.addEventListener("busy", function (ev) { state("off", ev.data); source.close(); });
    source.onerror = function () {
      state("connecting", source.readyState === EventSource.CLOSED ? "Disconnected: reload the page" : "Reconnecting…");
    };
  }

  function start() {
    renderGutter();
    live();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
