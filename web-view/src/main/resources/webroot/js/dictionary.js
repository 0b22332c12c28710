// The whole dictionary, a page at a time: the atom tiles of the page with each atom's needle laid
// over its tile, and the atom chosen by a click drawn on its own with its needle and its affinity
// group as a needle plot (thesis figure 3.6A). The server draws every picture (ModelHandlers); this
// module only asks for them, once per page, atom and model version.

import { withToken } from './util.js';

const PAGE_SIZE = 256;

const view = { version: null, atoms: 0, page: 0, pages: 1, chosen: 0 };

export function initDictionary() {
  document.getElementById('atoms-prev').addEventListener('click', function () { showPage(view.page - 1); });
  document.getElementById('atoms-next').addEventListener('click', function () { showPage(view.page + 1); });
  document.getElementById('atoms-page').addEventListener('change', function (e) {
    showPage(parseInt(e.target.value, 10) - 1);
  });
  document.getElementById('atoms-overlay').addEventListener('click', function (e) {
    const box = e.target.closest('[data-atom]');
    if (box) {
      choose(parseInt(box.getAttribute('data-atom'), 10));
    }
  });
  document.getElementById('atom-choice').addEventListener('change', function (e) {
    choose(parseInt(e.target.value, 10));
  });
}

// A new model version: the same page and atom again, drawn from it.
export function showDictionary(model) {
  view.version = model.version;
  view.atoms = model.atoms;
  view.pages = Math.max(1, Math.ceil(model.atoms / PAGE_SIZE));
  document.getElementById('atoms-pages').textContent = 'of ' + view.pages;
  document.getElementById('atom-choice').max = model.atoms - 1;
  showPage(Math.min(view.page, view.pages - 1));
  choose(Math.min(view.chosen, model.atoms - 1));
}

function query(params) {
  return Object.keys(params).map(function (k) { return k + '=' + params[k]; }).join('&')
      + '&v=' + view.version;
}

function showPage(page) {
  if (view.version === null || Number.isNaN(page)) {
    return;
  }
  view.page = Math.max(0, Math.min(page, view.pages - 1));
  const q = query({ page: view.page, size: PAGE_SIZE });
  document.getElementById('atoms-page').value = view.page + 1;
  document.getElementById('atoms-prev').disabled = view.page === 0;
  document.getElementById('atoms-next').disabled = view.page === view.pages - 1;
  document.getElementById('atoms').src = withToken('model/atoms.png?' + q);
  const first = view.page * PAGE_SIZE;
  const last = Math.min(view.atoms, first + PAGE_SIZE) - 1;
  document.getElementById('atoms-caption').textContent = 'atoms ' + first + '–' + last + ' of ' + view.atoms
      + ', each scaled to its own range (mid grey = 0), its needle in red; click one to choose it';
  loadSvg('atoms-overlay', 'model/needles.svg?' + q, view.page, function () { return view.page; });
}

function choose(atom) {
  if (view.version === null || Number.isNaN(atom)) {
    return;
  }
  view.chosen = Math.max(0, Math.min(atom, view.atoms - 1));
  const j = view.chosen;
  const current = function () { return view.chosen; };
  document.getElementById('atom-choice').value = j;
  document.getElementById('atom-tile').src = withToken('model/atoms.png?' + query({ offset: j, size: 1 }));
  loadSvg('atom-needle', 'model/needles.svg?' + query({ offset: j, size: 1 }), j, current);
  loadSvg('atom-affinity', 'model/atom/' + j + '/affinity.svg?' + query({}), j, current);
  fetch(withToken('model/atom/' + j + '.json?' + query({})))
    .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
    .then(function (json) { if (current() === j) { describe(json); } })
    .catch(function () { document.getElementById('atom-info').textContent = 'no embedding P or needles yet'; });
}

function describe(json) {
  const n = json.needle;
  document.getElementById('atom-info').textContent = n.defined
    ? 'needle at (' + n.centreRow.toFixed(1) + ', ' + n.centreCol.toFixed(1) + '), ' + n.angleDegrees.toFixed(0)
      + '°, ' + n.length.toFixed(1) + ' px long, fit ' + n.quality.toFixed(2)
    : 'no needle (the atom has no energy)';
  document.getElementById('atom-affinity-caption').textContent = 'atom ' + json.atom + ' (red) and its '
      + json.neighbours.length + ' nearest atoms by cosine of P\'s columns, darker = more similar';
}

// Puts the SVG at url into the element, unless the page or atom it was asked for has changed since.
function loadSvg(id, url, key, currentKey) {
  fetch(withToken(url))
    .then(function (r) { return r.ok ? r.text() : ''; })
    .then(function (svg) {
      if (currentKey() === key) {
        document.getElementById(id).innerHTML = svg;
      }
    })
    .catch(function () { /* drawn again with the next version */ });
}
