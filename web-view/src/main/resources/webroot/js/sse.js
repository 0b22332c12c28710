// The connection to the server: one EventSource on /events (format documented in StateJson.java) for
// the followed stream, whose 'config' event sets the history lengths and whose 'state' events drive
// every panel; following another stream opens a new connection, which starts with its history.

import { addPoints, clearSeries } from './charts.js';
import { configure } from './config.js';
import { resetPictures, updatePictures } from './frames.js';
import { updateModel } from './model.js';
import { updatePicker } from './picker.js';
import { select, streamId } from './selection.js';
import { renderStatus, statusEl } from './status.js';
import { followGrid, resetTrajectory } from './trajectories.js';
import { withToken } from './util.js';

let run = null;
let source = null;

function onState(msg) {
  if (streamId === null && msg.selected) {
    select(msg.selected);
  } else if (streamId !== null && msg.selected !== streamId) {
    // A reconnect without a stream named let the server pick another: name ours.
    connect();
    return;
  }
  updatePicker(msg.streams);
  const stream = msg.streams.find(function (s) { return s.id === streamId; });
  if (stream) {
    if (run !== stream.run) {
      clearSeries();   // the stream restarted: a new run of frame indices
      run = stream.run;
    }
    addPoints(stream.points);
    updatePictures(stream);
    followGrid(stream);
  }
  updateModel(msg.model);
  renderStatus(msg, stream);
}

export function connect() {
  if (source) {
    source.close();
  }
  source = new EventSource(withToken('events' + (streamId ? '?stream=' + encodeURIComponent(streamId) : '')));
  source.addEventListener('open', function () {
    // A new connection gets the whole retained history again.
    clearSeries();
    run = null;
  });
  source.addEventListener('config', function (event) {
    configure(JSON.parse(event.data));
  });
  source.addEventListener('state', function (event) {
    onState(JSON.parse(event.data));
  });
  source.addEventListener('error', function () {
    // The browser retries a dropped stream by itself, but gives up on an HTTP error such as 401.
    statusEl.textContent = source.readyState === EventSource.CLOSED
      ? 'refused by the server (missing or wrong ?token=?); reload to retry'
      : 'disconnected, retrying…';
    statusEl.classList.add('stale');
  });
}

export function follow(id) {
  select(id);
  run = null;
  resetTrajectory();
  resetPictures();
  const url = new URL(location.href);
  url.searchParams.set('stream', id);
  history.replaceState(null, '', url.toString());
  connect();
}
