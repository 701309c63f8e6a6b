// Predict, then check. Each "Predict" box on a lesson page holds a question, a form (hidden until
// this script runs: without JavaScript the simulation's answer stays behind its disclosure) and
// the answer. Checking compares the prediction with the simulated value — within the box's
// tolerance for a number — says so, and opens the answer. What a student typed is kept in this
// browser's localStorage so it is still there on the next visit; nothing leaves the page.
(function () {
  "use strict";
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  function key(box) { return "virtlab-predict:" + location.pathname + "#" + box.id; }

  // "1,234.5", "1 234", "−3", "2e6", "45 %" → a number; anything else → NaN.
  function number(text) {
    var t = String(text).replace(/[\s,%]/g, "").replace(/\u2212/g, "-");
    return /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? parseFloat(t) : NaN;
  }

  function judge(box, given) {
    if (box.dataset.choice === "yes") return given === box.dataset.expected;
    var x = number(given), y = number(box.dataset.expected), tol = parseFloat(box.dataset.tolerance) || 0;
    if (isNaN(x)) return null;
    return Math.abs(x - y) <= tol * Math.abs(y) + 1e-9 * Math.max(1, Math.abs(y));
  }

  function show(box, given, save) {
    var ok = judge(box, given), out = box.querySelector("output");
    if (ok === null) { out.textContent = box.dataset.invalid; out.className = "wrong"; return; }
    out.textContent = ok ? box.dataset.right : box.dataset.wrong;
    out.className = ok ? "right" : "wrong";
    box.querySelector("details").open = true;
    box.classList.add("checked");
    if (save && store) { try { store.setItem(key(box), given); } catch (e) { /* private mode: nothing kept */ } }
  }

  var boxes = document.querySelectorAll("aside.predict");
  Array.prototype.forEach.call(boxes, function (box) {
    var form = box.querySelector("form");
    form.hidden = false;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var given;
      if (box.dataset.choice === "yes") {
        var picked = form.querySelector("input:checked");
        given = picked ? picked.value : "";
      } else {
        given = form.querySelector("input").value.trim();
      }
      if (given !== "") show(box, given, true);
    });
    var saved = store ? store.getItem(key(box)) : null;
    if (saved !== null) {
      if (box.dataset.choice === "yes") {
        Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]"), function (r) { r.checked = r.value === saved; });
      } else {
        form.querySelector("input").value = saved;
      }
      show(box, saved, false);
    }
  });
})();
