// The trace explorer of a run page: an overview strip of the whole run and a detail view that
// zooms from the whole run down to single events. Data comes from a script the page loads
// (window.VIRTLAB_TRACES[id], written by VirtLab from the trace): per-lane buckets, from which
// every zoom level is summed here, and — when the trace is small enough — every event with its
// fields. No network, no framework; works from file://.
//
// Mouse: wheel to zoom at the pointer, drag to pan, click the overview to jump, hover an event
// for its fields, click to pin them. The view lives in the URL fragment
// (#explore=ID@FROM-TO, nanoseconds of simulated time; &pin=N for a pinned event, &lanes=A,B
// when some lanes are hidden, &align=MARK when a comparison is aligned at a named moment), so a
// link opens the page at the same moment. Touch: drag to pan, pinch to zoom. Keyboard (focus the
// view): + and − zoom, ← and → pan, Home shows the whole run, Esc unpins.
//
// A comparison's explorers (data-group) zoom and pan together, aligned at their starts or at a
// moment every run has (the switch-over, round 1…): times are then shown from that moment.
(function () {
  "use strict";
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#7f7f7f"];
  var LANE = 24, COUNTER = 34, LABEL = 120, AXIS = 26, RAW_MAX = 6000;

  function timeText(ns) {
    var a = Math.abs(ns), sign = ns < 0 ? "−" : "";
    if (a >= 1e9) return sign + +(a / 1e9).toPrecision(4) + " s";
    if (a >= 1e6) return sign + +(a / 1e6).toPrecision(4) + " ms";
    if (a >= 1e3) return sign + +(a / 1e3).toPrecision(4) + " µs";
    return sign + Math.round(a) + " ns";
  }

  // Round tick positions: 1, 2 or 5 × 10^k apart, about `n` of them.
  function ticks(t0, t1, n) {
    var raw = (t1 - t0) / Math.max(1, n), p = Math.pow(10, Math.floor(Math.log10(raw))), step = p;
    if (raw / p > 5) step = 10 * p; else if (raw / p > 2) step = 5 * p; else if (raw / p > 1) step = 2 * p;
    var out = [];
    for (var t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push(t);
    return out;
  }

  // "the first stop and copy (stage)", "the first round".
  function markText(m) {
    return "the first " + m.name.replace(/_/g, " ") + (m.of ? " (" + m.of.replace(/_/g, " ") + ")" : "");
  }

  function css(el, name) { return getComputedStyle(el).getPropertyValue(name).trim(); }

  function Explorer(root, data) {
    var self = this;
    this.root = root;
    this.d = data;
    this.span = Math.max(1, data.end - data.start);
    this.bucketNs = this.span / data.buckets;
    this.view = [0, this.span];
    this.pinned = null;
    // Where time zero of the axis is (ns from the run's start): 0, or an alignment mark's time.
    this.shift = 0;
    this.align = null;
    this.hidden = {};
    // Prefix sums per events lane: a pixel column's count and busy time are two subtractions.
    this.lanes = data.lanes.map(function (lane) {
      var l = { name: lane.name, type: lane.type, src: lane };
      if (lane.type === "events") {
        var n = lane.count.length, c = new Float64Array(n + 1), b = new Float64Array(n + 1);
        for (var i = 0; i < n; i++) { c[i + 1] = c[i] + lane.count[i]; b[i + 1] = b[i] + lane.busy[i]; }
        l.cum = c; l.busyCum = b;
      }
      return l;
    });
    // Raw events by lane, sorted by start, for drawing and hit testing.
    this.raw = null;
    if (data.raw) {
      var r = data.raw, byLane = this.lanes.map(function () { return []; });
      for (var i = 0; i < r.t.length; i++) if (r.l[i] >= 0 && byLane[r.l[i]]) byLane[r.l[i]].push(i);
      byLane.forEach(function (ids) { ids.sort(function (a, b) { return r.t[a] - r.t[b]; }); });
      this.raw = byLane;
      // The longest event bounds how far back a view must look for events that overlap it.
      this.maxDur = 0;
      for (var j = 0; j < r.d.length; j++) if (r.d[j] > this.maxDur) this.maxDur = r.d[j];
    }
    // Kinds that dominate something get a colour, in order of first use (as in the figures).
    this.colourOf = {};
    var used = 0, colour = function (k) { if (!(k in self.colourOf)) self.colourOf[k] = PALETTE[used++ % PALETTE.length]; };
    data.lanes.forEach(function (lane) { if (lane.dom) lane.dom.forEach(function (k) { if (k >= 0) colour(k); }); });
    if (data.raw) data.raw.k.forEach(colour);

    root.innerHTML = "";
    var bar = document.createElement("div");
    bar.className = "explorer-bar";
    bar.innerHTML = '<button type="button" data-act="in" aria-label="Zoom in">+</button>' +
      '<button type="button" data-act="out" aria-label="Zoom out">−</button>' +
      '<button type="button" data-act="all">Whole run</button> ' +
      '<details class="explorer-lanes"><summary>Lanes</summary><div></div></details> <span class="explorer-range" aria-live="polite"></span>';
    this.range = bar.querySelector(".explorer-range");
    // One checkbox per lane: hidden lanes are not drawn (and are named in the link).
    var laneBox = bar.querySelector(".explorer-lanes div");
    this.lanes.forEach(function (l) {
      var label = document.createElement("label"), box = document.createElement("input");
      box.type = "checkbox"; box.checked = true; box.setAttribute("data-lane", l.name);
      box.addEventListener("change", function () { self.showLane(l.name, box.checked); });
      label.appendChild(box); label.appendChild(document.createTextNode(" " + l.name));
      laneBox.appendChild(label);
    });
    this.laneBoxes = laneBox;
    bar.addEventListener("click", function (ev) {
      var act = ev.target.getAttribute && ev.target.getAttribute("data-act");
      if (act === "in") self.zoom(0.5, 0.5); else if (act === "out") self.zoom(2, 0.5); else if (act === "all") self.set(0, self.span);
    });
    this.overview = document.createElement("canvas");
    this.overview.className = "explorer-overview";
    this.overview.setAttribute("aria-hidden", "true");
    this.detail = document.createElement("canvas");
    this.detail.className = "explorer-detail";
    this.detail.tabIndex = 0;
    this.detail.setAttribute("role", "img");
    this.detail.setAttribute("aria-label", "Trace explorer: + and − zoom, arrow keys pan, Home shows the whole run");
    this.tip = document.createElement("div");
    this.tip.className = "explorer-tip";
    this.tip.setAttribute("role", "status");
    this.tip.hidden = true;
    this.hint = document.createElement("p");
    this.hint.className = "explorer-hint";
    this.hint.hidden = true;
    root.appendChild(bar); root.appendChild(this.overview); root.appendChild(this.detail); root.appendChild(this.tip); root.appendChild(this.hint);
    this.legend = document.createElement("p");
    this.legend.className = "explorer-legend";
    Object.keys(this.colourOf).forEach(function (k) {
      var s = document.createElement("span");
      s.innerHTML = '<i style="background:' + self.colourOf[k] + '"></i>';
      s.appendChild(document.createTextNode(data.kinds[k].name));
      self.legend.appendChild(s);
    });
    root.appendChild(this.legend);
    this.bind();
    this.draw();
    window.addEventListener("resize", function () { self.draw(); });
  }

  Explorer.prototype.showLane = function (name, shown) {
    if (shown) delete this.hidden[name]; else this.hidden[name] = true;
    var box = this.laneBoxes.querySelector('input[data-lane="' + name.replace(/"/g, '\\"') + '"]');
    if (box) box.checked = shown;
    this.draw();
    this.remember();
  };

  // A peer's view, mapped through the alignment: the same times from the common moment.
  Explorer.prototype.follow = function (t0, t1, from) {
    this.view = [t0 - from.shift + this.shift, t1 - from.shift + this.shift];
    this.draw();
  };

  Explorer.prototype.set = function (t0, t1) {
    var minSpan = Math.max(50, this.raw ? 50 : this.bucketNs / 64);
    if (t1 - t0 < minSpan) { var c = (t0 + t1) / 2; t0 = c - minSpan / 2; t1 = c + minSpan / 2; }
    if (t1 - t0 > this.span) { t0 = 0; t1 = this.span; }
    if (t0 < 0) { t1 -= t0; t0 = 0; }
    if (t1 > this.span) { t0 -= t1 - this.span; t1 = this.span; }
    this.view = [Math.max(0, t0), Math.min(this.span, t1)];
    this.draw();
    this.remember();
    // Explorers of one group (the runs of a comparison, aligned at their starts) zoom together.
    if (this.group) {
      var v = this.view, me = this;
      this.group.forEach(function (peer) { if (peer !== me) peer.follow(v[0], v[1], me); });
    }
  };

  // The run's alignment mark of that name, or undefined.
  Explorer.prototype.mark = function (name) {
    return this.d.marks.filter(function (x) { return x.name === name; })[0];
  };

  // Aligns a group at a mark every member has (null: at their starts), keeping the view's width.
  Explorer.prototype.alignAt = function (name) {
    var group = this.group || [this], me = this, v = this.view, old = this.shift;
    group.forEach(function (e) {
      var m = name ? e.mark(name) : null;
      e.align = m ? name : null;
      e.shift = m ? m.t : 0;
      if (e.alignBox) e.alignBox.value = name || "";
    });
    this.set(v[0] - old + this.shift, v[1] - old + this.shift);
    group.forEach(function (e) { if (e !== me) e.follow(me.view[0], me.view[1], me); });
  };

  // The view in the URL fragment, once the reader has moved it (a fresh page keeps a clean URL).
  Explorer.prototype.remember = function () {
    if (!this.ready || !window.history || !history.replaceState) return;
    var d = this.d, frag = "#explore=" + encodeURIComponent(d.id) + "@" + Math.round(d.start + this.view[0]) + "-" + Math.round(d.start + this.view[1]);
    if (this.pinned && this.pinned.event !== undefined) frag += "&pin=" + this.pinned.event;
    var hidden = Object.keys(this.hidden);
    if (hidden.length) frag += "&lanes=" + this.lanes.filter(function (l) { return !this.hidden[l.name]; }, this)
      .map(function (l) { return encodeURIComponent(l.name); }).join(",");
    if (this.align) frag += "&align=" + encodeURIComponent(this.align);
    try { history.replaceState(null, "", frag); } catch (e) { /* some file:// settings refuse it */ }
  };

  // A deep link: #explore=ID@FROM-TO[&pin=N][&lanes=A,B][&align=MARK].
  Explorer.prototype.restore = function () {
    var m = /^#explore=([^@&]+)@(\d+)-(\d+)((?:&[a-z]+=[^&]*)*)$/.exec(location.hash || "");
    if (!m || decodeURIComponent(m[1]) !== this.d.id) return;
    var opts = {}, self = this;
    m[4].split("&").forEach(function (kv) { var i = kv.indexOf("="); if (i > 0) opts[kv.slice(0, i)] = kv.slice(i + 1); });
    if (opts.lanes !== undefined) {
      var shown = {};
      opts.lanes.split(",").forEach(function (n) { shown[decodeURIComponent(n)] = true; });
      this.lanes.forEach(function (l) { if (!shown[l.name]) self.showLane(l.name, false); });
    }
    if (opts.align !== undefined) this.alignAt(decodeURIComponent(opts.align));
    this.set(+m[2] - this.d.start, +m[3] - this.d.start);
    if (/^\d+$/.test(opts.pin || "") && this.d.raw && +opts.pin < this.d.raw.t.length) {
      var i = +opts.pin, r = this.d.raw, li = r.l[i], row = this.rows[li];
      if (!row) return;
      this.pinned = { event: i, lane: this.lanes[li].name };
      var x = this.x0 + (r.t[i] + r.d[i] / 2 - this.view[0]) * this.scale;
      this.show(this.pinned, Math.max(this.x0, Math.min(this.x0 + this.plotW, x)), row[0] + row[1]);
      this.root.setAttribute("data-pinned", "yes");
    }
  };

  // factor < 1 zooms in, around the fraction `at` of the view's width.
  Explorer.prototype.zoom = function (factor, at) {
    var v = this.view, w = v[1] - v[0], c = v[0] + w * at;
    this.set(c - (c - v[0]) * factor, c + (v[1] - c) * factor);
  };

  Explorer.prototype.pan = function (fraction) {
    var w = this.view[1] - this.view[0];
    this.set(this.view[0] + w * fraction, this.view[1] + w * fraction);
  };

  // Rows of the shown lanes (null for a hidden one).
  Explorer.prototype.layout = function () {
    var y = 4, rows = [], hidden = this.hidden;
    this.lanes.forEach(function (l) {
      if (hidden[l.name]) { rows.push(null); return; }
      var h = l.type === "counter" ? COUNTER : LANE; rows.push([y, h]); y += h + 4;
    });
    return { rows: rows, height: y + AXIS };
  };

  Explorer.prototype.draw = function () {
    var d = this.d, dpr = window.devicePixelRatio || 1, lay = this.layout();
    var width = Math.max(320, this.root.clientWidth || 800);
    this.detail.style.width = width + "px"; this.detail.style.height = lay.height + "px";
    this.detail.width = Math.round(width * dpr); this.detail.height = Math.round(lay.height * dpr);
    var g = this.detail.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    var fg = css(document.body, "color") || "#222", grid = "rgba(128,128,128,0.35)";
    g.clearRect(0, 0, width, lay.height);
    g.font = "12px system-ui, sans-serif";
    var x0 = LABEL, plotW = width - LABEL - 8, v = this.view, scale = plotW / (v[1] - v[0]);
    var self = this, rawInView = 0, r = d.raw;
    if (this.raw) {
      this.lanes.forEach(function (l, li) { if (!self.hidden[l.name]) rawInView += self.visible(li).length; });
    }
    this.mode = this.raw && rawInView <= RAW_MAX ? "events" : "buckets";
    this.lanes.forEach(function (l, li) {
      var row = lay.rows[li];
      if (!row) return;
      var top = row[0], h = row[1];
      g.fillStyle = fg; g.textAlign = "right"; g.textBaseline = "middle";
      g.fillText(l.name, LABEL - 8, top + h / 2);
      g.strokeStyle = grid; g.beginPath(); g.moveTo(x0, top + h + 2); g.lineTo(x0 + plotW, top + h + 2); g.stroke();
      if (l.type === "counter") { self.drawCounter(g, l, top, h, x0, plotW); return; }
      if (self.mode === "events") {
        self.visible(li).forEach(function (i) {
          var a = x0 + (r.t[i] - v[0]) * scale, b = x0 + (r.t[i] + r.d[i] - v[0]) * scale;
          g.fillStyle = self.colourOf[r.k[i]] || PALETTE[7];
          if (r.d[i] > 0) g.fillRect(Math.max(x0, a), top, Math.max(1, Math.min(x0 + plotW, b) - Math.max(x0, a)), h);
          else g.fillRect(a - 0.5, top + h * 0.2, 1.5, h * 0.6);
        });
      } else {
        for (var px = 0; px < plotW; px++) {
          var s = self.sum(l, v[0] + px / scale, v[0] + (px + 1) / scale);
          if (!s.count) continue;
          var hh = Math.max(s.busy, 0.2) * h;
          g.fillStyle = s.dom >= 0 ? (self.colourOf[s.dom] || PALETTE[7]) : PALETTE[7];
          g.fillRect(x0 + px, top + h - hh, 1, hh);
        }
      }
    });
    // The time axis, in units that suit the view.
    var axisY = lay.height - AXIS + 4;
    g.strokeStyle = fg; g.beginPath(); g.moveTo(x0, axisY); g.lineTo(x0 + plotW, axisY); g.stroke();
    g.textAlign = "center"; g.textBaseline = "top"; g.fillStyle = fg;
    // Ticks at round times from the axis' zero (the run's start, or the alignment mark).
    var sh = this.shift;
    ticks(v[0] - sh, v[1] - sh, Math.max(2, Math.floor(plotW / 110))).forEach(function (t) {
      var x = x0 + (t + sh - v[0]) * scale;
      g.beginPath(); g.moveTo(x, axisY); g.lineTo(x, axisY + 4); g.stroke();
      g.fillText(timeText(t), x, axisY + 6);
    });
    // The alignment mark, where it is in view.
    if (this.align && sh >= v[0] && sh <= v[1]) {
      var mx = x0 + (sh - v[0]) * scale;
      g.strokeStyle = PALETTE[3]; g.setLineDash([4, 3]);
      g.beginPath(); g.moveTo(mx, 0); g.lineTo(mx, axisY); g.stroke(); g.setLineDash([]);
    }
    this.drawOverview(width);
    this.range.textContent = timeText(v[0] - sh) + " – " + timeText(v[1] - sh) + (this.align ? " from " + markText(this.mark(this.align)) : "") + " (" + timeText(v[1] - v[0]) + " shown" +
      (this.mode === "events" ? ", single events" : ", " + timeText((v[1] - v[0]) / plotW) + " a pixel") + ")";
    this.root.setAttribute("data-view", Math.round(v[0]) + ":" + Math.round(v[1]));
    this.root.setAttribute("data-mode", this.mode);
    this.root.setAttribute("data-shift", Math.round(this.shift));
    // Deeper than this page carries: the command that writes this window at full detail.
    var deep = !this.raw && (v[1] - v[0]) < this.bucketNs * plotW / 4;
    this.hint.hidden = !deep;
    if (deep) this.hint.textContent = "This page carries buckets of " + timeText(this.bucketNs) + ". For single events here: " +
      d.command + " " + Math.floor(d.start + v[0]) + ":" + Math.ceil(d.start + v[1]);
    this.scale = scale; this.x0 = x0; this.plotW = plotW; this.rows = lay.rows;
  };

  // Raw events of a lane overlapping the view (indices into data.raw).
  Explorer.prototype.visible = function (li) {
    var ids = this.raw[li], r = this.d.raw, v = this.view, lo = 0, hi = ids.length, from = v[0] - this.maxDur;
    while (lo < hi) { var m = (lo + hi) >> 1; if (r.t[ids[m]] < from) lo = m + 1; else hi = m; }
    var out = [];
    for (var i = lo; i < ids.length && r.t[ids[i]] <= v[1]; i++) if (r.t[ids[i]] + r.d[ids[i]] >= v[0]) out.push(ids[i]);
    return out;
  };

  // A time range of an events lane, from the buckets: events, busy share, the dominant kind.
  Explorer.prototype.sum = function (l, t0, t1) {
    var n = l.src.count.length, a = Math.max(0, Math.floor(t0 / this.bucketNs)), b = Math.min(n, Math.max(a + 1, Math.ceil(t1 / this.bucketNs)));
    if (a >= n || t1 <= 0) return { count: 0 };
    var count = l.cum[b] - l.cum[a], busy = (l.busyCum[b] - l.busyCum[a]) / (b - a) / 100, best = -1, dom = -1;
    for (var i = a; i < b; i++) if (l.src.count[i] > best) { best = l.src.count[i]; dom = l.src.dom[i]; }
    return { count: count, busy: busy, dom: dom, from: a * this.bucketNs, to: b * this.bucketNs };
  };

  Explorer.prototype.drawCounter = function (g, l, top, h, x0, plotW) {
    var lo = Infinity, hi = -Infinity, src = l.src, v = this.view, scale = plotW / (v[1] - v[0]);
    src.low.forEach(function (x) { if (x !== null && x < lo) lo = x; });
    src.high.forEach(function (x) { if (x !== null && x > hi) hi = x; });
    if (!(hi >= lo)) return;
    var y = function (x) { return top + h - (hi > lo ? (x - lo) / (hi - lo) : 0.5) * h; };
    g.strokeStyle = PALETTE[0];
    // A step line through the samples (a counter holds its value until the next sample), with
    // each pixel column's min–max where several samples share it.
    var last = null;
    for (var i0 = Math.floor(v[0] / this.bucketNs) - 1; i0 >= 0; i0--) if (src.high[i0] !== null) { last = src.high[i0]; break; }
    for (var px = 0; px < plotW; px++) {
      var a = Math.floor((v[0] + px / scale) / this.bucketNs), b = Math.max(a + 1, Math.ceil((v[0] + (px + 1) / scale) / this.bucketNs));
      var mn = Infinity, mx = -Infinity, end = null;
      for (var i = a; i < b && i < src.low.length; i++) {
        if (src.low[i] !== null && src.low[i] < mn) mn = src.low[i];
        if (src.high[i] !== null) { if (src.high[i] > mx) mx = src.high[i]; end = src.high[i]; }
      }
      g.beginPath();
      if (last !== null) { g.moveTo(x0 + px, y(last)); g.lineTo(x0 + px + 1, y(last)); }
      if (mx >= mn) { g.moveTo(x0 + px + 0.5, y(mn) + 0.5); g.lineTo(x0 + px + 0.5, y(mx) - 0.5); last = end; }
      g.stroke();
    }
  };

  Explorer.prototype.drawOverview = function (width) {
    var dpr = window.devicePixelRatio || 1, h = 28, c = this.overview, g = c.getContext("2d"), self = this;
    c.style.width = width + "px"; c.style.height = h + "px";
    c.width = Math.round(width * dpr); c.height = Math.round(h * dpr);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, h);
    var x0 = LABEL, w = width - LABEL - 8, events = this.lanes.filter(function (l) { return l.type === "events"; });
    var peak = 1, cols = [];
    for (var px = 0; px < w; px++) {
      var t0 = px / w * this.span, t1 = (px + 1) / w * this.span, n = 0;
      events.forEach(function (l) { var s = self.sum(l, t0, t1); n += s.count || 0; });
      cols.push(n); if (n > peak) peak = n;
    }
    g.fillStyle = PALETTE[5];
    cols.forEach(function (n, px) { if (n) { var hh = Math.max(1, Math.sqrt(n / peak) * (h - 4)); g.fillRect(x0 + px, h - 2 - hh, 1, hh); } });
    var a = x0 + this.view[0] / this.span * w, b = x0 + this.view[1] / this.span * w;
    g.strokeStyle = css(document.body, "color") || "#222"; g.lineWidth = 1.5;
    g.strokeRect(a, 1, Math.max(2, b - a), h - 2);
    this.ovX0 = x0; this.ovW = w;
  };

  // What is under (x, y) of the detail view: an event, or a bucket summary.
  Explorer.prototype.hit = function (x, y) {
    if (!this.rows || x < this.x0) return null;
    var li = -1;
    this.rows.forEach(function (row, i) { if (row && y >= row[0] && y <= row[0] + row[1]) li = i; });
    if (li < 0 || this.lanes[li].type === "counter") return null;
    var t = this.view[0] + (x - this.x0) / this.scale, r = this.d.raw, l = this.lanes[li];
    if (this.mode === "events") {
      var slack = 3 / this.scale, best = null, bestGap = Infinity;
      this.visible(li).forEach(function (i) {
        var gap = t < r.t[i] ? r.t[i] - t : (t > r.t[i] + r.d[i] ? t - r.t[i] - r.d[i] : 0);
        if (gap <= slack && gap < bestGap) { best = i; bestGap = gap; }
      });
      return best === null ? null : { event: best, lane: l.name };
    }
    var s = this.sum(l, t - 1 / this.scale, t + 1 / this.scale);
    return s.count ? { bucket: s, lane: l.name } : null;
  };

  Explorer.prototype.describe = function (h) {
    var d = this.d, lines = [];
    if (h.event !== undefined) {
      var r = d.raw, i = h.event, kind = d.kinds[r.k[i]];
      lines.push(kind.name + " — " + h.lane);
      lines.push("at " + timeText(r.t[i]) + (r.d[i] ? ", for " + timeText(r.d[i]) : ""));
      kind.fields.forEach(function (name, f) {
        if (f === kind.duration) return;
        var value = r.f[i][f], labels = kind.enums[f];
        lines.push(name + ": " + (labels && labels[value] !== undefined ? labels[value] : value));
      });
    } else {
      var s = h.bucket;
      lines.push(h.lane + ": " + s.count + " events from " + timeText(s.from) + " to " + timeText(s.to));
      lines.push("busy " + Math.round(s.busy * 100) + " %" + (s.dom >= 0 ? ", mostly " + d.kinds[s.dom].name : ""));
    }
    return lines;
  };

  Explorer.prototype.show = function (h, x, y) {
    if (!h) { if (!this.pinned) this.tip.hidden = true; return; }
    this.tip.textContent = "";
    this.describe(h).forEach(function (line, i) {
      var p = document.createElement(i ? "span" : "strong");
      p.textContent = line;
      this.tip.appendChild(p);
    }, this);
    this.tip.hidden = false;
    this.tip.style.left = Math.min(x + 14, (this.root.clientWidth || 800) - 260) + "px";
    this.tip.style.top = (this.detail.offsetTop + y + 14) + "px";
  };

  Explorer.prototype.bind = function () {
    var self = this, c = this.detail, pointers = {}, lastPinch = null, drag = null;
    function local(ev) { var b = c.getBoundingClientRect(); return [ev.clientX - b.left, ev.clientY - b.top]; }
    c.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = local(ev), at = Math.min(1, Math.max(0, (p[0] - self.x0) / self.plotW));
      self.zoom(Math.pow(1.2, ev.deltaY / 100), at);
    }, { passive: false });
    c.addEventListener("pointerdown", function (ev) {
      c.setPointerCapture(ev.pointerId);
      pointers[ev.pointerId] = local(ev);
      drag = { x: local(ev)[0], view: self.view.slice(), moved: false };
    });
    c.addEventListener("pointermove", function (ev) {
      var p = local(ev), ids = Object.keys(pointers);
      if (ids.length === 2 && pointers[ev.pointerId]) {
        pointers[ev.pointerId] = p;
        var a = pointers[ids[0]], b = pointers[ids[1]], dist = Math.abs(a[0] - b[0]);
        if (lastPinch) self.zoom(lastPinch / Math.max(1, dist), Math.min(1, Math.max(0, ((a[0] + b[0]) / 2 - self.x0) / self.plotW)));
        lastPinch = dist;
        return;
      }
      if (drag && pointers[ev.pointerId]) {
        var dx = p[0] - drag.x;
        if (Math.abs(dx) > 3) drag.moved = true;
        if (drag.moved) {
          var w = drag.view[1] - drag.view[0], shift = -dx / self.plotW * w;
          self.set(drag.view[0] + shift, drag.view[1] + shift);
        }
        return;
      }
      if (!self.pinned) self.show(self.hit(p[0], p[1]), p[0], p[1]);
    });
    function up(ev) {
      var p = local(ev);
      if (drag && !drag.moved && Object.keys(pointers).length === 1) {
        var h = self.hit(p[0], p[1]);
        self.pinned = h;
        self.show(h, p[0], p[1]);
        self.root.setAttribute("data-pinned", h ? "yes" : "no");
        self.remember();
      }
      delete pointers[ev.pointerId];
      if (Object.keys(pointers).length < 2) lastPinch = null;
      drag = null;
    }
    c.addEventListener("pointerup", up);
    c.addEventListener("pointercancel", up);
    c.addEventListener("pointerleave", function () { if (!self.pinned) self.tip.hidden = true; });
    c.addEventListener("keydown", function (ev) {
      var k = ev.key, done = true;
      if (k === "+" || k === "=") self.zoom(0.5, 0.5);
      else if (k === "-" || k === "_") self.zoom(2, 0.5);
      else if (k === "ArrowLeft") self.pan(-0.1);
      else if (k === "ArrowRight") self.pan(0.1);
      else if (k === "Home") self.set(0, self.span);
      else if (k === "Escape") { self.pinned = null; self.tip.hidden = true; self.root.setAttribute("data-pinned", "no"); self.remember(); }
      else done = false;
      if (done) ev.preventDefault();
    });
    // Keyboard users get the busiest thing in view described when the view changes.
    c.addEventListener("focus", function () { c.classList.add("focused"); });
    c.addEventListener("blur", function () { c.classList.remove("focused"); });
    this.overview.addEventListener("pointerdown", function (ev) {
      var b = self.overview.getBoundingClientRect(), t = (ev.clientX - b.left - self.ovX0) / self.ovW * self.span, w = self.view[1] - self.view[0];
      self.set(t - w / 2, t + w / 2);
    });
  };

  function boot() {
    var traces = window.VIRTLAB_TRACES || {}, groups = {};
    Array.prototype.forEach.call(document.querySelectorAll(".explorer[data-trace]"), function (root) {
      var data = traces[root.getAttribute("data-trace")];
      if (!data) return;
      root.explorer = new Explorer(root, data);
      var g = root.getAttribute("data-group");
      if (g) { (groups[g] = groups[g] || []).push(root.explorer); root.explorer.group = groups[g]; }
    });
    // A group's alignment choice: the starts, or a moment every run of the group has.
    Object.keys(groups).forEach(function (g) {
      var members = groups[g], names = members[0].d.marks.map(function (m) { return m.name; });
      var common = names.filter(function (n) { return members.every(function (e) { return e.mark(n); }); });
      var host = document.querySelector('.explorer-align[data-group="' + g + '"]');
      if (!host || members.length < 2) return;
      var label = document.createElement("label"), box = document.createElement("select");
      label.appendChild(document.createTextNode("Align the runs at "));
      box.add(new Option("their starts", ""));
      common.forEach(function (n) {
        box.add(new Option(markText(members[0].mark(n)), n));
      });
      box.addEventListener("change", function () { members[0].alignAt(box.value || null); });
      label.appendChild(box);
      host.appendChild(label);
      members.forEach(function (e) { e.alignBox = box; });
    });
    // Deep links once the groups are known (a link to one run of a comparison moves them all).
    Array.prototype.forEach.call(document.querySelectorAll(".explorer[data-trace]"), function (root) {
      if (!root.explorer) return;
      root.explorer.restore();
      root.explorer.ready = true;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot); else boot();
})();
