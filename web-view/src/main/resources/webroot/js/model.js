// The dictionary panel: the newest model version's caption, its pages of atoms (dictionary.js) and the
// affinity groups of its most used atoms (an atom and its nearest neighbours in the embedding), fetched
// once per version; each version's point goes to the learning charts.

import { addModelPoints } from './charts.js';
import { showDictionary } from './dictionary.js';
import { fmt, withToken } from './util.js';

let modelVersion = null;

export function updateModel(model) {
  if (!model) {
    return;
  }
  addModelPoints(model.points);
  if (model.version === modelVersion) {
    return;
  }
  modelVersion = model.version;
  const stats = model.stats || {};
  document.getElementById('model-caption').textContent = 'model v' + model.version + ' · ' + model.atoms
      + ' atoms of ' + model.patchSize + '×' + model.patchSize
      + (model.embeddingDim ? ' · f = ' + model.embeddingDim : '')
      + ' · ' + model.framesSeen + ' frames seen · SNR ' + fmt(stats.snrDb, 1, ' dB')
      + (model.note ? ' · ' + model.note : '');
  showDictionary(model);
  const version = model.version;
  fetch(withToken('model/affinity.json?v=' + version))
    .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
    .then(function (json) { if (version === modelVersion) { renderGroups(json); } })
    .catch(function () { /* shown again with the next version */ });
}

function renderGroups(json) {
  const box = document.getElementById('affinity-groups');
  box.textContent = '';
  if (!json.groups.length) {
    const p = document.createElement('p');
    p.className = 'note';
    p.id = 'affinity-empty';
    p.textContent = 'no embedding P in model v' + json.version + ' yet';
    box.appendChild(p);
    return;
  }
  json.groups.forEach(function (g, i) {
    const row = document.createElement('figure');
    row.className = 'group';
    const img = document.createElement('img');
    img.className = 'group-tiles';
    img.alt = 'atom ' + g.atom + ' and its neighbours';
    img.src = withToken('model/affinity/' + i + '.png?v=' + json.version);
    const caption = document.createElement('figcaption');
    caption.textContent = 'atom ' + g.atom + ' → ' + g.neighbours.map(function (n) {
      return n[0] + ' (' + n[1].toFixed(2) + ')';
    }).join(', ');
    row.appendChild(img);
    row.appendChild(caption);
    box.appendChild(row);
  });
}
