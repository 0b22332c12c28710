// The stream picker: every stream the pipeline is processing, with its frame count; choosing one
// follows it.

import { streamId } from './selection.js';

let picker = null;

export function initPicker(follow) {
  picker = document.getElementById('stream-picker');
  picker.addEventListener('change', function () {
    if (picker.value && picker.value !== streamId) {
      follow(picker.value);
    }
  });
}

export function updatePicker(streams) {
  const ids = streams.map(function (s) { return s.id; });
  const existing = Array.from(picker.options).map(function (o) { return o.value; });
  if (ids.join('\n') !== existing.join('\n')) {
    picker.textContent = '';
    ids.forEach(function (id) {
      const option = document.createElement('option');
      option.value = id;
      option.textContent = id;
      picker.appendChild(option);
    });
  }
  streams.forEach(function (s) {
    const option = Array.from(picker.options).find(function (o) { return o.value === s.id; });
    option.textContent = s.id + ' (' + s.frames + ' frames)';
  });
  if (streamId !== null && picker.value !== streamId) {
    picker.value = streamId;
  }
}
