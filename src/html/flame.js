/* flame.js - the script of prof2folded's SVG flame graph (src/flame.c puts
 * it in every SVG): a click on a frame zooms into it (its callers stay below
 * it, full width and faded); "Reset zoom" goes back; "Search" takes a
 * regular expression, highlights the frames whose name matches and says how
 * much of the graph's width lies under them.  Names are read from the
 * frames' <title> text and written back as text: nothing is evaluated. */
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var svg = document.documentElement;
  var W = parseFloat(svg.getAttribute('width'));
  var PAD = parseFloat(svg.getAttribute('data-pad'));
  var ROW = parseFloat(svg.getAttribute('data-row'));
  var CHAR_W = 7.1, MATCH = 'rgb(230,0,230)';
  var frames = [];
  var gs = svg.querySelectorAll('g.f');
  for (var i = 0; i < gs.length; i++) {
    var g = gs[i], r = g.querySelector('rect');
    var title = g.querySelector('title').textContent;
    frames.push({ g: g, r: r, t: g.querySelector('text'), name: title.split('\n')[0],
      x: parseFloat(r.getAttribute('x')), y: parseFloat(r.getAttribute('y')),
      w: parseFloat(r.getAttribute('width')), fill: r.getAttribute('fill') });
  }
  var resetBtn = document.getElementById('fg-reset');
  var searchBtn = document.getElementById('fg-search');
  var matchedText = document.getElementById('fg-matched');
  var zoomed = null, searching = false;

  function label(f, x, w) {
    var n = Math.floor((w - 6) / CHAR_W);
    var text = n < 3 ? '' : f.name.length <= n ? f.name : f.name.slice(0, n - 2) + '..';
    if (!f.t) {
      if (!text) return;
      f.t = document.createElementNS(NS, 'text');
      f.t.setAttribute('y', String(f.y + ROW - 4.5));
      f.g.appendChild(f.t);
    }
    f.t.setAttribute('x', (x + 3).toFixed(1));
    f.t.textContent = text;
  }
  function place(f, x, w, cls) {
    f.g.style.display = '';
    f.g.setAttribute('class', cls);
    f.r.setAttribute('x', x.toFixed(1));
    f.r.setAttribute('width', w.toFixed(1));
    label(f, x, w);
  }
  function zoom(z) {
    var scale = (W - 2 * PAD) / z.w, eps = 1e-6 * W;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.y > z.y) {
        /* below the frame: its callers, drawn across the whole width */
        if (f.x <= z.x + eps && f.x + f.w >= z.x + z.w - eps) place(f, PAD, W - 2 * PAD, 'f parent');
        else f.g.style.display = 'none';
      } else if (f.x >= z.x - eps && f.x + f.w <= z.x + z.w + eps && f.w * scale >= 0.1) {
        place(f, PAD + (f.x - z.x) * scale, f.w * scale, 'f');
      } else {
        f.g.style.display = 'none';
      }
    }
    zoomed = z;
    resetBtn.style.display = '';
  }
  function reset() {
    for (var i = 0; i < frames.length; i++) place(frames[i], frames[i].x, frames[i].w, 'f');
    zoomed = null;
    resetBtn.style.display = 'none';
  }
  function search(term) {
    var rx = null;
    if (term) {
      try { rx = new RegExp(term); } catch (e) { rx = null; }
    }
    var spans = [], all = 0;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i], hit = rx !== null && i > 0 && rx.test(f.name);
      f.r.setAttribute('fill', hit ? MATCH : f.fill);
      if (i === 0) all = f.w;
      if (hit) spans.push([f.x, f.x + f.w]);
    }
    /* the width under a match, each part counted once (nested matches overlap) */
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var covered = 0, end = -Infinity;
    for (var k = 0; k < spans.length; k++) {
      var s = Math.max(spans[k][0], end);
      if (spans[k][1] > s) covered += spans[k][1] - s;
      end = Math.max(end, spans[k][1]);
    }
    searching = rx !== null;
    searchBtn.textContent = searching ? 'Reset search' : 'Search';
    matchedText.textContent = searching ? 'Matched: ' + (all > 0 ? (100 * covered / all).toFixed(1) : '0.0') + '%' : '';
  }
  svg.addEventListener('click', function (ev) {
    var node = ev.target;
    if (node === resetBtn) { reset(); return; }
    if (node === searchBtn) {
      if (searching) search('');
      else search(window.prompt('Search frames (a regular expression):', '') || '');
      return;
    }
    while (node && node !== svg && !(node.getAttribute && /(^| )f( |$)/.test(node.getAttribute('class') || '')))
      node = node.parentNode;
    if (!node || node === svg) return;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].g === node) {
        if (i === 0) reset(); else zoom(frames[i]);
        return;
      }
    }
  });
  window.flameGraph = { zoom: function (i) { zoom(frames[i]); }, reset: reset, search: search };
})();
