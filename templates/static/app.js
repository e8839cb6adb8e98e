// Tracksperanto: progressive enhancement of the upload form and the job page.
// Everything works without this script; it adds drag and drop, hints and live progress.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Pure rules of the upload form, kept apart from the page so that they
  // can be tested without a browser (templates/form_js_test.go).
  var rules = {
    // Whether the comp size must be entered: a chosen format says so
    // itself ("false": it does not store the size); with automatic
    // detection the server's detection of the file does (null: not
    // known yet, then the extension's format, if any, decides).
    sizeNeeded: function (autosize, detection, byExtension) {
      if (autosize !== "auto") return autosize === "false";
      if (detection) return !!detection.needs_size;
      return byExtension === "false";
    },
    // Why the form must not be sent yet, or "" when it may be.
    blockReason: function (s) {
      if (!s.hasFile && !s.stored) return "file";
      if (s.refused) return "refused";
      if (s.sizeNeeded && !(s.width > 0 && s.height > 0)) return "size";
      return "";
    },
    // The order numbers of the chosen tools, from 1, as the server reads
    // them (order.<tool>).
    numbers: function (names) {
      var out = {};
      names.forEach(function (n, i) { out[n] = String(i + 1); });
      return out;
    },
    // A list with the item at i moved by delta (-1 up, +1 down).
    move: function (list, i, delta) {
      var j = i + delta;
      if (j < 0 || j >= list.length) return list.slice();
      var out = list.slice();
      var t = out[i]; out[i] = out[j]; out[j] = t;
      return out;
    }
  };
  window.TracksForm = rules;

  function setupForm(form) {
    var input = form.querySelector("[data-file]");
    var drop = form.querySelector("[data-drop]");
    var nameOut = form.querySelector("[data-file-name]");
    var importer = form.querySelector("[data-importer]");
    var size = form.querySelector("[data-size]");
    var sizeError = form.querySelector("[data-size-error]");
    var detectedOut = form.querySelector("[data-detected]");
    var stored = form.querySelector("[data-stored]");
    var chosen = form.querySelector("[data-chosen]");
    var catalog = form.querySelector("[data-catalog]");
    var chosenEmpty = form.querySelector("[data-chosen-empty]");
    var summary = form.querySelector("[data-summary]");
    var width = form.querySelector("input[name=width]");
    var height = form.querySelector("input[name=height]");
    var noFileText = nameOut.textContent;

    // What the server's detection said of the chosen file (or of the file
    // the server keeps for this form); null while it is not known.
    var detection = null;
    if (stored && stored.hasAttribute("data-detected-importer")) {
      detection = { importer: stored.getAttribute("data-detected-importer"), format: stored.getAttribute("data-detected-format"),
        needs_size: stored.getAttribute("data-needs-size") === "true",
        message: stored.getAttribute("data-message") };
    }
    var asked = 0; // the number of the latest detection asked
    var timer = null;

    function chosenFile() { return input.files && input.files[0]; }
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
      var f = chosenFile();
      var guess = f && importerFor(f.name);
      return rules.sizeNeeded(o.getAttribute("data-autosize"), detection,
        guess ? guess.getAttribute("data-autosize") : null);
    }
    function showDetection() {
      detectedOut.textContent = detection ? detection.message || "" : "";
      detectedOut.classList.toggle("needs", !!(detection && detection.needs_size));
      detectedOut.classList.toggle("refused", !!(detection && detection.refused));
    }
    function updateSize() {
      var need = sizeNeeded();
      size.classList.toggle("needed", need);
      [width, height].forEach(function (i) { i.required = need; });
      if (!need || (width.value > 0 && height.value > 0)) {
        sizeError.hidden = true;
      }
      updateSummary();
    }
    // Asks the server what the chosen file looks like: its own detection
    // on the file's name and first 8 KiB, so that the answer is the one
    // the conversion will reach. Without an answer the extension decides.
    function detect() {
      var f = chosenFile();
      detection = null;
      showDetection();
      updateSize();
      if (!f) return;
      var n = ++asked;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/detect?name=" + encodeURIComponent(f.name), {
          method: "POST", body: f.slice(0, 8192),
          headers: { "Content-Type": "application/octet-stream", Accept: "application/json" }
        }).then(function (r) {
          if (!r.ok) throw new Error("detect " + r.status);
          return r.json();
        }).then(function (d) {
          if (n !== asked) return; // another file was chosen since
          detection = d;
          showDetection();
          updateSize();
        }).catch(function () {});
      }, 150);
    }
    function showFile() {
      var f = chosenFile();
      nameOut.textContent = f ? f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)" : noFileText;
      drop.classList.toggle("has-file", !!f);
      if (stored) stored.hidden = !!f;
      detect();
    }

    // Tools: the chosen ones are a list in the order they run; checking
    // a tool appends it, the buttons move or remove it. The order fields
    // (hidden here; typed by hand without this script) carry the order.
    function chosenNames() {
      var out = [];
      chosen.querySelectorAll("[data-tool]").forEach(function (t) { out.push(t.getAttribute("data-tool")); });
      return out;
    }
    function renumber() {
      var nums = rules.numbers(chosenNames());
      form.querySelectorAll("[data-tool]").forEach(function (t) {
        var name = t.getAttribute("data-tool");
        t.querySelector("[data-order]").value = nums[name] || "";
      });
      chosenEmpty.hidden = chosenNames().length > 0;
      updateSummary();
    }
    function putBack(tool) {
      var i = parseInt(tool.getAttribute("data-index"), 10);
      var items = catalog.querySelectorAll("[data-tool]");
      for (var k = 0; k < items.length; k++) {
        if (parseInt(items[k].getAttribute("data-index"), 10) > i) {
          catalog.insertBefore(tool, items[k]);
          return;
        }
      }
      catalog.appendChild(tool);
    }
    function setOn(tool, on, focus) {
      tool.querySelector("[data-tool-on]").checked = on;
      tool.classList.toggle("on", on);
      if (on) chosen.appendChild(tool); else putBack(tool);
      renumber();
      if (focus) focus.focus();
    }
    form.querySelectorAll("[data-tool]").forEach(function (tool) {
      var box = tool.querySelector("[data-tool-on]");
      box.addEventListener("change", function () {
        setOn(tool, box.checked, box.checked ? tool.querySelector("[data-move=remove]") : box);
      });
      tool.querySelectorAll("[data-move]").forEach(function (b) {
        b.addEventListener("click", function () {
          var how = b.getAttribute("data-move");
          if (how === "remove") {
            setOn(tool, false, box);
            return;
          }
          var names = chosenNames();
          var i = names.indexOf(tool.getAttribute("data-tool"));
          var order = rules.move(names, i, how === "up" ? -1 : 1);
          order.forEach(function (n) { chosen.appendChild(form.querySelector("[data-tool=\"" + n + "\"]")); });
          renumber();
          b.focus();
        });
      });
    });

    function updateSummary() {
      if (!summary) return;
      var outs = form.querySelectorAll("input[name=exporter]:checked").length;
      var tools = chosenNames().length;
      summary.textContent = outs + (outs === 1 ? " output format" : " output formats") +
        (tools ? " · " + tools + (tools === 1 ? " tool" : " tools") : "");
    }

    input.addEventListener("change", showFile);
    importer.addEventListener("change", updateSize);
    [width, height].forEach(function (i) { i.addEventListener("input", updateSize); });
    form.querySelectorAll("input[name=exporter]").forEach(function (c) { c.addEventListener("change", updateSummary); });
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
    form.querySelectorAll("[data-all],[data-none]").forEach(function (b) {
      b.addEventListener("click", function () {
        var name = b.getAttribute("data-all") || b.getAttribute("data-none");
        var on = b.hasAttribute("data-all");
        form.querySelectorAll("input[name=" + name + "]").forEach(function (c) { c.checked = on; });
        updateSummary();
      });
    });
    // The server stays the authority; this only spares an upload that
    // would come back refused.
    form.addEventListener("submit", function (e) {
      var why = rules.blockReason({ hasFile: !!chosenFile(), stored: !!stored,
        refused: !!(detection && detection.refused), sizeNeeded: sizeNeeded(),
        width: parseInt(width.value, 10), height: parseInt(height.value, 10) });
      if (why) {
        e.preventDefault();
        if (why === "file") {
          nameOut.textContent = "Choose a track file first";
          drop.classList.add("over");
          input.focus();
        } else if (why === "refused") {
          input.focus(); // the message says why: choose another file
        } else {
          sizeError.textContent = "Enter the width and height first: " +
            (detection && detection.format ? detection.format + " files do" : "this format does") +
            " not store the comp size.";
          sizeError.hidden = false;
          (width.value > 0 ? height : width).focus();
        }
        return;
      }
      var btn = form.querySelector("button[type=submit]");
      btn.disabled = true;
      btn.textContent = chosenFile() ? "Uploading…" : "Converting…";
    });
    window.addEventListener("pageshow", function () {
      var btn = form.querySelector("button[type=submit]");
      btn.disabled = false;
      btn.textContent = "Convert";
    });
    showDetection();
    renumber();
    if (chosenFile()) showFile(); else updateSize();
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
