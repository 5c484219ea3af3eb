/* page.js - prof2html's page: reads the profile embedded in the page (a
 * string table and numeric arrays, see src/html.c) and draws the icicle or
 * sunburst of the call tree on a canvas, pstats' table of functions (only
 * the rows in view exist, so 200,000 rows scroll), the callers and callees
 * of the selected function, and search.  The state (view, zoom, selection,
 * search, sort) lives in the URL fragment so a link reopens the same view.
 * A page written with --diff BASE also holds BASE's numbers per function:
 * frames and rows are coloured by the change of cumtime (red slower, blue
 * faster, four depths relative to the largest change, grey within the
 * tolerance) and the table gets a "delta cumtime" column.
 *
 * Names come from profiles made elsewhere, so they are untrusted: they only
 * ever reach the page as text (textContent, canvas fillText), never as
 * markup, and nothing from the data is evaluated. */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const violations = [];
  window.pstatsCspViolations = violations;
  document.addEventListener('securitypolicyviolation', (ev) => {
    violations.push(ev.violatedDirective + ' ' + ev.blockedURI);
  });

  /* ---- the data ------------------------------------------------------------ */
  const D = JSON.parse($('profile-data').textContent);
  const num = (v) => (typeof v === 'string' ? Number(v) : v);   /* "NaN", "Infinity", big ints */
  /* numbers (times in ns) into a typed array, in a plain loop: the fastest way */
  function f64(a, scale) {
    const n = a.length, r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      r[i] = (typeof v === 'number' ? v : Number(v)) * scale;
    }
    return r;
  }
  function u32(a) {
    const n = a.length, r = new Uint32Array(n);
    for (let i = 0; i < n; i++) r[i] = a[i];
    return r;
  }
  const S = D.str;
  const nfuncs = D.ff.length;
  const ff = u32(D.ff), fnm = u32(D.fn), fl = D.fl;
  const nent = D.nc.length;
  const ent = new Uint32Array(nent);   /* entry i is function i (the writer numbers them so) */
  for (let i = 0; i < nent; i++) ent[i] = i;
  const nc = f64(D.nc, 1), pc = f64(D.pc, 1);
  const tt = f64(D.tt, 1e-9), ct = f64(D.ct, 1e-9);
  const totalTT = num(D.total_tt) * 1e-9;
  const entOf = new Int32Array(nfuncs).fill(-1);
  for (let i = 0; i < nent; i++) entOf[ent[i]] = i;

  /* --diff: BASE's side of every entry, the change of cumtime, and its class
   * per entry: 0 grey, 1..4 slower (deeper), -1..-4 faster */
  const DF = D.diff || null;
  let bnc, btt, bct, absent, dct, dclass, baseTT = 0;
  if (DF) {
    bnc = f64(DF.nc, 1);
    btt = f64(DF.tt, 1e-9);
    bct = f64(DF.ct, 1e-9);
    baseTT = num(DF.total_tt) * 1e-9;
    absent = new Uint8Array(nent);
    for (const e of DF.absent) absent[e] = 1;
    dct = new Float64Array(nent);
    dclass = new Int8Array(nent);
    const tol = num(DF.tolerance) / 100 * baseTT;
    let maxabs = 0;
    for (let e = 0; e < nent; e++) {
      const d = ct[e] - bct[e];
      dct[e] = d;
      if (Math.abs(d) >= tol && d !== 0 && Math.abs(d) > maxabs) maxabs = Math.abs(d);
    }
    for (let e = 0; e < nent; e++) {
      const d = dct[e], a = Math.abs(d);
      if (!(a >= tol) || d === 0) continue;
      const level = Math.min(4, 1 + Math.floor(4 * a / maxabs - 1e-9));
      dclass[e] = d > 0 ? level : -level;
    }
    /* the column, before the table's handlers are attached */
    document.body.classList.add('diff');
    const h = document.createElement('span');
    h.textContent = '\u0394 cumtime';
    h.dataset.key = 'dct';
    h.setAttribute('role', 'columnheader');
    h.title = 'change of cumtime since BASE';
    $('thead').insertBefore(h, $('thead').lastElementChild);
  }

  /* callers: edges grouped by callee entry; callees: the same edges grouped
   * by caller.  They come last in the page (most of a large profile's
   * bytes), so the chart and the table are drawn before the browser has read
   * them; they are decoded once the document is complete. */
  let nedges = 0, eoff, ec, enc, epc, ett, ect, eint, ecallee, coff, cedge, edgesReady = false;
  function loadEdges() {
    if (edgesReady) return true;
    const box = $('profile-edges');
    if (!box || document.readyState === 'loading') return false;
    const E = JSON.parse(box.textContent);
    nedges = E.n;
    eoff = new Uint32Array(nent + 1);
    for (let i = 0; i < nent; i++) eoff[i + 1] = eoff[i] + D.en[i];
    ec = u32(E.ec);
    enc = f64(E.enc, 1);
    epc = f64(E.epc, 1);
    ett = f64(E.ett, 1e-9);
    ect = f64(E.ect, 1e-9);
    eint = new Uint8Array(nedges);
    for (const k of E.eint) eint[k] = 1;
    ecallee = new Uint32Array(nedges);
    for (let i = 0; i < nent; i++) for (let k = eoff[i]; k < eoff[i + 1]; k++) ecallee[k] = ent[i];
    coff = new Uint32Array(nfuncs + 1);
    for (let k = 0; k < nedges; k++) coff[ec[k] + 1]++;
    for (let f = 0; f < nfuncs; f++) coff[f + 1] += coff[f];
    cedge = new Uint32Array(nedges);
    const fill = coff.slice(0, nfuncs);
    for (let k = 0; k < nedges; k++) cedge[fill[ec[k]]++] = k;
    edgesReady = true;
    return true;
  }

  /* the call tree: node 0 is "all", the data's nodes follow in preorder */
  const N = D.td.length + 1;
  const depth = new Uint32Array(N), func = new Int32Array(N), parent = new Int32Array(N);
  const self = new Float64Array(N), total = new Float64Array(N), x = new Float64Array(N);
  const end = new Uint32Array(N);
  func[0] = -1;
  parent[0] = -1;
  {
    const stack = [0];
    for (let i = 1; i < N; i++) {
      const d = D.td[i - 1] + 1;
      depth[i] = d;
      func[i] = D.tf[i - 1];
      self[i] = num(D.ts[i - 1]) * 1e-9;
      while (stack.length > d) end[stack.pop()] = i;
      parent[i] = stack[d - 1];
      stack.push(i);
    }
    while (stack.length) end[stack.pop()] = N;
    for (let i = N - 1; i >= 1; i--) {
      total[i] += self[i];
      total[parent[i]] += total[i];
    }
    const next = new Float64Array(N);
    for (let i = 1; i < N; i++) {
      const p = parent[i];
      x[i] = x[p] + next[p];
      next[p] += total[i];
    }
  }
  let maxTreeDepth = 0;
  for (let i = 0; i < N; i++) if (depth[i] > maxTreeDepth) maxTreeDepth = depth[i];

  /* ---- names and numbers as pstats prints them ------------------------------- */
  const names = new Array(nfuncs);
  function stdName(f) {
    let s = names[f];
    if (s !== undefined) return s;
    const file = S[ff[f]], name = S[fnm[f]], line = fl[f];
    if (file === '~' && String(line) === '0')
      s = name.length >= 2 && name[0] === '<' && name[name.length - 1] === '>'
        ? '{' + name.slice(1, -1) + '}' : name;
    else
      s = file + ':' + line + '(' + name + ')';
    names[f] = s;
    return s;
  }
  function shortName(f) {
    if (f < 0) return 'all';
    const file = S[ff[f]], name = S[fnm[f]];
    if (file === '~' || file === '') return name;
    const slash = file.lastIndexOf('/');
    return name + ' (' + file.slice(slash + 1) + ':' + fl[f] + ')';
  }
  /* Python's '%.3f': correctly rounded, ties to even (toFixed rounds exact
   * ties up; a double is an exact tie at 3 decimals only when x*16 is odd). */
  function f3(v) {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
    let s;
    const a = Math.abs(v);
    if (a >= 1e21) s = BigInt(Math.round(a)).toString() + '.000';
    else if (Number.isInteger(a * 16) && (a * 16) % 2 === 1 && a < 2 ** 40) {
      const y = a * 1000, lo = Math.floor(y), n = lo % 2 === 0 ? lo : lo + 1;
      s = (n / 1000).toFixed(3);
    } else s = a.toFixed(3);
    return (v < 0 || Object.is(v, -0) ? '-' : '') + s;
  }
  const pad8 = (s) => (s.length < 8 ? ' '.repeat(8 - s.length) + s : s);
  function ncallsText(n, p) { return p === 0 ? String(n) : n + '/' + (n - p); }
  function pct(a, b) { return b > 0 ? (100 * a / b).toFixed(2) + '%' : '-'; }
  function fmtTime(sec) {
    if (!Number.isFinite(sec)) return String(sec);
    const a = Math.abs(sec);
    if (a >= 1) return sec.toFixed(3) + ' s';
    if (a >= 1e-3) return (sec * 1e3).toFixed(3) + ' ms';
    return (sec * 1e6).toFixed(3) + ' \u00b5s';
  }
  /* "+1.234 ms (+15.2%)", "new since BASE", "-" (no statistics) */
  function changeText(e) {
    if (e < 0) return '';
    const d = dct[e], sign = d > 0 ? '+' : d < 0 ? '' : '\u00b1';
    if (absent[e]) return 'new since BASE';
    let rel = '';
    if (bct[e] > 0 && Number.isFinite(d)) {
      const r = d / bct[e];
      rel = Math.abs(r) < 10 ? ' (' + (r >= 0 ? '+' : '') + (100 * r).toFixed(1) + '%)'
        : ' (\u00d7' + ((bct[e] + d) / bct[e]).toPrecision(3) + ')';
    }
    return sign + fmtTime(d) + rel;
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* ---- state and the URL fragment --------------------------------------------- */
  const state = { view: 'icicle', zoom: 0, fn: -1, q: '', re: false, depth: 10, cutoff: 0.001,
    sort: 'ct', dir: -1 };
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (p.get('view') === 'sunburst' || p.get('view') === 'icicle') state.view = p.get('view');
    const z = parseInt(p.get('zoom'), 10);
    state.zoom = z >= 0 && z < N ? z : 0;
    const f = parseInt(p.get('fn'), 10);
    state.fn = f >= 0 && f < nfuncs ? f : -1;
    state.q = p.get('q') || '';
    state.re = p.get('re') === '1';
    const d = parseInt(p.get('depth'), 10);
    if (d > 0) state.depth = d;
    const c = parseFloat(p.get('cutoff'));
    if (c >= 0 && c < 1) state.cutoff = c;
    if (['nc', 'tt', 'ttpc', 'ct', 'ctpc', 'name'].concat(DF ? ['dct'] : []).includes(p.get('sort')))
      state.sort = p.get('sort');
    if (p.get('dir') === '1' || p.get('dir') === '-1') state.dir = Number(p.get('dir'));
  }
  let hashSet = '';
  function writeHash() {
    const p = new URLSearchParams();
    p.set('view', state.view);
    p.set('zoom', String(state.zoom));
    if (state.fn >= 0) p.set('fn', String(state.fn));
    if (state.q) p.set('q', state.q);
    if (state.re) p.set('re', '1');
    p.set('depth', String(state.depth));
    p.set('cutoff', String(state.cutoff));
    p.set('sort', state.sort);
    p.set('dir', String(state.dir));
    hashSet = '#' + p.toString();
    if (location.hash !== hashSet) {
      try { history.replaceState(null, '', hashSet); } catch (e) { location.hash = hashSet; }
    }
  }

  /* ---- search ---------------------------------------------------------------- */
  let match = null;          /* Uint8Array over functions, or null without a search */
  function compileSearch() {
    const box = $('search');
    box.classList.remove('bad');
    match = null;
    if (!state.q) { $('searchinfo').textContent = ''; return; }
    let test;
    if (state.re) {
      let rx;
      try { rx = new RegExp(state.q, 'i'); } catch (e) {
        box.classList.add('bad');
        $('searchinfo').textContent = 'not a regular expression';
        return;
      }
      test = (s) => rx.test(s);
    } else {
      const q = state.q.toLowerCase();
      test = (s) => s.toLowerCase().includes(q);
    }
    match = new Uint8Array(nfuncs);
    let n = 0;
    for (let f = 0; f < nfuncs; f++) if (test(stdName(f))) { match[f] = 1; n++; }
    /* the time under matching frames, each counted once (not again below a match) */
    let t = 0;
    for (let i = 1; i < N;) {
      if (match[func[i]]) { t += total[i]; i = end[i]; } else i++;
    }
    $('searchinfo').textContent = n + ' function' + (n === 1 ? '' : 's') + ' match; ' +
      pct(t, total[0]) + ' of the chart';
  }

  /* ---- the chart ------------------------------------------------------------- */
  const canvas = $('chart'), ctx = canvas.getContext('2d'), tip = $('tip');
  const ROW = 18;
  let drawn = [];            /* what is on the canvas: {n, x, y, w, h} or arcs */
  let colours = {};
  function readColours() {
    const cs = getComputedStyle(document.documentElement);
    const v = (k) => cs.getPropertyValue(k).trim();
    colours = { bg: v('--bg'), fg: v('--fg'), match: v('--match'), text: v('--frame-text'),
      root: v('--root'), outline: v('--outline'), dark: matchMedia('(prefers-color-scheme: dark)').matches };
    /* --diff's frames: the light tints in both themes (the frame text is black) */
    colours.up = ['#fde0dc', '#f9b4ab', '#f08070', '#e04b3c'];
    colours.down = ['#dde8fb', '#b3cdf6', '#7fa7ee', '#4a7fe0'];
    colours.same = colours.dark ? '#a9a9ae' : '#e3e3e6';
  }
  const hueCache = new Map();
  function frameColour(f) {
    if (f < 0) return colours.root;
    if (match && match[f]) return colours.match;
    if (DF) {
      const e = entOf[f], k = e < 0 ? 0 : dclass[e];
      return k > 0 ? colours.up[k - 1] : k < 0 ? colours.down[-k - 1] : colours.same;
    }
    const key = S[fnm[f]];
    let c = hueCache.get(f);
    if (c) return c;
    let h = 2166136261;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    let h2 = h;
    const file = S[ff[f]];
    for (let i = 0; i < file.length; i++) h2 = Math.imul(h2 ^ file.charCodeAt(i), 16777619);
    const a = ((h >>> 8) & 0xffff) / 65535, b = ((h2 >>> 8) & 0xffff) / 65535;
    const k = colours.dark ? 0.82 : 1;
    c = 'rgb(' + Math.round((205 + 50 * b) * k) + ',' + Math.round(230 * a * k) + ',' +
      Math.round(55 * (1 - a) * k) + ')';
    hueCache.set(f, c);
    return c;
  }
  function visible(i, z) {
    /* SnakeViz's cutoff: a frame smaller than cutoff of its parent is left out */
    return i === z || !(total[i] < state.cutoff * total[parent[i]]);
  }
  function setupCanvas(cssW, cssH) {
    const dpr = window.devicePixelRatio || 1;
    canvas.style.height = cssH + 'px';
    canvas.width = Math.max(1, Math.round(cssW * dpr));
    canvas.height = Math.max(1, Math.round(cssH * dpr));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
  }
  function fitText(text, w) {
    const cw = 6.6;
    const n = Math.floor((w - 6) / cw);
    if (n < 3) return '';
    return text.length <= n ? text : text.slice(0, n - 1) + '\u2026';
  }
  function drawIcicle() {
    const z = state.zoom, W = canvas.parentElement.clientWidth;
    const rows = Math.min(state.depth, maxTreeDepth - depth[z]) + 1;
    setupCanvas(W, Math.max(rows * ROW, 3 * ROW));
    drawn = [];
    const x0 = x[z], scale = total[z] > 0 ? W / total[z] : 0, d0 = depth[z];
    for (let i = z; i < end[z];) {
      const rel = depth[i] - d0, w = total[i] * scale;
      if (rel > state.depth || w < 0.4 || !visible(i, z)) { i = end[i]; continue; }
      const px = (x[i] - x0) * scale, py = rel * ROW;
      ctx.fillStyle = frameColour(func[i]);
      ctx.fillRect(px, py, Math.max(w - 1, 0.4), ROW - 1);
      if (state.fn >= 0 && func[i] === state.fn && w >= 3) {
        ctx.strokeStyle = colours.outline;
        ctx.lineWidth = 1.5;
        ctx.strokeRect(px + 0.75, py + 0.75, w - 2.5, ROW - 2.5);
      }
      if (w > 24) {
        const t = fitText(i === 0 ? 'all (' + fmtTime(total[0]) + ')' : shortName(func[i]), w);
        if (t) {
          ctx.fillStyle = colours.text;
          ctx.fillText(t, px + 3, py + ROW / 2);
        }
      }
      drawn.push({ n: i, x: px, y: py, w: w, h: ROW });
      i++;
    }
  }
  function drawSunburst() {
    const z = state.zoom, W = canvas.parentElement.clientWidth;
    const H = Math.min(Math.max(W * 0.6, 300), 760);
    setupCanvas(W, H);
    drawn = [];
    const cx = W / 2, cy = H / 2, levels = Math.min(state.depth, maxTreeDepth - depth[z]) + 1;
    const ring = (Math.min(W, H) / 2 - 4) / levels;
    const x0 = x[z], scale = total[z] > 0 ? 2 * Math.PI / total[z] : 0, d0 = depth[z];
    for (let i = z; i < end[z];) {
      const rel = depth[i] - d0, a = total[i] * scale;
      /* SnakeViz hides arcs narrower than 0.005 radians */
      if (rel > state.depth || a < 0.005 || !visible(i, z)) { i = end[i]; continue; }
      const a0 = (x[i] - x0) * scale - Math.PI / 2, r0 = rel * ring, r1 = r0 + ring;
      ctx.beginPath();
      if (rel === 0) ctx.arc(cx, cy, r1, 0, 2 * Math.PI);
      else {
        ctx.arc(cx, cy, r1, a0, a0 + a);
        ctx.arc(cx, cy, r0, a0 + a, a0, true);
        ctx.closePath();
      }
      ctx.fillStyle = frameColour(func[i]);
      ctx.fill();
      ctx.strokeStyle = colours.bg;
      ctx.lineWidth = 1;
      ctx.stroke();
      if (state.fn >= 0 && func[i] === state.fn) {
        ctx.strokeStyle = colours.outline;
        ctx.lineWidth = 2;
        ctx.stroke();
      }
      if (rel === 0) {
        const t = fitText(i === 0 ? 'all' : S[fnm[func[i]]], 2 * r1);
        ctx.fillStyle = colours.text;
        ctx.textAlign = 'center';
        if (t) ctx.fillText(t, cx, cy);
        ctx.textAlign = 'start';
      }
      drawn.push({ n: i, a0: a0 + Math.PI / 2, a: a, r0: r0, r1: r1, cx: cx, cy: cy,
        /* a point inside the arc, for tests and keyboard-less clicks */
        x: rel === 0 ? cx : cx + Math.cos(a0 + a / 2) * (r0 + ring / 2),
        y: rel === 0 ? cy : cy + Math.sin(a0 + a / 2) * (r0 + ring / 2) });
      i++;
    }
  }
  function drawChart() {
    readColours();
    if (state.view === 'sunburst') drawSunburst(); else drawIcicle();
    drawCrumbs();
  }
  function hit(ev) {
    const r = canvas.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    if (state.view === 'icicle') {
      for (const d of drawn)
        if (my >= d.y && my < d.y + d.h && mx >= d.x && mx < d.x + Math.max(d.w, 1)) return d.n;
      return -1;
    }
    for (const d of drawn) {
      const dx = mx - d.cx, dy = my - d.cy, rr = Math.sqrt(dx * dx + dy * dy);
      if (rr < d.r0 || rr >= d.r1) continue;
      if (d.r0 === 0) return d.n;
      let ang = Math.atan2(dy, dx) + Math.PI / 2;
      if (ang < 0) ang += 2 * Math.PI;
      if (ang >= d.a0 && ang < d.a0 + d.a) return d.n;
    }
    return -1;
  }
  function showTip(ev, i) {
    tip.replaceChildren();
    const f = func[i];
    const line = (cls, text) => tip.appendChild(el('div', cls, text));
    if (f < 0) {
      line('fname', 'all');
      line('', 'total ' + fmtTime(total[0]) + (D.estimated ? ' (estimated stacks)' : ''));
    } else {
      line('fname', S[fnm[f]]);
      line('', S[ff[f]] + ':' + fl[f]);
      const e = entOf[f];
      if (e >= 0) {
        line('', 'ncalls ' + ncallsText(nc[e], pc[e]) + '   tottime ' + f3(tt[e]) +
          '   cumtime ' + f3(ct[e]));
      }
      line('', 'this frame ' + fmtTime(total[i]) + ': ' + pct(total[i], total[0]) + ' of total, ' +
        pct(total[i], total[parent[i]]) + ' of parent');
      if (DF && e >= 0) line('', '\u0394 cumtime since BASE ' + changeText(e));
    }
    tip.hidden = false;
    const box = canvas.parentElement.getBoundingClientRect();
    let lx = ev.clientX - box.left + 14, ly = ev.clientY - box.top + 14;
    const tw = tip.offsetWidth, th = tip.offsetHeight;
    if (lx + tw > box.width) lx = Math.max(0, ev.clientX - box.left - tw - 10);
    if (ly + th > box.height && ly - th - 28 >= 0) ly = ly - th - 28;
    tip.style.left = lx + 'px';
    tip.style.top = ly + 'px';
  }
  canvas.addEventListener('mousemove', (ev) => {
    const i = hit(ev);
    if (i < 0) tip.hidden = true; else showTip(ev, i);
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  canvas.addEventListener('click', (ev) => {
    const i = hit(ev);
    if (i < 0) return;
    /* the frame at the root of the view zooms out one level */
    zoomTo(i === state.zoom && i > 0 ? parent[i] : i);
    if (func[i] >= 0) select(func[i], false);
  });
  function zoomTo(i) {
    state.zoom = i;
    tip.hidden = true;
    drawChart();
    writeHash();
  }
  function drawCrumbs() {
    const box = $('crumbs');
    box.replaceChildren();
    const path = [];
    for (let i = state.zoom; i >= 0; i = parent[i]) path.push(i);
    path.reverse();
    path.forEach((i, k) => {
      if (k) box.appendChild(el('span', 'sep', '\u203a'));
      const label = i === 0 ? 'all' : shortName(func[i]);
      if (k === path.length - 1) {
        const cur = el('span', 'here', label);
        cur.title = i === 0 ? 'all' : stdName(func[i]);
        box.appendChild(cur);
      } else {
        const b = el('button', 'crumb', label);
        b.type = 'button';
        b.title = i === 0 ? 'all' : stdName(func[i]);
        b.addEventListener('click', () => zoomTo(i));
        box.appendChild(b);
      }
    });
  }

  /* ---- the table (only the rows in view exist) ------------------------------- */
  const RH = 20;
  const tscroll = $('tscroll'), tspacer = $('tspacer'), trows = $('trows');
  let order = new Uint32Array(0);
  const pool = [];
  function sortKey(key) {
    switch (key) {
      case 'nc': return (e) => nc[e];
      case 'tt': return (e) => tt[e];
      case 'ttpc': return (e) => (nc[e] ? tt[e] / nc[e] : 0);
      case 'ct': return (e) => ct[e];
      case 'ctpc': return (e) => (nc[e] - pc[e] ? ct[e] / (nc[e] - pc[e]) : 0);
      case 'dct': return DF ? (e) => dct[e] : null;
      default: return null;
    }
  }
  function buildOrder() {
    const rows = [];
    for (let e = 0; e < nent; e++) if (!match || match[ent[e]]) rows.push(e);
    const o = Uint32Array.from(rows);
    const dir = state.dir;
    const k = sortKey(state.sort);
    if (k) {
      const v = new Float64Array(nent);
      for (const e of o) { const t = k(e); v[e] = Number.isNaN(t) ? -Infinity : t; }
      o.sort((a, b) => (v[a] - v[b]) * dir || a - b);
    } else {
      o.sort((a, b) => {
        const x1 = stdName(ent[a]), x2 = stdName(ent[b]);
        return (x1 < x2 ? -1 : x1 > x2 ? 1 : 0) * dir || a - b;
      });
    }
    order = o;
    tspacer.style.height = order.length * RH + 'px';
    $('tinfo').textContent = order.length === nent ? nent + ' functions'
      : order.length + ' of ' + nent + ' functions match';
    for (const h of $('thead').children) {
      const base = h.textContent.replace(/ [\u25b2\u25bc]$/, '');
      h.textContent = h.dataset.key === state.sort ? base + (state.dir < 0 ? ' \u25bc' : ' \u25b2') : base;
      h.setAttribute('aria-sort', h.dataset.key === state.sort ? (state.dir < 0 ? 'descending' : 'ascending') : 'none');
    }
  }
  function rowCells(r, e) {
    const c = r.children, f = ent[e], n = nc[e], cc = n - pc[e];
    c[0].textContent = ncallsText(n, pc[e]);
    c[1].textContent = f3(tt[e]);
    c[2].textContent = n === 0 ? '' : f3(tt[e] / n);
    c[3].textContent = f3(ct[e]);
    c[4].textContent = cc === 0 ? '' : f3(ct[e] / cc);
    const nm = c[DF ? 6 : 5];
    nm.textContent = stdName(f);
    nm.title = stdName(f);
    r.dataset.fn = String(f);
    r.classList.toggle('sel', f === state.fn);
    if (DF) {
      c[5].textContent = changeText(e);
      const k = dclass[e];
      r.className = 'trow ' + (k > 0 ? 'up' + k : k < 0 ? 'down' + -k : 'same') + (f === state.fn ? ' sel' : '');
    }
  }
  function newRow() {
    const r = el('div', 'trow');
    r.setAttribute('role', 'row');
    for (let k = 0; k < (DF ? 7 : 6); k++) r.appendChild(el('span'));
    return r;
  }
  function drawRows() {
    const h = tscroll.clientHeight || 420;
    const first = Math.max(0, Math.floor(tscroll.scrollTop / RH) - 5);
    const count = Math.min(order.length - first, Math.ceil(h / RH) + 10);
    while (pool.length < count) {
      const r = newRow();
      r.addEventListener('click', () => select(Number(r.dataset.fn), true));
      pool.push(r);
      trows.appendChild(r);
    }
    for (let k = 0; k < pool.length; k++) {
      const r = pool[k];
      if (k < count) {
        r.hidden = false;
        rowCells(r, order[first + k]);
        r.dataset.row = String(first + k);
      } else r.hidden = true;
    }
    trows.style.transform = 'translateY(' + first * RH + 'px)';
  }
  let scrollQueued = false;
  tscroll.addEventListener('scroll', () => {
    if (scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(() => { scrollQueued = false; drawRows(); });
  });
  for (const h of $('thead').children) {
    h.addEventListener('click', () => {
      const key = h.dataset.key;
      if (state.sort === key) state.dir = -state.dir;
      else { state.sort = key; state.dir = key === 'name' ? 1 : -1; }
      buildOrder();
      drawRows();
      writeHash();
    });
  }
  function scrollToSelected() {
    const k = order.indexOf(entOf[state.fn]);
    if (k < 0) return;
    const top = k * RH, h = tscroll.clientHeight;
    if (top < tscroll.scrollTop || top + RH > tscroll.scrollTop + h)
      tscroll.scrollTop = Math.max(0, top - h / 2);
  }

  /* ---- callers and callees of the selected function -------------------------- */
  function relRow(f, ncText, ttText, ctText) {
    const r = el('div', 'trow');
    r.appendChild(el('span', '', ncText));
    r.appendChild(el('span', '', ttText));
    r.appendChild(el('span', '', ctText));
    const nm = el('span', '', stdName(f));
    nm.title = stdName(f);
    r.appendChild(nm);
    r.dataset.fn = String(f);
    r.addEventListener('click', () => select(f, true));
    return r;
  }
  function edgeRow(k, other) {
    if (eint[k]) {
      /* a plain call count: pstats prints the count and the function's cumtime */
      const e = entOf[other];
      return relRow(other, String(enc[k]), '', e >= 0 ? f3(ct[e]) : '');
    }
    return relRow(other, ncallsText(enc[k], epc[k]), f3(ett[k]), f3(ect[k]));
  }
  function fillRel(box, edges, otherOf) {
    box.replaceChildren();
    if (!edges.length) { box.appendChild(el('div', 'empty', 'none')); return; }
    const head = el('div', 'trow head');
    for (const t of ['ncalls', 'tottime', 'cumtime', 'function']) head.appendChild(el('span', '', t));
    box.appendChild(head);
    edges.sort((a, b) => ect[b] - ect[a] || enc[b] - enc[a] || a - b);
    for (const k of edges.slice(0, 2000)) box.appendChild(edgeRow(k, otherOf(k)));
    if (edges.length > 2000) box.appendChild(el('div', 'empty', '\u2026 ' + (edges.length - 2000) + ' more'));
  }
  function drawSelection() {
    const f = state.fn;
    if (f < 0) {
      $('selname').textContent = 'No function selected';
      $('seldetail').textContent = 'Click a frame or a row.';
      $('callers').replaceChildren();
      $('callees').replaceChildren();
      return;
    }
    $('selname').textContent = stdName(f);
    const e = entOf[f];
    $('seldetail').textContent = e < 0 ? 'no statistics (only seen as a caller)'
      : '   ncalls  tottime  percall  cumtime  percall\n' +
        pad8(ncallsText(nc[e], pc[e])).padStart(9) + ' ' + pad8(f3(tt[e])) + ' ' +
        pad8(nc[e] ? f3(tt[e] / nc[e]) : '') + ' ' + pad8(f3(ct[e])) + ' ' +
        pad8(nc[e] - pc[e] ? f3(ct[e] / (nc[e] - pc[e])) : '') + '\n' +
        pct(tt[e], totalTT) + ' of the total time in the function itself, ' +
        pct(ct[e], totalTT) + ' under it' +
        (!DF ? '' : absent[e] ? '\nnot in BASE' :
          '\nBASE: ncalls ' + bnc[e] + ', tottime ' + f3(btt[e]) + ', cumtime ' + f3(bct[e]) +
          '; \u0394 cumtime ' + changeText(e));
    if (!loadEdges()) {
      for (const id of ['callers', 'callees'])
        $(id).replaceChildren(el('div', 'empty', 'reading the call edges\u2026'));
      return;
    }
    const callers = [];
    if (e >= 0) for (let k = eoff[e]; k < eoff[e + 1]; k++) callers.push(k);
    fillRel($('callers'), callers, (k) => ec[k]);
    const callees = Array.from(cedge.subarray(coff[f], coff[f + 1]));
    fillRel($('callees'), callees, (k) => ecallee[k]);
  }
  function select(f, fromList) {
    state.fn = f;
    drawSelection();
    drawRows();
    if (fromList) scrollToSelected();
    drawChart();
    writeHash();
  }

  /* ---- controls ---------------------------------------------------------------- */
  function syncControls() {
    $('view').value = state.view;
    if (![...$('depth').options].some((o) => o.value === String(state.depth)))
      $('depth').appendChild(el('option', '', String(state.depth))).value = String(state.depth);
    $('depth').value = String(state.depth);
    if (![...$('cutoff').options].some((o) => o.value === String(state.cutoff)))
      $('cutoff').appendChild(el('option', '', String(state.cutoff))).value = String(state.cutoff);
    $('cutoff').value = String(state.cutoff);
    $('search').value = state.q;
    $('regex').checked = state.re;
  }
  $('view').addEventListener('change', () => { state.view = $('view').value; zoomTo(state.zoom); });
  $('depth').addEventListener('change', () => { state.depth = Number($('depth').value); zoomTo(state.zoom); });
  $('cutoff').addEventListener('change', () => { state.cutoff = Number($('cutoff').value); zoomTo(state.zoom); });
  $('reset').addEventListener('click', () => zoomTo(0));
  let searchTimer = 0;
  function applySearch() {
    compileSearch();
    buildOrder();
    tscroll.scrollTop = 0;
    drawRows();
    drawChart();
    writeHash();
  }
  $('search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = $('search').value; applySearch(); }, 120);
  });
  $('regex').addEventListener('change', () => { state.re = $('regex').checked; applySearch(); });
  window.addEventListener('resize', () => { drawChart(); drawRows(); });
  window.addEventListener('hashchange', () => {
    if (location.hash === hashSet) return;
    readHash();
    syncControls();
    compileSearch();
    buildOrder();
    drawSelection();
    drawRows();
    drawChart();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    hueCache.clear();
    drawChart();
  });

  /* ---- the header and the first drawing ------------------------------------------ */
  document.title = D.title;
  $('title').textContent = D.title;
  $('inputs').textContent = D.inputs;
  $('summary').textContent = D.files.join('\n') + (D.files.length ? '\n' : '') +
    num(D.total_calls) + ' function calls' +
    (num(D.total_calls) !== num(D.prim_calls) ? ' (' + num(D.prim_calls) + ' primitive calls)' : '') +
    ' in ' + f3(totalTT) + ' seconds';
  if (DF) {
    const dn = $('diffnote'), dt = totalTT - baseTT;
    dn.textContent = 'Compared with ' + DF.base + ': total time ' + f3(baseTT) + ' \u2192 ' + f3(totalTT) +
      ' seconds' + (baseTT > 0 ? ' (' + (dt >= 0 ? '+' : '') + (100 * dt / baseTT).toFixed(1) + '%)' : '') +
      '.  Red: cumtime grew, blue: it shrank (deeper: closer to the largest change), grey: ' +
      'within ' + num(DF.tolerance) + '% of BASE\u2019s total time.' +
      (DF.removed ? '  ' + DF.removed + ' function' + (DF.removed === 1 ? '' : 's') + ' of BASE not here.' : '');
    dn.hidden = false;
  }
  const note = $('stacknote');
  if (D.estimated) {
    note.textContent = 'The chart\u2019s stacks are estimated: a pstats dump records only ' +
      'caller \u2192 callee totals, so each call is assumed to spend its callee\u2019s time in ' +
      'the callee\u2019s average proportions.  The table and the callers/callees are exact.';
    note.classList.add('estimated');
  } else {
    note.textContent = 'The chart\u2019s stacks are the sampled stacks (exact).';
  }
  readHash();
  syncControls();
  compileSearch();
  buildOrder();
  drawChart();
  drawRows();
  drawSelection();
  if (state.fn >= 0) scrollToSelected();
  writeHash();
  /* drawn: marked once the frame holding the first drawing is painted */
  requestAnimationFrame(() => setTimeout(() => {
    performance.mark('pstats-drawn');
    window.pstatsDrawn = performance.now();
  }, 0));
  function whenComplete() {
    loadEdges();
    if (state.fn >= 0) drawSelection();
    window.pstatsReady = performance.now();
  }
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => setTimeout(whenComplete, 0));
  else whenComplete();
  /* for the tests and the bench: what is drawn where (read-only copies) */
  window.pstatsPage = {
    state: () => Object.assign({}, state),
    frames: () => drawn.map((d) => {
      const icicle = d.w !== undefined;
      return { node: d.n, func: func[d.n], name: d.n ? stdName(func[d.n]) : 'all', depth: depth[d.n],
        /* a point inside the frame (away from its label), and its geometry */
        x: icicle ? d.x + Math.min(d.w, 40) / 2 : d.x, y: icicle ? d.y + d.h / 2 : d.y,
        left: d.x, top: d.y, w: icicle ? d.w : d.a * (d.r0 + d.r1) / 2, h: icicle ? d.h : d.r1 - d.r0 };
    }),
    rows: () => order.length,
  };
})();
