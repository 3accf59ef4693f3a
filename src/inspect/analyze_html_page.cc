// The static parts of the `analyze --html` page: its style sheet, its body
// skeleton and the script that draws the report into it. Kept apart from the
// assembly (analyze_html.cc) because it is mostly CSS and JavaScript.
//
// The script reads the report from <script id="report-data">, inserts every
// string as text (never as markup), draws the layer bars and a squarified
// treemap (Bruls, Huizing and van Wijk's algorithm) into SVG, fills the tables,
// and finally sets data-rendered="true" on <body> so tests can tell it ran.
#include "inspect/analyze_html_page.h"

namespace distill::inspect {

const char* ReportPageStyle() {
  return R"page(:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2329; }
body { margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; background: #fafbfc; }
h1 { font-size: 22px; margin: 8px 0 2px; word-break: break-all; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #dde2e6; padding-bottom: 4px; }
.digest { color: #66727d; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.verdict { display: inline-block; margin: 10px 0; padding: 6px 12px; border-radius: 6px; font-weight: 600; }
.verdict.ok { background: #dff5e3; color: #1b6b2c; }
.verdict.bad { background: #fde7e4; color: #9b2a1a; }
#summary { display: flex; flex-wrap: wrap; gap: 10px; }
.card { background: #fff; border: 1px solid #dde2e6; border-radius: 6px; padding: 8px 14px; min-width: 90px; }
.card .value { font-size: 18px; font-weight: 600; word-break: break-all; }
.card .label { font-size: 12px; color: #66727d; }
svg { width: 100%; height: auto; display: block; background: #fff; border: 1px solid #dde2e6; border-radius: 6px; }
svg text { font-size: 11px; fill: #1d2329; pointer-events: none; }
svg text.axis { font-size: 12px; fill: #66727d; }
svg text.tm-label { font-size: 10.5px; fill: #10161b; }
rect.tm-dir { stroke: #fff; stroke-width: 0.6; cursor: zoom-in; }
rect.tm-file, rect.tm-other { stroke: #fff; stroke-width: 0.6; }
rect:hover { opacity: 0.85; }
.controls { display: flex; gap: 12px; align-items: center; margin-bottom: 6px; font-size: 13px; color: #444; flex-wrap: wrap; }
.crumb { border: 1px solid #c7ced4; background: #fff; border-radius: 4px; padding: 2px 8px; cursor: pointer; font-family: ui-monospace, monospace; }
.crumb.here { background: #e8eef3; font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceff2; vertical-align: top; }
td { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
th { background: #f1f4f6; font-weight: 600; }
p.ok { color: #1b6b2c; }
footer { margin-top: 32px; font-size: 12px; color: #66727d; }
)page";
}

const char* ReportPageBody() {
  return R"page(<h1 id="image"></h1>
<div class="digest" id="digest"></div>
<div id="verdict" class="verdict"></div>
<div id="summary"></div>
<h2>Layers: bytes each instruction added</h2>
<div id="layers"></div>
<h2>Filesystem by size</h2>
<div class="controls"><span id="crumbs"></span>
<label>colour by <select id="colour-by"><option value="dir">top-level directory</option><option value="layer">layer that added it</option></select></label>
<span>Click a directory to zoom in; grey boxes group a directory's smaller entries.</span></div>
<div id="treemap"></div>
<h2>Attack surface</h2>
<div id="findings"></div>
<h2>Largest files</h2>
<div id="files"></div>
<h2>Largest directories</h2>
<div id="dirs"></div>
<h2>Wasted space</h2>
<div id="wasted"></div>
<h2>Duplicated files</h2>
<div id="duplicates"></div>
<noscript><p>This report draws its charts with JavaScript; the same data is in <code>distill analyze --format json</code>.</p></noscript>
<footer>Made by <code>distill analyze --html</code>. Self-contained: no network requests.</footer>
)page";
}

const std::string& ReportPageScript() {
  static const std::string script = R"page((function () {
  'use strict';
  var R = JSON.parse(document.getElementById('report-data').textContent);
  var SVG = 'http://www.w3.org/2000/svg';

  function human(n) {
    var units = ['B', 'kB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return i === 0 ? n + 'B' : n.toFixed(1) + units[i];
  }
  // Every string from the report goes into the page as text, never as markup.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function addTitle(node, text) {
    var t = document.createElementNS(SVG, 'title');
    t.textContent = text;
    node.appendChild(t);
  }
  function clip(text, chars) {
    if (chars < 2) return '';
    return text.length <= chars ? text : text.slice(0, chars - 1) + '\u2026';
  }
  function layerLabel(l) { return l === undefined || l < 0 ? 'config' : 'layer ' + l; }
  function layerHue(l) { return (l * 67 + 205) % 360; }
  function table(parent, headers, rows) {
    var t = el('table');
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', '', h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) { row.appendChild(el('td', '', c)); });
      t.appendChild(row);
    });
    parent.appendChild(t);
    return t;
  }

  // ---- header and summary
  document.title = 'distill analyze: ' + R.image;
  document.getElementById('image').textContent = R.image;
  document.getElementById('digest').textContent = R.digest;
  var verdict = document.getElementById('verdict');
  verdict.textContent = R.verdict;
  verdict.className = R.findings.length ? 'verdict bad' : 'verdict ok';
  var summary = document.getElementById('summary');
  [['compressed', human(R.compressedSize)], ['unpacked', human(R.contentSize)],
   ['files', R.fileCount], ['layers', R.layers.length],
   ['user', R.user === '' ? '(unset: root)' : R.user],
   ['wasted', human(R.wasted.bytes)], ['duplicated', human(R.duplicates.bytes)],
   ['findings', R.findings.length]].forEach(function (kv) {
    var card = el('div', 'card');
    card.appendChild(el('div', 'value', kv[1]));
    card.appendChild(el('div', 'label', kv[0]));
    summary.appendChild(card);
  });

  // ---- layers: one bar per layer, as long as the bytes it holds
  function drawLayers() {
    var box = document.getElementById('layers');
    var rowH = 30, labelW = 70, barW = 520, W = 1000;
    var max = 1;
    R.layers.forEach(function (l) { max = Math.max(max, l.contentSize); });
    var s = svgEl('svg', {viewBox: '0 0 ' + W + ' ' + (R.layers.length * rowH + 6),
                          role: 'img', 'aria-label': 'size per layer'});
    R.layers.forEach(function (l, i) {
      var y = i * rowH + 3;
      var g = svgEl('g', {'class': 'layer-row'});
      var label = svgEl('text', {x: 0, y: y + 19, 'class': 'axis'});
      label.textContent = 'layer ' + l.index;
      g.appendChild(label);
      var w = Math.max(2, barW * l.contentSize / max);
      var bar = svgEl('rect', {x: labelW, y: y + 4, width: w.toFixed(1), height: rowH - 8,
                               rx: 3, 'class': 'layer-bar', 'data-layer': l.index,
                               fill: 'hsl(' + layerHue(l.index) + ',55%,55%)'});
      var by = l.createdBy === '' ? '<unknown>' : l.createdBy;
      addTitle(bar, 'layer ' + l.index + ': ' + human(l.contentSize) + ' unpacked, ' +
               human(l.compressedSize) + ' compressed, ' + l.entries + ' entries\n' + by);
      g.appendChild(bar);
      var text = svgEl('text', {x: labelW + w + 8, y: y + 19, 'class': 'bar-text'});
      text.textContent = human(l.contentSize) + ' (' + human(l.compressedSize) + ' gz)  ' +
                         clip(by, Math.max(10, Math.floor((W - labelW - w - 110) / 6.6)));
      g.appendChild(text);
      s.appendChild(g);
    });
    box.appendChild(s);
    return R.layers.length;
  }

  // ---- treemap: squarified (Bruls, Huizing, van Wijk), drawn into SVG
  function worst(row, side) {
    var sum = 0, mx = 0, mn = Infinity;
    row.forEach(function (a) { sum += a; mx = Math.max(mx, a); mn = Math.min(mn, a); });
    var s2 = sum * sum, side2 = side * side;
    return Math.max(side2 * mx / s2, s2 / (side2 * mn));
  }
  // Places `nodes` (largest first) in the rectangle; returns [{node,x,y,w,h}].
  function squarify(nodes, x, y, w, h) {
    var total = 0;
    nodes.forEach(function (n) { total += n.size; });
    var out = [];
    if (total <= 0 || w <= 0 || h <= 0) return out;
    var scale = w * h / total;
    var areas = nodes.map(function (n) { return n.size * scale; });
    var i = 0;
    while (i < nodes.length) {
      var side = Math.min(w, h);
      var row = [areas[i]], j = i + 1, best = worst(row, side);
      while (j < nodes.length) {
        var next = row.concat([areas[j]]);
        var score = worst(next, side);
        if (score > best) break;
        row = next; best = score; j++;
      }
      var rowSum = row.reduce(function (a, b) { return a + b; }, 0);
      var k;
      if (w >= h) {
        var cw = rowSum / h, cy = y;
        for (k = 0; k < row.length; k++) {
          out.push({node: nodes[i + k], x: x, y: cy, w: cw, h: row[k] / cw});
          cy += row[k] / cw;
        }
        x += cw; w -= cw;
      } else {
        var rh = rowSum / w, cx = x;
        for (k = 0; k < row.length; k++) {
          out.push({node: nodes[i + k], x: cx, y: y, w: row[k] / rh, h: rh});
          cx += row[k] / rh;
        }
        y += rh; h -= rh;
      }
      i = j;
    }
    return out;
  }

  var TW = 1000, TH = 560, HEADER = 15;
  var zoom = [R.tree];  // the path from the root to the directory shown
  var colourBy = 'dir';
  var rectCount = 0;

  function fillFor(node, hue, depth) {
    if (node.other) return '#b8b8b8';
    if (colourBy === 'layer') {
      if (node.layer === undefined) return node.dir ? '#9aa4ad' : '#b8b8b8';
      return 'hsl(' + layerHue(node.layer) + ',55%,' + (52 + (depth % 3) * 6) + '%)';
    }
    return 'hsl(' + hue + ',50%,' + Math.min(80, 42 + depth * 9) + '%)';
  }
  function describe(path, node) {
    var what = node.other ? node.files + ' files in smaller entries' :
               node.dir ? node.files + ' files' + (node.collapsed ? ' (not itemised)' : '') :
               layerLabel(node.layer);
    return path + '\n' + human(node.size) + ' \u00b7 ' + what;
  }
  function label(g, text, x, y, w) {
    var chars = Math.floor((w - 6) / 6.4);
    if (chars < 4) return;
    var t = svgEl('text', {x: x + 3, y: y + 11, 'class': 'tm-label'});
    t.textContent = clip(text, chars);
    g.appendChild(t);
  }
  // Hues go to the entries of the shallowest directory with more than one
  // (so an image whose files all sit under one directory is still coloured).
  function drawNode(g, dir, path, x, y, w, h, depth, hue, hued) {
    var children = dir.children || [];
    var assign = !hued && children.length > 1;
    squarify(children, x, y, w, h).forEach(function (r, index) {
      var n = r.node;
      var h2 = assign ? (index * 47 + 200) % 360 : hue;
      var p = n.other ? path : (path === '/' ? '/' : path + '/') + n.name;
      var opens = n.dir && n.children && n.children.length > 0;
      var rect = svgEl('rect', {x: r.x.toFixed(2), y: r.y.toFixed(2),
                                width: Math.max(0, r.w - 0.5).toFixed(2),
                                height: Math.max(0, r.h - 0.5).toFixed(2),
                                fill: fillFor(n, h2, depth),
                                'class': n.dir ? 'tm-dir' : (n.other ? 'tm-other' : 'tm-file')});
      addTitle(rect, describe(n.other ? p + ' (' + n.name + ')' : p, n));
      if (opens) {
        rect.addEventListener('click', function (ev) {
          ev.stopPropagation();
          zoom.push({node: n, path: p});
          drawTreemap();
        });
      }
      g.appendChild(rect);
      rectCount++;
      if (opens && r.w > 50 && r.h > HEADER + 24 && depth < 5) {
        label(g, n.name + '  ' + human(n.size), r.x, r.y, r.w);
        drawNode(g, n, p, r.x + 2, r.y + HEADER, r.w - 4, r.h - HEADER - 2, depth + 1, h2,
                 hued || assign);
      } else if (r.h > 14) {
        label(g, n.name, r.x, r.y, r.w);
      }
    });
  }
  function drawTreemap() {
    var box = document.getElementById('treemap');
    while (box.firstChild) box.removeChild(box.firstChild);
    var crumbs = document.getElementById('crumbs');
    while (crumbs.firstChild) crumbs.removeChild(crumbs.firstChild);
    zoom.forEach(function (z, i) {
      var b = el('button', i === zoom.length - 1 ? 'crumb here' : 'crumb',
                 i === 0 ? '/' : z.node.name);
      b.addEventListener('click', function () { zoom = zoom.slice(0, i + 1); drawTreemap(); });
      crumbs.appendChild(b);
    });
    var top = zoom[zoom.length - 1];
    var node = zoom.length === 1 ? top : top.node;
    var path = zoom.length === 1 ? '/' : top.path;
    var s = svgEl('svg', {viewBox: '0 0 ' + TW + ' ' + TH, role: 'img',
                          'aria-label': 'treemap of the filesystem by size'});
    var g = svgEl('g', {});
    rectCount = 0;
    drawNode(g, node, path, 0, 0, TW, TH, 0, 200, false);
    s.appendChild(g);
    box.appendChild(s);
    box.setAttribute('data-rects', rectCount);
    if (rectCount === 0) box.appendChild(el('p', 'empty', 'No files.'));
  }

  // ---- findings, largest files and directories, waste, duplicates
  function drawLists() {
    var f = document.getElementById('findings');
    if (R.findings.length === 0) {
      f.appendChild(el('p', 'ok', 'No attack-surface findings: no shell, no package manager, ' +
                                  'no compilers, no setuid files, not root.'));
    } else {
      table(f, ['category', 'path', 'detail', 'added by'], R.findings.map(function (x) {
        return [x.category, x.path === undefined ? '' : x.path, x.detail, layerLabel(x.layer)];
      }));
    }
    table(document.getElementById('files'), ['size', 'added by', 'path'],
          R.largestFiles.map(function (x) { return [human(x.size), layerLabel(x.layer), x.path]; }));
    table(document.getElementById('dirs'), ['size', 'path'],
          R.largestDirectories.map(function (x) { return [human(x.size), x.path]; }));
    var w = document.getElementById('wasted');
    w.appendChild(el('p', '', human(R.wasted.bytes) + ' in ' + R.wasted.count +
                             ' files overwritten or deleted by later layers.'));
    if (R.wasted.top.length) {
      table(w, ['size', 'path', 'in', 'hidden by'], R.wasted.top.map(function (x) {
        return [human(x.size), x.path, layerLabel(x.layer),
                (x.deleted ? 'deleted in ' : 'overwritten in ') + layerLabel(x.hiddenBy)];
      }));
    }
    var d = document.getElementById('duplicates');
    d.appendChild(el('p', '', human(R.duplicates.bytes) + ' in ' + R.duplicates.sets.length +
                             ' sets of identical files.'));
    if (R.duplicates.sets.length) {
      table(d, ['size', 'copies'], R.duplicates.sets.map(function (x) {
        return [human(x.size) + ' \u00d7' + x.copies.length, x.copies.join('\n')];
      }));
    }
  }

  var bars = drawLayers();
  drawTreemap();
  drawLists();
  document.getElementById('colour-by').addEventListener('change', function (ev) {
    colourBy = ev.target.value;
    drawTreemap();
  });
  // For tests and tools: the charts were drawn.
  document.body.setAttribute('data-layer-bars', bars);
  document.body.setAttribute('data-rendered', 'true');
})();
)page";
  return script;
}

}  // namespace distill::inspect
