// Live view of one stream: pictures, trajectories of a chosen patch, learning curves, the dictionary
// and a status bar, driven by the server-sent events of /events. Each part is a module under js/;
// this one starts them once the page is parsed.

import { allCharts } from './js/chart.js';
import { initCharts } from './js/charts.js';
import { initDictionary } from './js/dictionary.js';
import { initPictures } from './js/frames.js';
import { initPicker } from './js/picker.js';
import { connect, follow } from './js/sse.js';
import { initStatus } from './js/status.js';
import { initTrajectories } from './js/trajectories.js';
import { whenReady } from './js/util.js';

whenReady(function () {
  initStatus();
  initPicker(follow);
  initCharts();
  initPictures();
  initTrajectories();
  initDictionary();

  window.addEventListener('resize', function () {
    allCharts().forEach(function (c) { c.resize(); });
  });

  connect();
});
