// Tracksperanto: progressive enhancement of the upload form and the job page.
// Everything works without this script; it adds drag and drop, hints and live progress.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function setupForm(form) {
    var input = form.querySelector("[data-file]");
    var drop = form.querySelector("[data-drop]");
    var nameOut = form.querySelector("[data-file-name]");
    var importer = form.querySelector("[data-importer]");
    var size = form.querySelector("[data-size]");

    function extOf(name) {
      var i = name.lastIndexOf(".");
      return i > 0 ? name.slice(i).toLowerCase() : "";
    }
    // The importer the extension selects, as the server's detection does first.
    function importerFor(name) {
      var ext = extOf(name);
      if (!ext) return null;
      for (var i = 0; i < importer.options.length; i++) {
        var o = importer.options[i];
        var exts = (o.getAttribute("data-ext") || "").split(" ");
        if (exts.indexOf(ext) >= 0) return o;
      }
      return null;
    }
    function sizeNeeded() {
      var o = importer.options[importer.selectedIndex];
      var auto = o.getAttribute("data-autosize");
      if (auto === "auto") {
        var f = input.files && input.files[0];
        var guess = f && importerFor(f.name);
        return guess ? guess.getAttribute("data-autosize") === "false" : false;
      }
      return auto === "false";
    }
    function updateSize() {
      var need = sizeNeeded();
      size.classList.toggle("needed", need);
      size.querySelectorAll("input").forEach(function (i) { i.required = need; });
    }
    function showFile() {
      var f = input.files && input.files[0];
      nameOut.textContent = f ? f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)" : "No file chosen";
      drop.classList.toggle("has-file", !!f);
      updateSize();
    }

    input.addEventListener("change", showFile);
    importer.addEventListener("change", updateSize);
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        showFile();
      }
    });

    form.querySelectorAll("[data-tool]").forEach(function (tool) {
      var box = tool.querySelector("input[name=tool]");
      box.addEventListener("change", function () { tool.classList.toggle("on", box.checked); });
    });
    form.querySelectorAll("[data-all],[data-none]").forEach(function (b) {
      b.addEventListener("click", function () {
        var name = b.getAttribute("data-all") || b.getAttribute("data-none");
        var on = b.hasAttribute("data-all");
        form.querySelectorAll("input[name=" + name + "]").forEach(function (c) { c.checked = on; });
      });
    });
    form.addEventListener("submit", function (e) {
      if (!input.files || !input.files.length) {
        e.preventDefault();
        nameOut.textContent = "Choose a track file first";
        drop.classList.add("over");
        return;
      }
      var btn = form.querySelector("button[type=submit]");
      btn.disabled = true;
      btn.textContent = "Uploading…";
    });
    window.addEventListener("pageshow", function () {
      var btn = form.querySelector("button[type=submit]");
      btn.disabled = false;
      btn.textContent = "Convert";
    });
    showFile();
  }

  function setupJob(el) {
    var state = el.getAttribute("data-state");
    if (state !== "queued" && state !== "running") return;
    var url = el.getAttribute("data-status");
    var fill = el.querySelector("[data-fill]");
    var bar = el.querySelector("[data-bar]");
    var pct = el.querySelector("[data-percent]");
    var msg = el.querySelector("[data-message]");
    var badge = el.querySelector("[data-badge]");
    var failures = 0;
    // The bar never goes back within one attempt: a status answered
    // without live progress (memcached restarted, another server process)
    // must not take it from "100 % Packing" to "0 % Starting". A new
    // attempt (the job was tried again) starts from 0 honestly.
    var shown = parseInt(bar.getAttribute("aria-valuenow"), 10) || 0;
    var attempt = null;
    // A small job ends within a fraction of a second: look soon, then
    // less and less often (100 ms, 150, 225, 338, then every 500 ms).
    var delay = 100;
    function again() {
      setTimeout(poll, delay);
      delay = Math.min(500, Math.round(delay * 1.5));
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) {
          if (!r.ok) throw new Error("status " + r.status);
          return r.json();
        })
        .then(function (s) {
          failures = 0;
          if (s.state === "done" || s.state === "failed") {
            window.location.reload();
            return;
          }
          var p = Math.max(0, Math.min(100, s.percent | 0));
          if (s.state === "queued" || (attempt !== null && s.attempt !== attempt)) {
            shown = 0;
          }
          attempt = s.attempt;
          if (p < shown) {
            again();
            return; // keep what was shown, message included
          }
          shown = p;
          fill.style.width = p + "%";
          bar.setAttribute("aria-valuenow", p);
          pct.textContent = p + "%";
          msg.textContent = s.message || "";
          badge.textContent = s.state === "queued" ? "Waiting in the queue" : "Converting";
          again();
        })
        .catch(function () {
          failures++;
          setTimeout(poll, Math.min(10000, 500 * Math.pow(2, failures)));
        });
    }
    again();
  }

  // Job page: a tracker's row in the table and its group in the drawing
  // (path and coverage row) light up together while either is pointed
  // at or focused. Without this script the drawing still does it for
  // its own paths (CSS :hover) and for a clicked name (:target).
  function setupPreview(root) {
    var svg = root.querySelector("svg");
    if (!svg) return;
    var lit = null;
    function mark(id, on) {
      var g = document.getElementById(id);
      if (g && svg.contains(g)) g.classList.toggle("on", on);
      var row = root.querySelector('tr[data-t="' + id + '"]');
      if (row) row.classList.toggle("on", on);
    }
    function light(id) {
      if (id === lit) return;
      if (lit) mark(lit, false);
      lit = id;
      if (id) mark(id, true);
      svg.classList.toggle("hl", !!id);
    }
    // The tracker an element belongs to: a row's data-t, a group's id.
    function trackerOf(el) {
      for (; el && el !== root; el = el.parentNode) {
        if (el.nodeType !== 1) continue;
        var t = el.getAttribute("data-t");
        if (t) return t;
        if (el.tagName.toLowerCase() === "g" && /^trk\d+$/.test(el.id)) return el.id;
      }
      return null;
    }
    root.addEventListener("mouseover", function (e) { light(trackerOf(e.target)); });
    root.addEventListener("mouseleave", function () { light(null); });
    root.addEventListener("focusin", function (e) { light(trackerOf(e.target)); });
    root.addEventListener("focusout", function () { light(null); });
  }

  ready(function () {
    var form = document.querySelector("[data-upload]");
    if (form) setupForm(form);
    var job = document.querySelector("[data-job]");
    if (job) setupJob(job);
    var preview = document.querySelector("[data-preview]");
    if (preview) setupPreview(preview);
  });
})();
