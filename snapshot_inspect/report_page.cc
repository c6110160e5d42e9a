// The report page's template. Kept as C++ raw strings so the binary carries it: the tool needs
// no data file at run time.
#include "snapshot_inspect/report_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace v8snap::inspect {
namespace {

constexpr char kHead[] = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
)html";

constexpr char kStyle[] = R"html(<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2430; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #d8dde6; padding-bottom: 4px; }
.sub { color: #5b6676; margin: 0 0 12px; }
.note { color: #5b6676; font-size: 12px; margin: 4px 0; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { padding: 2px 10px; text-align: left; vertical-align: top; }
th { font-weight: 600; border-bottom: 1px solid #d8dde6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f5f7fa; }
.breaking { color: #b42318; font-weight: 600; }
.compatible { color: #1f7a3a; }
.grow { color: #b42318; } .shrink { color: #1f7a3a; }
.cols { display: flex; flex-wrap: wrap; gap: 32px; }
svg text { font: 11px system-ui, sans-serif; pointer-events: none; }
#treemap rect { stroke: #fff; stroke-width: 1; }
#treemap rect:hover { stroke: #1d2430; stroke-width: 2; }
#report-errors li { color: #b42318; font-family: monospace; }
#report-notes li { color: #8a5a00; }
code { font-size: 12px; }
</style>
</head>
)html";

constexpr char kBodyStart[] = R"html(<body data-status="pending">
<h1 id="title"></h1>
<p class="sub" id="subtitle"></p>
<ul id="report-errors"></ul>
<ul id="report-notes"></ul>
<h2>Blob by section, extension and source</h2>
<div id="treemap-box"></div>
<p class="note">Section sizes are exact (the blob's V8 header). Inside the startup and context
sections, bytes are shared out by the heap bytes each extension and source accounts for after
loading (snapshot_inspect heap): an estimate. Hover a block for its numbers.</p>
<div id="comparison"></div>
<h2>Heap after Isolate::New + Context::New</h2>
<p class="sub" id="heap-total"></p>
<div class="cols"><div id="categories"></div><div id="extensions"></div></div>
<h3>By script or module</h3><div id="sources"></div>
<h3>Biggest objects by retained size</h3><div id="biggest"></div>
<p class="note" id="status-line">Rendering…</p>
)html";

constexpr char kScript[] = R"html(<script>
"use strict";
(function () {
  const body = document.body;
  function fail(message) {
    const item = document.createElement("li");
    item.className = "script-error";
    item.textContent = message;
    document.getElementById("report-errors").appendChild(item);
    body.dataset.status = "error";
    document.getElementById("status-line").textContent = "The page could not be drawn: " + message;
  }
  window.addEventListener("error", (e) => fail(String(e.message) + " (line " + e.lineno + ")"));
  window.addEventListener("unhandledrejection", (e) => fail(String(e.reason)));

  const SVG = "http://www.w3.org/2000/svg";
  const num = (v) => Number(v || 0);
  function size(bytes) {
    const b = Math.abs(bytes);
    const units = ["B", "KiB", "MiB", "GiB"];
    let v = b, u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return (bytes < 0 ? "-" : "") + (u === 0 ? String(v) : v.toFixed(1)) + " " + units[u];
  }
  function delta(bytes) { return (bytes > 0 ? "+" : "") + size(bytes); }
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  // rows: arrays of cells; a cell is text, or {text, cls}. numeric: column indexes to right-align.
  function table(headers, rows, numeric) {
    const t = el("table");
    const head = el("tr");
    headers.forEach((h, i) => head.appendChild(el("th", numeric.includes(i) ? {class: "num"} : {}, h)));
    t.appendChild(head);
    for (const row of rows) {
      const tr = el("tr");
      row.forEach((cell, i) => {
        const c = typeof cell === "object" ? cell : {text: String(cell)};
        const cls = [numeric.includes(i) ? "num" : "", c.cls || ""].join(" ").trim();
        tr.appendChild(el("td", cls ? {class: cls} : {}, c.text));
      });
      t.appendChild(tr);
    }
    return t;
  }
  function hue(name) {
    let h = 0;
    for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
    return h;
  }

  // Squarified treemap (Bruls, Huizing, van Wijk): rows of blocks whose worst aspect ratio is
  // as close to 1 as the row allows.
  function squarify(items, x, y, w, h) {
    const out = [];
    const total = items.reduce((s, i) => s + i.value, 0);
    if (total <= 0 || w <= 0 || h <= 0) return out;
    let rest = items.filter((i) => i.value > 0).sort((a, b) => b.value - a.value)
                    .map((i) => ({item: i, area: i.value * w * h / total}));
    const worst = (row, side) => {
      const sum = row.reduce((s, r) => s + r.area, 0);
      const max = Math.max(...row.map((r) => r.area)), min = Math.min(...row.map((r) => r.area));
      return Math.max(side * side * max / (sum * sum), (sum * sum) / (side * side * min));
    };
    while (rest.length) {
      const side = Math.min(w, h);
      let row = [rest[0]], k = 1;
      while (k < rest.length && worst(row.concat([rest[k]]), side) <= worst(row, side)) row.push(rest[k++]);
      const area = row.reduce((s, r) => s + r.area, 0);
      if (w >= h) {
        const cw = area / h;
        let yy = y;
        for (const r of row) { const rh = r.area / cw; out.push({item: r.item, x, y: yy, w: cw, h: rh}); yy += rh; }
        x += cw; w -= cw;
      } else {
        const rh = area / w;
        let xx = x;
        for (const r of row) { const rw = r.area / rh; out.push({item: r.item, x: xx, y, w: rw, h: rh}); xx += rw; }
        y += rh; h -= rh;
      }
      rest = rest.slice(k);
    }
    return out;
  }

  // The blob's tree: sections, and inside the startup and context sections the extensions and
  // their sources, by their share of the heap.
  function blobTree(info, heap) {
    const sections = ((info.v8_header || {}).sections || []).map((s) => ({name: s.name, value: num(s.size)}));
    const heapBytes = num(heap.bytes);
    const byExtension = new Map();
    for (const s of heap.sources || []) {
      const ext = s.name === "(not attributed)" ? "(V8 and shared)" : (s.extension || "(runtime)");
      if (!byExtension.has(ext)) byExtension.set(ext, []);
      byExtension.get(ext).push({name: s.name === "(not attributed)" ? "V8 built-ins and shared objects" : s.name, bytes: num(s.bytes)});
    }
    for (const section of sections) {
      if (!(section.name === "startup" || section.name.startsWith("context")) || heapBytes <= 0) continue;
      section.children = [];
      for (const [ext, sources] of byExtension) {
        const children = sources.map((s) => ({name: s.name, value: section.value * s.bytes / heapBytes, estimate: true}));
        section.children.push({name: ext, value: children.reduce((a, c) => a + c.value, 0), children, estimate: true});
      }
    }
    return sections;
  }

  function drawTreemap(info, heap) {
    const width = 1100, height = 520, header = 18;
    const root = svg("svg", {id: "treemap", width, height, viewBox: `0 0 ${width} ${height}`, role: "img"});
    root.appendChild(svg("title")).textContent = "Blob by section, extension and source";
    const draw = (items, x, y, w, h, path, depth, parentHue) => {
      for (const b of squarify(items, x, y, w, h)) {
        const name = b.item.name;
        const colour = depth === 0 ? 210 : depth === 1 ? hue(name) : parentHue;
        const light = [88, 72, 80][Math.min(depth, 2)];
        const g = svg("g");
        const rect = svg("rect", {x: b.x.toFixed(1), y: b.y.toFixed(1), width: Math.max(0, b.w).toFixed(1),
                                  height: Math.max(0, b.h).toFixed(1), fill: `hsl(${colour}, 55%, ${light}%)`});
        const label = path.concat([name]).join(" › ");
        rect.appendChild(svg("title")).textContent =
            `${label}: ${size(Math.round(b.item.value))}${b.item.estimate ? " (estimate)" : ""}`;
        g.appendChild(rect);
        if (b.w > 60 && b.h > 14) {
          const text = svg("text", {x: (b.x + 4).toFixed(1), y: (b.y + 13).toFixed(1)});
          const maxChars = Math.floor((b.w - 8) / 6.2);
          const caption = `${name} ${size(Math.round(b.item.value))}`;
          text.textContent = caption.length > maxChars ? caption.slice(0, Math.max(0, maxChars - 1)) + "…" : caption;
          g.appendChild(text);
        }
        root.appendChild(g);
        if (b.item.children && b.w > 24 && b.h > header + 8) {
          draw(b.item.children, b.x + 2, b.y + header, b.w - 4, b.h - header - 2, path.concat([name]), depth + 1, colour);
        }
      }
    };
    draw(blobTree(info, heap), 0, 0, width, height, [], 0, 210);
    document.getElementById("treemap-box").appendChild(root);
  }

  function drawHeap(heap) {
    if (num(heap.objects) === 0) {
      document.getElementById("heap-total").textContent = "Not measured (see the note above).";
      return;
    }
    document.getElementById("heap-total").textContent =
        `${num(heap.objects).toLocaleString("en")} objects, ${size(num(heap.bytes))}`;
    const categories = heap.categories || [];
    const total = num(heap.bytes) || 1;
    const barWidth = 360, rowHeight = 20;
    const chart = svg("svg", {id: "heap-categories", width: 640, height: rowHeight * categories.length + 4});
    categories.forEach((c, i) => {
      const y = i * rowHeight + 2, w = Math.max(1, barWidth * num(c.bytes) / total);
      const label = svg("text", {x: 0, y: y + 14});
      label.textContent = c.name;
      const bar = svg("rect", {x: 170, y: y + 3, width: w.toFixed(1), height: rowHeight - 6, fill: `hsl(${hue(c.name)}, 55%, 62%)`});
      bar.appendChild(svg("title")).textContent = `${c.name}: ${num(c.count).toLocaleString("en")} objects, ${size(num(c.bytes))}`;
      const value = svg("text", {x: 176 + w, y: y + 14});
      value.textContent = `${size(num(c.bytes))} (${(100 * num(c.bytes) / total).toFixed(1)}%)`;
      chart.append(label, bar, value);
    });
    const box = document.getElementById("categories");
    box.append(el("h3", {}, "By category"), chart);
    const share = (b) => (100 * num(b) / total).toFixed(1) + "%";
    document.getElementById("extensions").append(
        el("h3", {}, "By extension"),
        table(["extension", "objects", "bytes", "share"],
              (heap.extensions || []).map((e) => [e.name, num(e.count).toLocaleString("en"), size(num(e.bytes)), share(e.bytes)]),
              [1, 2, 3]));
    document.getElementById("sources").appendChild(
        table(["script or module", "extension", "objects", "bytes", "share"],
              (heap.sources || []).map((s) => [s.name, s.extension || "-", num(s.count).toLocaleString("en"), size(num(s.bytes)), share(s.bytes)]),
              [2, 3, 4]));
    document.getElementById("biggest").appendChild(
        table(["retained", "self", "type", "name", "extension", "path from a global or an export"],
              (heap.biggest || []).map((o) => [size(num(o.retained_bytes)), size(num(o.self_bytes)), o.type, o.name || "-",
                                               o.extension || "-", {text: o.path, cls: "path"}]),
              [0, 1]));
  }

  function drawComparison(data) {
    const box = document.getElementById("comparison");
    const diff = data.diff;
    box.appendChild(el("h2", {}, "Old and new side by side"));
    const rows = (diff.sections || []).map((s) => {
      const d = num(s.delta);
      return [s.name, num(s.old_bytes) < 0 ? "-" : size(num(s.old_bytes)), num(s.new_bytes) < 0 ? "-" : size(num(s.new_bytes)),
              {text: delta(d), cls: d > 0 ? "grow" : d < 0 ? "shrink" : ""}];
    });
    const oldHeap = data.old_heap || {}, newHeap = data.new_heap || {};
    const heapDelta = num(newHeap.bytes) - num(oldHeap.bytes);
    // A heap that could not be measured (another V8's snapshot) shows as "-", with no delta.
    const both = data.old_heap && data.new_heap;
    rows.push(["heap after load", data.old_heap ? size(num(oldHeap.bytes)) : "-",
               data.new_heap ? size(num(newHeap.bytes)) : "-",
               both ? {text: delta(heapDelta), cls: heapDelta > 0 ? "grow" : heapDelta < 0 ? "shrink" : ""} : ""]);
    const oldExt = new Map((oldHeap.extensions || []).map((e) => [e.name, num(e.bytes)]));
    for (const e of both ? newHeap.extensions || [] : []) {
      const before = oldExt.has(e.name) ? oldExt.get(e.name) : 0, d = num(e.bytes) - before;
      rows.push([`heap: ${e.name}`, oldExt.has(e.name) ? size(before) : "-", size(num(e.bytes)),
                 {text: delta(d), cls: d > 0 ? "grow" : d < 0 ? "shrink" : ""}]);
    }
    box.appendChild(table(["", "old", "new", "delta"], rows, [1, 2, 3]));

    const changes = diff.changes || [];
    const api = changes.filter((c) => c.category === "api");
    box.appendChild(el("h2", {}, `API diff (${api.length} change${api.length === 1 ? "" : "s"})`));
    if (!diff.api_compared) {
      box.appendChild(el("p", {class: "note"}, "Not compared: a sidecar does not record its API surface (rebuild it with this snapshot_builder)."));
    } else if (api.length === 0) {
      box.appendChild(el("p", {}, "No export or global changed."));
    } else {
      box.appendChild(table(["severity", "change", "old", "new", "what"],
          api.map((c) => [{text: c.severity, cls: c.severity}, c.kind, c.old_value, c.new_value, c.description]), []));
    }
    box.appendChild(el("h2", {}, `Every change: ${diff.severity}`));
    box.appendChild(table(["severity", "change", "what"],
        changes.map((c) => [{text: c.severity, cls: c.severity}, c.kind, c.description]), []));
  }

  try {
    const data = JSON.parse(document.getElementById("report-data").textContent);
    const info = data.new_info || {};
    document.getElementById("title").textContent = "Snapshot report: " + info.blob_path;
    const build = info.build || {};
    document.getElementById("subtitle").textContent =
        `${build.manifest_name || "?"} · V8 ${build.v8_version || "?"} · blob ${size(num((info.blob || {}).size))}` +
        (data.old_info ? ` · compared with ${data.old_info.blob_path}` : "");
    for (const note of data.notes || []) {
      document.getElementById("report-notes").appendChild(el("li", {class: "report-note"}, note));
    }
    drawTreemap(info, data.new_heap || {});
    if (data.diff) drawComparison(data);
    drawHeap(data.new_heap || {});
    if (body.dataset.status === "pending") {
      body.dataset.status = "ok";
      document.getElementById("status-line").textContent = "Rendered from the data embedded in this page.";
    }
  } catch (e) {
    fail(String(e && e.stack || e));
  }
})();
</script>
</body>
</html>
)html";

}  // namespace

std::string ReportPage(const std::string& title, const std::string& data_json) {
  const std::string escaped_title =
      absl::StrReplaceAll(title, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
  return absl::StrCat(kHead, "<title>", escaped_title, " · v8snap snapshot report</title>\n",
                      kStyle, kBodyStart, "<script type=\"application/json\" id=\"report-data\">",
                      data_json, "</script>\n", kScript);
}

}  // namespace v8snap::inspect
