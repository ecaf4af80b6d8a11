// neuronet step --html: replay one recorded training step, term by term.
// Every number shown comes from the page's data (the engine's events).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("step-data").textContent);
  var events = data.events;
  var root = document.documentElement;
  var $ = function (id) { return document.getElementById(id); };
  var initial = {};          // element id -> its text before the step
  var setters = [];          // [event index, element id, text]
  events.forEach(function (e, k) {
    if (e.set) {
      var el = $(e.set[0]);
      if (el && !(e.set[0] in initial)) { initial[e.set[0]] = el.textContent; }
      setters.push([k, e.set[0], e.set[1]]);
    }
  });
  var pos = 0;
  var HL = ["hl-neuron", "hl-source", "hl-weight", "hl-path", "hl-value"];

  function clearHighlights() {
    HL.forEach(function (c) {
      Array.prototype.slice.call(document.getElementsByClassName(c)).forEach(function (el) {
        el.classList.remove(c);
      });
    });
  }
  function lit(id, cls) {
    if (!id) { return; }
    var el = $(id);
    if (!el) { return; }
    // a bundle is a group: light its rectangle
    if (el.tagName.toLowerCase() === "g") { el = el.querySelector("rect") || el; }
    el.classList.add(cls);
  }
  function showValues(k) {
    var id;
    for (id in initial) { $(id).textContent = initial[id]; }
    for (var s = 0; s < setters.length && setters[s][0] <= k; s++) {
      $(setters[s][1]).textContent = setters[s][2];
    }
  }
  function go(k) {
    if (!events.length) { return; }
    pos = Math.max(0, Math.min(k, events.length - 1));
    var e = events[pos];
    root.setAttribute("data-term-index", String(pos));
    $("counter").textContent = "term " + (pos + 1) + " of " + events.length;
    var phase = $("phase");
    phase.textContent = e.p;
    phase.className = "phase phase-" + e.p;
    var sample = e.sm === undefined ? "" : (e.sm < 0 ? " · batch" : " · sample " + e.sm);
    $("where").textContent = e.t + sample;
    $("term-formula").innerHTML = e.f;
    $("term-remark").textContent = e.r || "";
    $("spoken").textContent = e.sp || "";     // a screen reader says the term in words
    var history = $("history");
    history.innerHTML = "";
    for (var h = Math.max(0, pos - 3); h < pos; h++) {
      var li = document.createElement("li");
      li.value = h + 1;
      li.innerHTML = events[h].f;
      history.appendChild(li);
    }
    clearHighlights();
    showValues(pos);
    (e.path || []).forEach(function (id) { lit(id, "hl-path"); });
    lit(e.w, "hl-weight");
    lit(e.src, "hl-source");
    lit(e.n, "hl-neuron");
    if (e.set) { lit(e.set[0], "hl-value"); }
    var focus = e.n && $(e.n);
    if (focus && focus.scrollIntoView) { focus.scrollIntoView({block: "nearest", inline: "nearest"}); }
  }
  function find(pred, what) {
    for (var k = pos + 1; k < events.length; k++) {
      if (pred(events[k])) { $("message").textContent = ""; go(k); return; }
    }
    $("message").textContent = "no " + what + " after this term";
  }
  function nextWeight() { find(function (e) { return e.k === "update_w"; }, "weight update"); }
  function nextLayer() {
    var c = events[pos];
    find(function (e) { return e.p !== c.p || e.l !== c.l || (e.sm || 0) !== (c.sm || 0); }, "layer");
  }
  function nextBreak() { find(function (e) { return e.bp === 1; }, "breakpoint"); }

  $("first").addEventListener("click", function () { go(0); });
  $("prev").addEventListener("click", function () { go(pos - 1); });
  $("next").addEventListener("click", function () { go(pos + 1); });
  $("last").addEventListener("click", function () { go(events.length - 1); });
  $("next-weight").addEventListener("click", nextWeight);
  $("next-layer").addEventListener("click", nextLayer);
  $("next-break").addEventListener("click", nextBreak);
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var handled = true;
    switch (ev.key) {
      case "ArrowRight": case " ": case "Spacebar": case "n": go(pos + 1); break;
      case "ArrowLeft": case "p": go(pos - 1); break;
      case "Home": go(0); break;
      case "End": go(events.length - 1); break;
      case "w": nextWeight(); break;
      case "l": nextLayer(); break;
      case "b": nextBreak(); break;
      default: handled = false;
    }
    if (handled) { ev.preventDefault(); }
  });
  go(0);
}());
