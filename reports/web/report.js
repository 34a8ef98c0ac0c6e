// Seam report page: reads the JSON data model from #seam-data (a
// non-executable element) and builds every view with DOM calls.
//
// Rule: data from the analysed code (names, paths, SQL) only ever reaches the
// page through textContent / createTextNode or cytoscape labels (drawn on a
// canvas); attributes only through setAttribute/dataset, which never parse
// HTML. No innerHTML anywhere. The page makes no network request.
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('seam-data').textContent);
  var view = data.view || {};
  // Same palette as reports/lib/dot_writer.cc.
  var PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948',
                 '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#2ca02c'];
  var UNASSIGNED = '#9aa0a6';
  var state = { cy: null, mode: null, timings: {} };
  window.seamReport = { data: data, state: state, timings: state.timings };

  // ---- DOM helpers --------------------------------------------------------
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      for (var k in props) {
        if (k === 'text') node.textContent = props[k];
        else if (k === 'className') node.className = props[k];
        else if (k === 'dataset') for (var d in props[k]) node.dataset[d] = props[k][d];
        else if (k === 'onclick') node.addEventListener('click', props[k]);
        else node.setAttribute(k, props[k]);
      }
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  // append(parent, child...): nodes, strings (as text), arrays of either; null/false skipped.
  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) { child.forEach(function (c) { append(parent, c); }); continue; }
      parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmt(n) { return typeof n === 'number' ? n.toLocaleString('en-US') : String(n); }
  function loc(l) {
    if (!l || !l.file) return '';
    return l.line ? l.file + ':' + l.line : l.file;
  }
  function locNode(l) { return el('code', { className: 'loc' }, loc(l)); }
  function serviceColour(s) { return s === null || s === undefined ? UNASSIGNED : PALETTE[s % PALETTE.length]; }
  function serviceName(s) { return s === null || s === undefined ? '(no service)' : data.services[s].name; }
  function swatch(s) {
    var sw = el('span', { className: 'swatch' });
    sw.style.backgroundColor = serviceColour(s);  // CSSOM, allowed under the CSP
    return sw;
  }
  function table(headers, rows, className) {
    var t = el('table', { className: className || 'grid' });
    var thead = el('thead', null, el('tr', null, headers.map(function (h) { return el('th', { text: h }); })));
    var tbody = el('tbody');
    rows.forEach(function (r) {
      tbody.appendChild(el('tr', null, r.map(function (c) {
        return c instanceof Node ? el('td', null, c) : el('td', null, c === null || c === undefined ? '' : String(c));
      })));
    });
    append(t, [thead, tbody]);
    return t;
  }
  function section(title, note) {
    return el('div', { className: 'block' }, el('h2', { text: title }), note ? el('p', { className: 'muted', text: note }) : null);
  }

  // ---- Derived indexes ----------------------------------------------------
  var M = data.modules, S = data.services, E = data.edges, T = data.tables, A = data.accesses, R = data.routes;
  var outEdges = M.map(function () { return []; });
  var inEdges = M.map(function () { return []; });
  E.forEach(function (e, i) { outEdges[e.source].push(i); inEdges[e.target].push(i); });
  var accessByModule = M.map(function () { return []; });
  A.forEach(function (a) { accessByModule[a.module].push(a); });
  var routesByModule = M.map(function () { return []; });
  R.forEach(function (r) { if (r.module !== null) routesByModule[r.module].push(r); });
  function moduleService(i) { return M[i].service; }

  // ---- Tabs ---------------------------------------------------------------
  var renderedTabs = {};
  var tabRenderers = {};
  function showTab(name) {
    document.querySelectorAll('#tabs button').forEach(function (b) {
      b.classList.toggle('active', b.dataset.tab === name);
    });
    document.querySelectorAll('section.tab').forEach(function (s) {
      s.classList.toggle('active', s.id === 'tab-' + name);
    });
    if (!renderedTabs[name] && tabRenderers[name]) { renderedTabs[name] = true; tabRenderers[name](); }
  }
  document.querySelectorAll('#tabs button').forEach(function (b) {
    b.addEventListener('click', function () { showTab(b.dataset.tab); });
  });
  document.getElementById('title').textContent = view.title || 'Seam report';
  document.title = view.title || 'Seam report';

  // ---- Overview -----------------------------------------------------------
  tabRenderers.overview = function () {
    var root = document.getElementById('tab-overview');
    var s = data.summary;
    var cards = [
      ['Files', s.files, s.headers + ' headers'], ['Lines', s.lines, s.translation_units + ' translation units'],
      ['Symbols', s.symbols, ''], ['Modules', s.modules, s.external_modules + ' external'],
      ['Tables', s.tables, ''], ['Routes', s.routes, ''],
      ['SQL statements', s.statements, s.complete_statements + ' fully reconstructed'],
      ['Services', s.services, data.inputs.plan ? 'from the plan' : 'no plan given'],
      ['Diagnostics', s.diagnostics, 'from analysis']];
    var grid = el('div', { className: 'cards' });
    cards.forEach(function (c) {
      grid.appendChild(el('div', { className: 'card', dataset: { metric: c[0].toLowerCase() } },
        el('div', { className: 'card-value', text: fmt(c[1]) }), el('div', { className: 'card-label', text: c[0] }),
        c[2] ? el('div', { className: 'card-note', text: c[2] }) : null));
    });
    append(root, el('div', { className: 'block' }, data.project_root ? el('p', { className: 'muted' }, 'Project: ', el('code', { text: data.project_root })) : null, grid));

    if (data.notes.length) {
      var notes = section('Notes');
      append(notes, el('ul', null, data.notes.map(function (n) { return el('li', { text: n }); })));
      root.appendChild(notes);
    }

    var metrics = section('Decomposition metrics', data.metrics.length ? 'The plan beside the three baselines (definitions in docs/metrics.md).' :
      'No plan given: run `seam decompose` and pass --plan to compare it with the baselines.');
    if (data.metrics.length) {
      var names = [];
      data.metrics.forEach(function (set) { Object.keys(set.values).forEach(function (k) { if (names.indexOf(k) < 0) names.push(k); }); });
      var rows = [['services'].concat(data.metrics.map(function (set) { return set.services; }))];
      names.forEach(function (n) {
        rows.push([n].concat(data.metrics.map(function (set) {
          var v = set.values[n];
          return v === undefined ? '' : (Math.round(v * 1000) / 1000).toString();
        })));
      });
      append(metrics, table(['metric'].concat(data.metrics.map(function (set) { return set.name; })), rows, 'grid metrics'));
    }
    root.appendChild(metrics);

    var smells = section('Worst smells', data.inputs.smells ? null : 'No smells given: pass --smells from `seam smells --format json`.');
    if (data.smells.length) append(smells, smellTable(data.smells.slice(0, 5)));
    else if (data.inputs.smells) append(smells, el('p', { text: 'No smells found.' }));
    root.appendChild(smells);

    if (data.external_modules.length) {
      var ext = section('External dependencies');
      append(ext, el('p', null, data.external_modules.map(function (n, i) { return [i ? ', ' : '', el('code', { text: n })]; })));
      root.appendChild(ext);
    }
  };

  // ---- Coupling graph -----------------------------------------------------
  var threshold = view.collapse_threshold || 300;
  var hasServices = S.length > 0;
  var bigGraph = M.length > threshold;

  function edgeWidth(w, max) { return 1 + 7 * Math.log(1 + w) / Math.log(1 + Math.max(max, 1)); }

  // Edges of the heaviest kind first; big graphs draw at most EDGE_BUDGET of
  // them (a selected node's own edges are added on demand) because each drawn
  // edge costs about as much as a node.
  var EDGE_BUDGET = 3000;
  var edgeOrder = E.map(function (e, j) { return j; }).sort(function (a, b) { return E[b].weight - E[a].weight; });
  var maxEdgeWeight = 1;
  E.forEach(function (e) { maxEdgeWeight = Math.max(maxEdgeWeight, e.weight); });
  function moduleEdgeElement(j) {
    var e = E[j];
    return { group: 'edges', data: { id: 'e' + j, source: 'm' + e.source, target: 'm' + e.target, weight: e.weight,
                                     width: edgeWidth(e.weight, maxEdgeWeight), colour: serviceColour(M[e.source].service) } };
  }

  // Small graphs nest modules inside compound service nodes. Big ones place
  // modules in per-service blocks with a title node above each: compound
  // bounds are recomputed on every change and cost seconds at 5,000 nodes.
  function moduleElements(big) {
    var els = [];
    var pos = big ? blockPositions() : null;
    S.forEach(function (s, k) {
      if (!big) els.push({ group: 'nodes', data: { id: 's' + k, label: s.name, colour: serviceColour(k), kind: 'service', index: k } });
      else if (pos.titles[k]) els.push({ group: 'nodes', data: { id: 's' + k, label: s.name, colour: serviceColour(k), kind: 'service', index: k, title: 1 },
                                         position: pos.titles[k], classes: 'title' });
    });
    var maxLines = 1;
    M.forEach(function (m) { maxLines = Math.max(maxLines, m.lines); });
    M.forEach(function (m, i) {
      var d = { id: 'm' + i, label: m.name, colour: serviceColour(m.service), kind: 'module', index: i,
                size: 18 + 30 * Math.sqrt(m.lines / maxLines) };
      if (m.service !== null && !big) d.parent = 's' + m.service;
      var node = { group: 'nodes', data: d };
      if (big) node.position = pos.modules['m' + i];
      els.push(node);
    });
    var shown = big ? edgeOrder.slice(0, EDGE_BUDGET) : edgeOrder;
    shown.forEach(function (j) { els.push(moduleEdgeElement(j)); });
    return els;
  }

  function serviceElements() {
    var els = [];
    var size = S.map(function () { return 0; });
    var unassigned = 0;
    M.forEach(function (m) { if (m.service === null) unassigned++; else size[m.service] += m.lines; });
    var maxSize = Math.max.apply(null, size.concat([1]));
    S.forEach(function (s, k) {
      els.push({ group: 'nodes', data: { id: 's' + k, label: s.name + ' (' + s.modules.length + ')', colour: serviceColour(k),
                                         kind: 'service', index: k, size: 30 + 50 * Math.sqrt(size[k] / maxSize) } });
    });
    if (unassigned) els.push({ group: 'nodes', data: { id: 'su', label: '(no service) (' + unassigned + ')', colour: UNASSIGNED, kind: 'unassigned', size: 30 } });
    var agg = {};
    E.forEach(function (e) {
      var a = M[e.source].service, b = M[e.target].service;
      var ka = a === null ? 'su' : 's' + a, kb = b === null ? 'su' : 's' + b;
      if (ka === kb) return;
      var key = ka + '>' + kb;
      agg[key] = agg[key] || { source: ka, target: kb, weight: 0, colour: serviceColour(a) };
      agg[key].weight += e.weight;
    });
    var max = 1;
    Object.keys(agg).forEach(function (k) { max = Math.max(max, agg[k].weight); });
    Object.keys(agg).forEach(function (k, j) {
      var a = agg[k];
      els.push({ group: 'edges', data: { id: 'x' + j, source: a.source, target: a.target, weight: a.weight,
                                         width: edgeWidth(a.weight, max), colour: a.colour } });
    });
    return els;
  }

  // Big graphs get precomputed positions: services as square blocks in a
  // grid, modules in a grid inside their block. O(n), no physics.
  function blockPositions() {
    var groups = S.map(function (s) { return s.modules.slice(); });
    var rest = [];
    M.forEach(function (m, i) { if (m.service === null) rest.push(i); });
    if (rest.length) groups.push(rest);
    var spacing = 60, pos = {};
    var cols = Math.ceil(Math.sqrt(groups.length));
    var blockSide = 0;
    groups.forEach(function (g) { blockSide = Math.max(blockSide, Math.ceil(Math.sqrt(g.length))); });
    var blockSize = (blockSide + 2) * spacing;
    var titles = {};
    groups.forEach(function (g, k) {
      var bx = (k % cols) * blockSize, by = Math.floor(k / cols) * blockSize;
      var side = Math.ceil(Math.sqrt(g.length));
      if (k < S.length) titles[k] = { x: bx + (side - 1) * spacing / 2, y: by - spacing };
      g.forEach(function (mi, j) { pos['m' + mi] = { x: bx + (j % side) * spacing, y: by + Math.floor(j / side) * spacing }; });
    });
    return { modules: pos, titles: titles };
  }

  // Labels and arrows are the expensive part of drawing: big graphs skip
  // ellipsis measurement and label backgrounds, and draw a label only once it
  // would be legible (min-zoomed-font-size).
  var STYLE = [
    { selector: 'node', style: {
      'label': bigGraph ? '' : 'data(label)', 'background-color': 'data(colour)', 'width': 24, 'height': 24,
      'font-size': 11, 'font-family': 'system-ui, sans-serif', 'color': '#222', 'text-valign': 'bottom', 'text-margin-y': 3,
      'border-width': 1, 'border-color': '#fff', 'min-zoomed-font-size': bigGraph ? 8 : 0 } },
    { selector: 'node[size]', style: { 'width': 'data(size)', 'height': 'data(size)' } },
    { selector: ':parent', style: {
      'background-color': 'data(colour)', 'background-opacity': 0.08, 'border-color': 'data(colour)', 'border-width': 2,
      'shape': 'round-rectangle', 'text-valign': 'top', 'text-halign': 'center', 'font-size': 14, 'font-weight': 'bold',
      'color': '#333', 'padding': 18, 'min-zoomed-font-size': 0, 'text-events': 'yes' } },
    { selector: 'edge', style: {
      'width': 'data(width)', 'line-color': 'data(colour)', 'opacity': 0.45, 'curve-style': bigGraph ? 'haystack' : 'bezier',
      'target-arrow-shape': bigGraph ? 'none' : 'triangle', 'target-arrow-color': 'data(colour)', 'arrow-scale': 0.8 } },
    { selector: 'node.title', style: { 'width': 1, 'height': 1, 'background-opacity': 0, 'border-width': 0, 'font-size': 48,
                                       'font-weight': 'bold', 'text-valign': 'center', 'color': 'data(colour)', 'min-zoomed-font-size': 0 } },
    // Big graphs label only what the reader is looking at: measuring 5,000
    // labels for bounding boxes costs more than drawing the nodes.
    { selector: 'node.labelled, node.match, node:selected, node.title, node[kind = "service"]', style: { 'label': 'data(label)' } },
    { selector: '.faded', style: { 'opacity': 0.12 } },
    { selector: 'edge.hl', style: { 'opacity': 0.9 } },
    { selector: 'node.match', style: { 'border-color': '#d62728', 'border-width': 4 } },
    { selector: 'node:selected', style: { 'border-color': '#111', 'border-width': 4 } }
  ];
  if (!bigGraph) {
    STYLE.push({ selector: 'node', style: { 'text-wrap': 'ellipsis', 'text-max-width': 160, 'text-background-color': '#fff',
                                            'text-background-opacity': 0.7, 'text-background-padding': 1 } });
  }

  function layoutFor(mode, n) {
    if (mode === 'modules' && bigGraph) return { name: 'preset', fit: true, padding: 20 };
    if (typeof cytoscapeFcose !== 'undefined' && n <= 2000) {
      return { name: 'fcose', animate: false, randomize: true, quality: n > 200 ? 'draft' : 'default', nodeRepulsion: 8000,
               idealEdgeLength: 90, nodeSeparation: 80, packComponents: true, fit: true, padding: 20 };
    }
    return { name: 'grid', fit: true, padding: 20, avoidOverlap: true };
  }

  function buildGraph(mode) {
    var status = document.getElementById('graph-status');
    var big = mode === 'modules' && bigGraph;
    document.getElementById('cy').dataset.ready = '';
    if (big) status.textContent = 'Drawing ' + fmt(M.length) + ' modules\u2026';
    // Let the browser paint the status (and finish the click) before the long work.
    setTimeout(function () { drawGraph(mode, big); }, big ? 30 : 0);
  }

  function drawGraph(mode, big) {
    var started = performance.now();
    var els = mode === 'services' ? serviceElements() : moduleElements(big);
    var n = els.length;
    if (state.cy) state.cy.destroy();
    var cy = cytoscape({
      container: document.getElementById('cy'), elements: els, style: STYLE,
      layout: layoutFor(mode, n), minZoom: 0.02, maxZoom: 4,
      textureOnViewport: big, hideEdgesOnViewport: big, hideLabelsOnViewport: big, motionBlur: false,
      pixelRatio: big ? 1 : 'auto', boxSelectionEnabled: false
    });
    state.cy = cy;
    state.mode = mode;
    state.big = big;
    window.seamReport.cy = cy;
    cy.on('tap', 'node', function (evt) { selectNode(evt.target); });
    cy.on('tap', function (evt) { if (evt.target === cy) { cy.elements().removeClass('faded hl'); } });
    var toggle = document.getElementById('view-toggle');
    toggle.textContent = mode === 'services' ? 'Show all ' + fmt(M.length) + ' modules' : 'Collapse to services';
    toggle.disabled = !hasServices;
    requestAnimationFrame(function () {
      state.timings[mode] = Math.round(performance.now() - started);
      var edges = cy.edges().length;
      document.getElementById('graph-status').textContent = fmt(cy.nodes('[kind = "module"]').length || cy.nodes().length) +
        ' nodes, ' + fmt(edges) + (mode === 'modules' && edges < E.length ? ' heaviest of ' + fmt(E.length) : '') +
        ' edges (' + mode + ' view, drawn in ' + fmt(state.timings[mode]) + ' ms)';
      document.getElementById('cy').dataset.ready = mode;
    });
    if (lastQuery) runSearch(lastQuery);
    return cy;
  }

  function selectNode(node) {
    var cy = state.cy;
    cy.elements().removeClass('faded hl');
    if (state.big && node.data('kind') === 'module') {
      var i = node.data('index');
      var missing = outEdges[i].concat(inEdges[i]).filter(function (j) { return cy.getElementById('e' + j).empty(); });
      cy.add(missing.map(moduleEdgeElement));
    }
    // A service's neighbourhood is its modules' neighbourhood (compounds have no edges of their own).
    var base = node.union(node.children());
    var hood = base.closedNeighborhood();
    hood = hood.union(hood.parents());
    cy.batch(function () {
      cy.nodes('.labelled').removeClass('labelled');
      hood.nodes().addClass('labelled');
    });
    cy.elements().not(hood).addClass('faded');
    base.connectedEdges().addClass('hl');
    var d = node.data();
    var details = document.getElementById('details');
    clear(details);
    if (d.kind === 'module') append(details, moduleDetails(d.index));
    else if (d.kind === 'service') append(details, servicePanel(d.index));
    else append(details, el('p', { text: 'Modules that no service of the plan claims.' }));
  }

  function edgeRow(ei, dir) {
    var e = E[ei];
    var other = dir === 'out' ? e.target : e.source;
    var kinds = Object.keys(e.kinds).map(function (k) { return k + ' ' + e.kinds[k]; }).join(', ');
    var li = el('li', null, el('span', { className: 'edge-head' }, dir === 'out' ? '\u2192 ' : '\u2190 ', swatch(M[other].service),
      el('button', { className: 'link', dataset: { module: other }, text: M[other].name, onclick: function () { focusModule(other); } }),
      el('span', { className: 'muted', text: ' weight ' + fmt(e.weight) + ' (' + kinds + ')' })));
    if (e.evidence.length) {
      append(li, el('ul', { className: 'evidence' }, e.evidence.map(function (ev) {
        return el('li', null, el('code', { text: ev.from }), ' ' + ev.kind + ' ', el('code', { text: ev.to }), ' \u00d7' + ev.count + ' at ', locNode(ev));
      })));
    }
    return li;
  }

  function moduleDetails(i) {
    var m = M[i];
    var out = [el('h2', null, swatch(m.service), m.name),
      el('p', { className: 'muted', text: serviceName(m.service) + ' \u00b7 ' + fmt(m.files) + ' files \u00b7 ' + fmt(m.lines) + ' lines \u00b7 ' + fmt(m.symbols) + ' symbols' })];
    var accesses = accessByModule[i];
    if (accesses.length) {
      out.push(el('h3', { text: 'Tables' }));
      out.push(el('ul', null, accesses.map(function (a) {
        return el('li', { className: a.cross_service ? 'flag' : '' }, el('code', { text: T[a.table].name }), ' ' + ops(a) +
          (T[a.table].owner_module === i ? ' (owner)' : '') + (a.cross_service ? ' \u2014 owned by another service' : ''));
      })));
    }
    if (routesByModule[i].length) {
      out.push(el('h3', { text: 'Routes' }));
      out.push(el('ul', null, routesByModule[i].map(function (r) { return el('li', null, el('code', { text: r.method + ' ' + r.path }), ' \u2192 ', el('code', { text: r.handler }), ' ', locNode(r)); })));
    }
    out.push(el('h3', { text: 'Depends on (' + outEdges[i].length + ')' }));
    out.push(el('ul', { className: 'edges' }, outEdges[i].map(function (ei) { return edgeRow(ei, 'out'); })));
    out.push(el('h3', { text: 'Used by (' + inEdges[i].length + ')' }));
    out.push(el('ul', { className: 'edges' }, inEdges[i].map(function (ei) { return edgeRow(ei, 'in'); })));
    out.push(el('h3', { text: 'Symbols' + (m.symbols > m.symbol_details.length ? ' (largest ' + m.symbol_details.length + ' of ' + fmt(m.symbols) + ')' : '') }));
    out.push(el('ul', { className: 'symbols' }, m.symbol_details.map(function (s) {
      return el('li', null, el('code', { text: s.name }), el('span', { className: 'muted', text: ' ' + s.kind + ' ' }), locNode(s));
    })));
    return out;
  }

  function focusModule(i) {
    if (!state.cy) return;
    var node = state.cy.getElementById('m' + i);
    if (node.empty() && M[i].service !== null) node = state.cy.getElementById('s' + M[i].service);
    if (node.empty()) return;
    state.cy.$(':selected').unselect();
    node.select();
    state.cy.animate({ center: { eles: node }, zoom: Math.max(state.cy.zoom(), 0.8) }, { duration: 200 });
    selectNode(node);
  }

  // Search across modules, symbols, tables and routes; matching modules are
  // outlined, the rest faded, and the list of hits shown in the side panel.
  var lastQuery = '';
  function runSearch(q) {
    lastQuery = q;
    var cy = state.cy;
    var status = document.getElementById('search-result');
    if (!cy) return;
    cy.batch(function () { cy.nodes().removeClass('match'); cy.elements().removeClass('faded'); });
    if (!q) { status.textContent = ''; return; }
    var needle = q.toLowerCase();
    var hits = [];
    var matched = {};
    function hit(mi, what, text) { matched[mi] = true; if (hits.length < 200) hits.push({ module: mi, what: what, text: text }); }
    M.forEach(function (m, i) {
      if (m.name.toLowerCase().indexOf(needle) >= 0) hit(i, 'module', m.name);
      m.symbol_details.forEach(function (s) { if (s.name.toLowerCase().indexOf(needle) >= 0) hit(i, s.kind, s.name); });
    });
    A.forEach(function (a) { if (T[a.table].name.toLowerCase().indexOf(needle) >= 0) hit(a.module, 'table', T[a.table].name); });
    R.forEach(function (r) {
      if (r.module !== null && (r.path.toLowerCase().indexOf(needle) >= 0 || r.handler.toLowerCase().indexOf(needle) >= 0)) hit(r.module, 'route', r.method + ' ' + r.path);
    });
    var ids = Object.keys(matched).map(function (mi) {
      return state.mode === 'services' ? (M[mi].service === null ? 'su' : 's' + M[mi].service) : 'm' + mi;
    });
    cy.batch(function () {
      var sel = cy.collection();
      ids.forEach(function (id) { sel = sel.union(cy.getElementById(id)); });
      if (sel.nonempty()) {
        cy.elements().not(sel.union(sel.parents())).addClass('faded');
        sel.addClass('match');
      }
    });
    var count = Object.keys(matched).length;
    status.textContent = count ? count + (count === 1 ? ' module matches' : ' modules match') : 'no match';
    var details = document.getElementById('details');
    clear(details);
    append(details, [el('h2', { text: 'Search: ' + q }), el('ul', { className: 'hits' }, hits.map(function (h) {
      return el('li', null, el('span', { className: 'muted', text: h.what + ' ' }), el('code', { text: h.text }), ' in ',
        el('button', { className: 'link', text: M[h.module].name, onclick: function () { focusModule(h.module); } }));
    }))]);
  }
  var searchTimer = null;
  document.getElementById('search').addEventListener('input', function (evt) {
    clearTimeout(searchTimer);
    var q = evt.target.value.trim();
    searchTimer = setTimeout(function () { runSearch(q); }, 120);
  });
  document.getElementById('view-toggle').addEventListener('click', function () {
    buildGraph(state.mode === 'services' ? 'modules' : 'services');
  });
  document.getElementById('fit').addEventListener('click', function () { if (state.cy) state.cy.fit(undefined, 20); });

  tabRenderers.graph = function () {
    var d = document.getElementById('details');
    append(d, el('p', { className: 'muted', text: 'Click a node for its details; scroll to zoom, drag to pan.' +
      (bigGraph && hasServices ? ' This graph has ' + fmt(M.length) + ' modules, so it opens collapsed to services.' : '') }));
    buildGraph(bigGraph && hasServices ? 'services' : 'modules');
  };

  // ---- Table ownership matrix ---------------------------------------------
  function ops(a) { return (a.create ? 'C' : '') + (a.read ? 'R' : '') + (a.write ? 'W' : ''); }

  tabRenderers.tables = function () {
    var root = document.getElementById('tab-tables');
    var blk = section('Table ownership', 'C = creates, R = reads, W = writes (insert/update/delete). The owner\'s cell is highlighted; ' +
      'red cells are accesses from another service than the owner' + (data.inputs.plan ? '.' : ' (without a plan the owner is the heaviest writer; amber cells access another module\'s table).'));
    root.appendChild(blk);
    if (!T.length) { append(blk, el('p', { text: 'No SQL table accesses were found.' })); return; }
    var rows = [];
    var byKey = {};
    A.forEach(function (a) { byKey[a.module + ':' + a.table] = a; });
    // Modules that touch a table, grouped by service.
    var mods = [];
    M.forEach(function (m, i) { if (accessByModule[i].length) mods.push(i); });
    mods.sort(function (a, b) {
      var sa = M[a].service === null ? 1e9 : M[a].service, sb = M[b].service === null ? 1e9 : M[b].service;
      return sa - sb || (M[a].name < M[b].name ? -1 : 1);
    });
    var t = el('table', { className: 'matrix', id: 'ownership-matrix' });
    var head = el('tr', null, el('th', { text: 'Service' }), el('th', { text: 'Module' }));
    T.forEach(function (tb) {
      head.appendChild(el('th', { className: 'col', title: tb.name + ' \u2014 owner: ' + (tb.owner_service !== null ? serviceName(tb.owner_service) : tb.owner_module !== null ? M[tb.owner_module].name : 'unknown') }, el('span', { text: tb.name })));
    });
    t.appendChild(el('thead', null, head));
    var body = el('tbody');
    mods.forEach(function (mi) {
      var tr = el('tr', null, el('td', null, swatch(M[mi].service), serviceName(M[mi].service)), el('th', { className: 'row', text: M[mi].name }));
      T.forEach(function (tb, ti) {
        var a = byKey[mi + ':' + ti];
        var td = el('td', { className: 'cell' });
        if (a) {
          td.textContent = ops(a);
          if (tb.owner_module === mi) td.classList.add('owner');
          if (a.cross_service) td.classList.add('cross');
          else if (a.foreign && !data.inputs.plan) td.classList.add('foreign');
          td.title = a.statements + ' statement(s); click for the code';
          td.addEventListener('click', function () { showSites(a); });
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    append(blk, el('div', { className: 'scroll' }, t));
    append(blk, el('div', { id: 'sites' }));
  };
  function showSites(a) {
    var box = document.getElementById('sites');
    clear(box);
    append(box, [el('h3', { text: M[a.module].name + ' \u2192 ' + T[a.table].name + ' (' + ops(a) + ', ' + a.statements + ' statements)' }),
      table(['Location', 'Function', 'SQL'], a.sites.map(function (s) { return [locNode(s), el('code', { text: s.function }), el('code', { className: 'sql', text: s.sql })]; }))]);
  }

  // ---- Services -----------------------------------------------------------
  function serviceEdges(k) {
    var inbound = [], outbound = [];
    E.forEach(function (e, i) {
      var a = M[e.source].service, b = M[e.target].service;
      if (a === k && b !== k) outbound.push(i);
      if (b === k && a !== k) inbound.push(i);
    });
    var byWeight = function (x, y) { return E[y].weight - E[x].weight; };
    return { inbound: inbound.sort(byWeight), outbound: outbound.sort(byWeight) };
  }
  function servicePanel(k) {
    var s = S[k];
    var panel = el('div', { className: 'service-panel', dataset: { service: s.name } });
    append(panel, el('h2', null, swatch(k), s.name));
    var api = [];
    s.modules.forEach(function (mi) { api = api.concat(routesByModule[mi]); });
    append(panel, el('p', { className: 'muted', text: s.modules.length + ' modules \u00b7 ' + s.tables.length + ' tables owned \u00b7 ' + api.length + ' routes' }));
    append(panel, el('h3', { text: 'Modules' }), el('ul', { className: 'modules' }, s.modules.map(function (mi) {
      return el('li', null, el('button', { className: 'link', text: M[mi].name, onclick: function () { showTab('graph'); focusModule(mi); } }),
        el('span', { className: 'muted', text: ' ' + fmt(M[mi].lines) + ' lines' }));
    })));
    append(panel, el('h3', { text: 'Owned tables' }), s.tables.length ? el('ul', null, s.tables.map(function (ti) {
      var foreign = A.filter(function (a) { return a.table === ti && a.cross_service; });
      return el('li', null, el('code', { text: T[ti].name }), foreign.length ? el('span', { className: 'flag', text: ' also used by ' + foreign.map(function (a) { return M[a.module].name; }).join(', ') }) : null);
    })) : el('p', { className: 'muted', text: 'none' }));
    append(panel, el('h3', { text: 'API surface' }), api.length ? table(['Method', 'Path', 'Handler', 'Location'], api.map(function (r) {
      return [r.method, el('code', { text: r.path }), el('code', { text: r.handler }), locNode(r)];
    })) : el('p', { className: 'muted', text: 'no routes' }));
    var deps = serviceEdges(k);
    append(panel, el('h3', { text: 'Outbound dependencies (' + deps.outbound.length + ')' }), el('ul', { className: 'edges' }, deps.outbound.map(function (ei) { return depRow(ei, 'out'); })));
    append(panel, el('h3', { text: 'Inbound dependencies (' + deps.inbound.length + ')' }), el('ul', { className: 'edges' }, deps.inbound.map(function (ei) { return depRow(ei, 'in'); })));
    return panel;
  }
  function depRow(ei, dir) {
    var e = E[ei];
    var li = el('li', null, el('code', { text: M[e.source].name }), ' \u2192 ', swatch(M[e.target].service), el('code', { text: M[e.target].name }),
      el('span', { className: 'muted', text: ' (' + serviceName(dir === 'out' ? M[e.target].service : M[e.source].service) + ', weight ' + fmt(e.weight) + ')' }));
    if (e.evidence.length) {
      append(li, el('ul', { className: 'evidence' }, e.evidence.map(function (ev) {
        return el('li', null, el('code', { text: ev.from }), ' ' + ev.kind + ' ', el('code', { text: ev.to }), ' at ', locNode(ev));
      })));
    }
    return li;
  }
  tabRenderers.services = function () {
    var root = document.getElementById('tab-services');
    if (!S.length) { root.appendChild(section('Services', 'No plan given: pass --plan plan.json from `seam decompose` to see services.')); return; }
    S.forEach(function (s, k) { root.appendChild(el('div', { className: 'block' }, servicePanel(k))); });
  };

  // ---- Smells, plan, migration -------------------------------------------
  function smellTable(list) {
    return table(['Severity', 'Rule', 'Message', 'Where'], list.map(function (s) {
      var sev = el('span', { className: 'sev sev-' + (['error', 'warning', 'note'].indexOf(s.severity) >= 0 ? s.severity : 'other'), text: s.severity || '?' });
      var where = el('div', null, s.locations.slice(0, 5).map(function (l) { return el('div', null, locNode(l)); }),
        s.subjects.length ? el('div', { className: 'muted', text: s.subjects.join(', ') }) : null);
      var msg = el('div', null, s.message, s.remedy ? el('div', { className: 'muted', text: 'Remedy: ' + s.remedy }) : null);
      return [sev, el('code', { text: s.name ? s.rule + ' ' + s.name : s.rule }), msg, where];
    }), 'grid smells');
  }
  tabRenderers.smells = function () {
    var root = document.getElementById('tab-smells');
    var blk = section('Smells, worst first', data.inputs.smells ? data.smells.length + ' findings' : 'No smells given: pass --smells smells.json (from `seam smells --format json`).');
    if (data.smells.length) append(blk, smellTable(data.smells));
    root.appendChild(blk);
  };
  tabRenderers.plan = function () {
    var root = document.getElementById('tab-plan');
    var blk = section('Extraction plan', data.steps.length ? 'Extract in this order; each step is one strangler route change.' : 'No extraction steps: pass --plan plan.json.');
    append(blk, el('ol', { className: 'steps' }, data.steps.map(function (st) {
      return el('li', null, el('strong', { text: st.title }), st.service ? el('span', { className: 'muted', text: ' (' + st.service + ')' }) : null,
        st.detail ? el('p', { text: st.detail }) : null,
        st.routes.length ? el('p', null, 'Routes: ', st.routes.map(function (r, i) { return [i ? ', ' : '', el('code', { text: r })]; })) : null,
        st.tables.length ? el('p', null, 'Tables: ', st.tables.map(function (r, i) { return [i ? ', ' : '', el('code', { text: r })]; })) : null);
    })));
    root.appendChild(blk);
  };
  // Interactions (`seam interactions`, docs/interactions.md): what each cut becomes at run time.
  tabRenderers.interactions = function () {
    var root = document.getElementById('tab-interactions');
    var X = data.interactions;
    if (!X) {
      root.appendChild(section('Interactions', 'No interactions: pass --plan plan.json with a fact store that has transaction scopes (schema v2).'));
      return;
    }
    var c = X.counts;
    var blk = section('Cross-service calls', c.query + ' queries, ' + c.command + ' commands, ' + c.notification +
      ' notifications; ' + c.distributed_transactions + ' distributed transaction(s) of ' + c.transaction_groups + ' transaction group(s).');
    append(blk, table(['From', 'To', 'Query', 'Command', 'Notification'], X.pairs.map(function (p) {
      return [p.from, p.to, p.query, p.command, p.notification];
    })));
    root.appendChild(blk);
    var dist = X.transactions.filter(function (t) { return t.category === 'distributed'; });
    var tx = section('Distributed transactions', dist.length ? 'Ranked by the traffic of their routes, then by number of routes. Each becomes a saga or keeps its tables in one service.'
      : 'No transaction writes tables of more than one service.');
    dist.forEach(function (t) {
      var steps = el('ol', { className: 'steps' }, t.saga.map(function (st) {
        return el('li', null, el('strong', { text: st.service + (st.local ? ' (local)' : '') }),
          el('ul', null, st.accesses.map(function (a) {
            return el('li', null, a.op + ' ', el('code', { text: a.table }), ' ', el('span', { className: 'muted', text: a.function + ' ' }), el('code', { className: 'loc', text: a.location }),
              a.compensation ? el('div', { text: 'compensate: ' + a.compensation }) : null);
          })));
      }));
      var k = t.keep_together;
      append(tx, el('div', { className: 'block' },
        el('h3', null, el('code', { text: t.entry }), ' ', el('span', { className: 'muted', text: '(' + t.entry_service + ', ' + t.location + ')' })),
        t.certainty !== 'exact' ? el('p', { className: 'muted', text: 'Uncertain (' + t.certainty + '): ' + t.note }) : null,
        t.routes.length ? el('p', null, 'Routes: ', t.routes.map(function (r, i) { return [i ? ', ' : '', el('code', { text: r })]; })) : null,
        el('p', { text: 'Writes: ' + t.write_services.join(', ') + '. Recommendation: ' + t.recommendation + ' (' + t.reason + ').' }),
        steps,
        el('p', { className: 'muted', text: 'Alternative: keep ' + k.tables.join(', ') + ' in ' + k.service + ' (' + k.statements + ' statements, ' + k.lines + ' lines elsewhere).' }),
        t.remote_calls.length ? el('p', null, 'Synchronous calls inside the transaction: ', t.remote_calls.map(function (r, i) {
          return [i ? ', ' : '', el('code', { text: r.callee }), ' (' + r.to + ', ' + r.kind + ')'];
        })) : null));
    });
    root.appendChild(tx);
    var ev = section('Events', X.events.length ? 'Fire-and-forget calls that become events published through a transactional outbox.' : 'No notification found.');
    if (X.events.length) {
      append(ev, table(['Event', 'Publisher', 'Today', 'Raised by', 'Sites'], X.events.map(function (e) {
        return [el('code', { text: e.name }), e.publisher, el('code', { text: e.callee }), e.producers.join(', '), e.sites];
      })));
    }
    root.appendChild(ev);
  };
  function progressOf(p) {
    var s = (p.state || '').toLowerCase();
    if (s === 'migrated' || s === 'retired') return 100;
    if (s === 'canary') return Math.max(0, Math.min(100, p.percent || 0));
    return 0;
  }
  tabRenderers.migration = function () {
    var root = document.getElementById('tab-migration');
    var blk = section('Migration progress', data.inputs.proxy_state ? null : 'No proxy state given: pass --proxy-state with the strangler proxy\'s state database.');
    if (data.progress.length) {
      var counts = {};
      var total = 0;
      data.progress.forEach(function (p) { counts[p.state] = (counts[p.state] || 0) + 1; total += progressOf(p); });
      append(blk, el('p', { className: 'progress-summary', text: Math.round(total / data.progress.length) + '% of traffic migrated across ' + data.progress.length + ' routes \u2014 ' +
        Object.keys(counts).map(function (k) { return counts[k] + ' ' + k; }).join(', ') }));
      append(blk, table(['Route', 'State', 'Progress', 'Service', 'Updated'], data.progress.map(function (p) {
        var bar = el('div', { className: 'bar' }, el('div', { className: 'fill state-' + (p.state || '').toLowerCase() }));
        bar.firstChild.style.width = progressOf(p) + '%';
        return [el('code', { text: p.route }), p.state + (p.state === 'canary' ? ' ' + p.percent + '%' : ''), bar, p.service, p.updated];
      })));
    }
    root.appendChild(blk);
    // Shadow verification: the proxy's sampled mismatches (newest first).
    var diffs = data.shadow_diffs || [];
    if (!data.inputs.proxy_state) return;
    var sd = section('Shadow mismatches', diffs.length ? diffs.length + ' sampled pairs where the service answered differently from legacy (newest first)'
      : 'No mismatch stored: routes in shadow answered like legacy (or none is in shadow).');
    if (diffs.length) {
      append(sd, table(['Route', 'When', 'Request', 'Differences'], diffs.map(function (d) {
        var line = (d.request || '').split('\r\n')[0];
        var list = el('ul', { className: 'diff-list' }, d.differences.map(function (x) {
          return el('li', null, el('code', { text: x.where }), ': ', el('span', { className: 'muted', text: 'legacy ' }), el('code', { text: x.legacy }),
            el('span', { className: 'muted', text: ' \u2192 service ' }), el('code', { text: x.service }));
        }));
        var full = el('details', null, el('summary', { text: 'both responses' }),
          el('pre', { text: 'legacy:\n' + d.legacy }), el('pre', { text: 'service:\n' + d.service }));
        return [el('code', { text: d.route }), d.at, el('div', null, el('code', { text: line }), el('div', { className: 'muted', text: 'request id ' + d.request_id })), el('div', null, list, full)];
      })));
    }
    root.appendChild(sd);
  };

  showTab('overview');
  window.seamReport.showTab = showTab;
  window.seamReport.search = function (q) { document.getElementById('search').value = q; runSearch(q); };
  window.seamReport.ready = true;
})();
