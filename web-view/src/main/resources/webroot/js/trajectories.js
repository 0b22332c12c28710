// The trajectory panel: the paths of one patch location over the server's trajectory window in whitened
// pixels, α and β, each projected on its own window's principal axes (/trajectory), and the patch's
// curvature over time, refreshed every TRAJECTORY_REFRESH_MS; the patch is chosen by a click on a
// picture, the centre one by default, and outlined on every picture.

import { chart, curvatureChart, REPRESENTATIONS } from './chart.js';
import { retained } from './config.js';
import { markDirty, painters } from './draw.js';
import { streamId } from './selection.js';
import { withToken } from './util.js';

const TRAJECTORY_REFRESH_MS = 1000;

let grid = null;                       // patch grid of the followed stream
let patch = null;                      // chosen patch location (raster order), null = centre
const trajectoryCharts = {};
let patchCurvatureChart = null;
let trajectory = null;
let trajectoryInFlight = false;
let trajectoryRequests = 0;

export function initTrajectories() {
  REPRESENTATIONS.forEach(function (r) {
    trajectoryCharts[r.key] = chart('traj-' + r.key, {
      title: { text: r.label, left: 'center', textStyle: { fontSize: 13 }, subtext: '',
               subtextStyle: { fontSize: 11 } },
      tooltip: { trigger: 'item', formatter: function (p) { return 'frame ' + p.data[2]; } },
      grid: { left: 45, right: 20, top: 62, bottom: 40 },
      xAxis: { type: 'value', name: 'PC1', nameLocation: 'middle', nameGap: 22, scale: true, splitNumber: 3 },
      yAxis: { type: 'value', name: 'PC2', nameGap: 8, scale: true, splitNumber: 3 },
      series: [
        { name: 'path', type: 'line', data: [], symbolSize: 4, lineStyle: { width: 1.5, color: r.color },
          itemStyle: { color: r.color } },
        { name: 'newest', type: 'scatter', data: [], symbolSize: 10, itemStyle: { color: '#c62828' } }
      ]
    });
  });

  // The turning angle of the chosen patch's full vectors at each frame of the window (step 1), beside
  // the chart of the frame's mean over all patches; a gap where the patch stood still.
  patchCurvatureChart = curvatureChart('chart-patch-curvature',
    'Curvature of the chosen patch: angle between its steps into and out of each frame, step 1', { min: 0, max: 180 });

  painters.trajectories = function () {
    if (!trajectory) {
      return;
    }
    patchCurvatureChart.setOption({
      series: REPRESENTATIONS.map(function (r) { return { data: trajectory.paths[r.key].angles }; })
    });
    REPRESENTATIONS.forEach(function (r) {
      const path = trajectory.paths[r.key];
      const data = path.points.map(function (p, i) { return [p[0], p[1], path.frames[i]]; });
      const explained = path.explained.map(function (e, i) {
        return 'PC' + (i + 1) + ' ' + Math.round(100 * e) + '%';
      });
      document.getElementById('traj-' + r.key).dataset.patch = trajectory.patch;
      trajectoryCharts[r.key].setOption({
        title: { subtext: data.length ? data.length + ' frames · curvature '
            + (path.curvatureDeg === null ? '–' : path.curvatureDeg.toFixed(1) + '°') + ' · ' + explained.join(', ')
            : 'no ' + r.key.toLowerCase() + ' records for this stream yet' },
        series: [{ data: data }, { data: data.length ? [data[data.length - 1]] : [] }]
      });
    });
  };

  setInterval(fetchTrajectory, TRAJECTORY_REFRESH_MS);
}

function currentPatch() {
  if (!grid) {
    return null;
  }
  if (patch === null || patch >= grid.side * grid.side) {
    patch = Math.floor(grid.side / 2) * grid.side + Math.floor(grid.side / 2);
    showPatchBox();
  }
  return patch;
}

function fetchTrajectory() {
  const location = currentPatch();
  if (trajectoryInFlight || streamId === null || location === null) {
    return;
  }
  trajectoryInFlight = true;
  const request = ++trajectoryRequests;
  fetch(withToken('trajectory/' + encodeURIComponent(streamId) + '?patch=' + location))
    .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
    .then(function (json) {
      // An answer for a patch or stream no longer chosen is not drawn.
      if (request === trajectoryRequests && json.stream === streamId && json.patch === patch) {
        trajectory = json;
        markDirty('trajectories');
      }
    })
    .catch(function () { /* the next refresh tries again */ })
    .finally(function () { trajectoryInFlight = false; });
}

export function choosePatch(event, img) {
  if (!grid) {
    return;
  }
  const rect = img.getBoundingClientRect();
  const x = (event.clientX - rect.left) / rect.width * grid.frameSize;
  const y = (event.clientY - rect.top) / rect.height * grid.frameSize;
  const clamp = function (v) { return Math.max(0, Math.min(grid.side - 1, v)); };
  const col = clamp(Math.floor(x / grid.stride));
  const row = clamp(Math.floor(y / grid.stride));
  patch = row * grid.side + col;
  trajectoryInFlight = false;   // a pending answer is for the old patch; it will be ignored
  showPatchBox();
  fetchTrajectory();
}

function showPatchBox() {
  const caption = document.getElementById('traj-caption');
  if (!grid || patch === null) {
    caption.textContent = 'click a patch on a picture';
    return;
  }
  const row = Math.floor(patch / grid.side);
  const col = patch % grid.side;
  document.querySelectorAll('.patch-box').forEach(function (box) {
    box.style.display = 'block';
    box.style.left = (100 * col * grid.stride / grid.frameSize) + '%';
    box.style.top = (100 * row * grid.stride / grid.frameSize) + '%';
    box.style.width = (100 * grid.patchSize / grid.frameSize) + '%';
    box.style.height = (100 * grid.patchSize / grid.frameSize) + '%';
  });
  caption.textContent = 'patch ' + patch + ' (row ' + row + ', column ' + col + ') · last '
      + (trajectory ? trajectory.window : retained.trajectoryFrames)
      + ' frames, each projected on its own window\'s principal axes';
}

/** Takes the followed stream's patch grid when it is new or changed: the centre patch, drawn at once. */
export function followGrid(stream) {
  if (stream.grid && (!grid || grid.side !== stream.grid.side || grid.frameSize !== stream.grid.frameSize)) {
    grid = stream.grid;
    patch = null;
    currentPatch();
    fetchTrajectory();
  }
}

/** Forgets the grid, the patch and the path: another stream is followed. */
export function resetTrajectory() {
  grid = null;
  patch = null;
  trajectory = null;
}
