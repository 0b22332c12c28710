// Live view of one stream: pictures, trajectories of a chosen patch, learning curves, the dictionary
// and a status bar, driven by the server-sent events of /events (format documented in StateJson.java).
// Events carry every point exactly once; drawing is coalesced into animation frames at most every
// DRAW_INTERVAL_MS, so a fast stream costs redraws, never lost points.
(function () {
  'use strict';

  const KINDS = ['INPUT', 'WHITENED', 'RECONSTRUCTION_ALPHA', 'RECONSTRUCTION_BETA'];
  const REPRESENTATIONS = [
    { key: 'PIXELS', label: 'whitened pixels', color: '#78909c' },
    { key: 'ALPHA', label: 'α (sparse code)', color: '#ef6c00' },
    { key: 'BETA', label: 'β = Pα (embedding)', color: '#2e7d32' }
  ];
  const MAX_POINTS = 2000;          // as many as the server keeps per stream
  const MAX_MODEL_POINTS = 2000;    // model versions, as many as the server keeps
  const DRAW_INTERVAL_MS = 500;     // a chart redraws at most this often, however fast events arrive
  const TRAJECTORY_REFRESH_MS = 1000;
  const STALE_MS = 3000;            // no record for this long: say so in the status bar
  const FRAME_AXIS = { type: 'value', name: 'frame', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax',
                        minInterval: 1 };  // frame indices are whole numbers

  const params = new URLSearchParams(location.search);
  const token = params.get('token');

  function withToken(url) {
    return token ? url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : url;
  }

  function whenReady(fn) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  function fmt(value, digits, unit) {
    return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits) + (unit || '');
  }

  function sum(object) {
    return Object.values(object || {}).reduce(function (a, b) { return a + b; }, 0);
  }

  function lineSeries(name, extra) {
    return Object.assign({ name: name, type: 'line', showSymbol: false, sampling: 'lttb', connectNulls: false, data: [] },
      extra || {});
  }

  whenReady(function () {
    const statusEl = document.getElementById('status');
    const countsEl = document.getElementById('counts');
    const picker = document.getElementById('stream-picker');

    let streamId = params.get('stream');   // followed stream; null until the server picks one
    let run = null;
    let grid = null;                       // patch grid of the followed stream
    let patch = null;                      // chosen patch location (raster order), null = centre
    let modelVersion = null;
    let source = null;

    // ---- drawing, coalesced --------------------------------------------------------------------
    // A chart marked dirty is redrawn in a later animation frame, one chart per frame, and each at
    // most every DRAW_INTERVAL_MS: however many events arrive, the page never spends a whole frame
    // redrawing everything at once.
    const dirty = new Set();
    const lastDrawn = {};
    const painters = {};
    let drawScheduled = false;

    function markDirty(name) {
      dirty.add(name);
      scheduleDraw();
    }

    function scheduleDraw() {
      if (drawScheduled || dirty.size === 0) {
        return;
      }
      drawScheduled = true;
      const now = performance.now();
      const wait = Math.min.apply(null, Array.from(dirty).map(function (n) {
        return Math.max(0, DRAW_INTERVAL_MS - (now - (lastDrawn[n] || 0)));
      }));
      setTimeout(function () {
        requestAnimationFrame(function () {
          drawScheduled = false;
          const at = performance.now();
          const due = Array.from(dirty).find(function (n) { return at - (lastDrawn[n] || 0) >= DRAW_INTERVAL_MS; });
          if (due !== undefined) {
            dirty.delete(due);
            lastDrawn[due] = at;
            painters[due]();
          }
          scheduleDraw();
        });
      }, wait);
    }

    // ---- learning charts -----------------------------------------------------------------------
    const series = { snrAlpha: [], snrBeta: [], active: [], iterations: [], curvPixels: [], curvAlpha: [], curvBeta: [] };
    const snrByFrame = new Map();
    const modelSeries = { embedding: [], constraint: [] };

    function chart(id, option) {
      const c = echarts.init(document.getElementById(id));
      c.setOption(Object.assign({ animation: false }, option));
      return c;
    }

    const snrChart = chart('chart-snr', {
      title: { text: 'Reconstruction SNR per frame', left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 22 },
      grid: { left: 55, right: 25, top: 55, bottom: 45 },
      xAxis: FRAME_AXIS,
      yAxis: { type: 'value', name: 'dB', scale: true },
      // g(beta) is computed on some frames only (every 10th by default): its points are marked and
      // joined across the frames without one.
      series: [lineSeries('SNR Φα'), lineSeries('SNR Φg(β)', { connectNulls: true, showSymbol: true, symbolSize: 4 })]
    });
    const codesChart = chart('chart-codes', {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 55, right: 55, top: 35, bottom: 45 },
      xAxis: FRAME_AXIS,
      yAxis: [
        { type: 'value', name: 'active %', scale: true },
        { type: 'value', name: 'iterations', scale: true, splitLine: { show: false } }
      ],
      series: [lineSeries('active coefficients %'), lineSeries('coder iterations', { yAxisIndex: 1 })]
    });
    const modelChart = chart('chart-model', {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 65, right: 65, top: 35, bottom: 45 },
      xAxis: { type: 'value', name: 'model version', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax',
               minInterval: 1 },
      yAxis: [
        { type: 'value', name: '‖PAD‖² / sample', scale: true },
        { type: 'value', name: '‖PVPᵀ − I‖', scale: true, splitLine: { show: false } }
      ],
      series: [lineSeries('embedding objective ‖PAD‖²', { showSymbol: true, symbolSize: 4 }),
               lineSeries('constraint error ‖PVPᵀ − I‖', { yAxisIndex: 1, showSymbol: true, symbolSize: 4 })]
    });
    const curvatureChart = chart('chart-curvature', {
      title: { text: 'Curvature over time (mean angle between successive steps)', left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 22 },
      grid: { left: 55, right: 25, top: 55, bottom: 45 },
      xAxis: FRAME_AXIS,
      yAxis: { type: 'value', name: 'degrees', scale: true },
      series: REPRESENTATIONS.map(function (r) { return lineSeries(r.label, { itemStyle: { color: r.color } }); })
    });

    painters.snr = function () {
      snrChart.setOption({ series: [{ data: series.snrAlpha }, { data: series.snrBeta }] });
    };
    painters.codes = function () {
      codesChart.setOption({ series: [{ data: series.active }, { data: series.iterations }] });
    };
    painters.curvature = function () {
      curvatureChart.setOption({ series: [{ data: series.curvPixels }, { data: series.curvAlpha }, { data: series.curvBeta }] });
    };

    function chartsChanged() {
      markDirty('snr');
      markDirty('codes');
      markDirty('curvature');
    }
    painters.model = function () {
      modelChart.setOption({ series: [{ data: modelSeries.embedding }, { data: modelSeries.constraint }] });
    };

    function clearSeries() {
      Object.values(series).forEach(function (s) { s.length = 0; });
      snrByFrame.clear();
      chartsChanged();
    }

    function trim(s, max) {
      if (s.length > max) {
        s.splice(0, s.length - max);
      }
    }

    function addPoints(points) {
      for (const p of points) {
        const frame = p[0];
        series.snrAlpha.push([frame, p[1]]);
        series.snrBeta.push([frame, p[2]]);
        series.active.push([frame, p[3] === null ? null : 100 * p[3]]);
        series.iterations.push([frame, p[4]]);
        series.curvPixels.push([frame, p[6]]);
        series.curvAlpha.push([frame, p[7]]);
        series.curvBeta.push([frame, p[8]]);
        snrByFrame.set(frame, [p[1], p[2]]);
      }
      Object.values(series).forEach(function (s) { trim(s, MAX_POINTS); });
      while (snrByFrame.size > MAX_POINTS) {
        snrByFrame.delete(snrByFrame.keys().next().value);
      }
      if (points.length) {
        chartsChanged();
      }
    }

    function addModelPoints(points) {
      for (const p of points) {
        modelSeries.embedding.push([p[0], p[4]]);
        modelSeries.constraint.push([p[0], p[5]]);
      }
      Object.values(modelSeries).forEach(function (s) { trim(s, MAX_MODEL_POINTS); });
      if (points.length) {
        markDirty('model');
      }
    }

    // ---- pictures ------------------------------------------------------------------------------
    // One request in flight per picture: a slow network skips frames instead of queueing them.
    const pictures = {};
    KINDS.forEach(function (kind) {
      const img = document.getElementById('img-' + kind);
      const caption = document.getElementById('cap-' + kind);
      const picture = { shown: null, requested: null, loading: false };
      img.addEventListener('load', function () {
        picture.loading = false;
        picture.shown = picture.requested;
        caption.textContent = captionText(kind, picture.shown);
      });
      img.addEventListener('error', function () {
        picture.loading = false;
        picture.shown = picture.requested;
        caption.textContent = 'frame ' + picture.requested + ' unavailable';
      });
      img.addEventListener('click', function (event) { choosePatch(event, img); });
      pictures[kind] = { img: img, caption: caption, state: picture };
    });

    function captionText(kind, frame) {
      const snr = snrByFrame.get(frame);
      const text = 'frame ' + frame;
      if (kind === 'RECONSTRUCTION_ALPHA' && snr) {
        return text + ' · SNR ' + fmt(snr[0], 1, ' dB');
      }
      if (kind === 'RECONSTRUCTION_BETA' && snr) {
        return text + ' · SNR ' + fmt(snr[1], 1, ' dB');
      }
      return text;
    }

    function updatePictures(stream) {
      KINDS.forEach(function (kind) {
        const frame = stream.images[kind];
        const p = pictures[kind];
        if (frame === undefined || frame === p.state.shown || p.state.loading) {
          return;
        }
        p.state.loading = true;
        p.state.requested = frame;
        // The frame index in the URL defeats any cache; the server sends the latest picture.
        p.img.src = withToken('frame/' + encodeURIComponent(stream.id) + '/' + kind.toLowerCase()
            + '.png?f=' + frame);
      });
    }

    function resetPictures() {
      KINDS.forEach(function (kind) {
        const p = pictures[kind];
        p.state.shown = null;
        p.caption.textContent = '';
      });
    }

    // ---- trajectories --------------------------------------------------------------------------
    const trajectoryCharts = {};
    REPRESENTATIONS.forEach(function (r) {
      trajectoryCharts[r.key] = chart('traj-' + r.key, {
        title: { text: r.label, left: 'center', textStyle: { fontSize: 13 }, subtext: '', subtextStyle: { fontSize: 11 } },
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
    let trajectory = null;
    let trajectoryInFlight = false;
    let trajectoryRequests = 0;

    painters.trajectories = function () {
      if (!trajectory) {
        return;
      }
      REPRESENTATIONS.forEach(function (r) {
        const path = trajectory.paths[r.key];
        const data = path.points.map(function (p, i) { return [p[0], p[1], path.frames[i]]; });
        const explained = path.explained.map(function (e, i) { return 'PC' + (i + 1) + ' ' + Math.round(100 * e) + '%'; });
        document.getElementById('traj-' + r.key).dataset.patch = trajectory.patch;
        trajectoryCharts[r.key].setOption({
          title: { subtext: data.length ? data.length + ' frames · curvature '
              + (path.curvatureDeg === null ? '–' : path.curvatureDeg.toFixed(1) + '°') + ' · ' + explained.join(', ')
              : 'no ' + r.key.toLowerCase() + ' records for this stream yet' },
          series: [{ data: data }, { data: data.length ? [data[data.length - 1]] : [] }]
        });
      });
    };

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
    setInterval(fetchTrajectory, TRAJECTORY_REFRESH_MS);

    function choosePatch(event, img) {
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
          + (trajectory ? trajectory.window : 64) + ' frames, each projected on its own window\'s principal axes';
    }

    // ---- model pictures ------------------------------------------------------------------------
    function updateModel(model) {
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
          + ' atoms of ' + model.patchSize + '×' + model.patchSize + (model.embeddingDim ? ' · f = ' + model.embeddingDim : '')
          + ' · ' + model.framesSeen + ' frames seen · SNR ' + fmt(stats.snrDb, 1, ' dB')
          + (model.note ? ' · ' + model.note : '');
      document.getElementById('atoms').src = withToken('model/atoms.png?v=' + model.version);
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

    // ---- stream picker and status bar ----------------------------------------------------------
    function updatePicker(streams) {
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

    picker.addEventListener('change', function () {
      if (picker.value && picker.value !== streamId) {
        follow(picker.value);
      }
    });

    function part(id, text, title) {
      return '<span id="' + id + '"' + (title ? ' title="' + escapeHtml(title) + '"' : '') + '>' + escapeHtml(text) + '</span>';
    }

    function escapeHtml(text) {
      return String(text).replace(/[&<>"]/g, function (c) {
        return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
      });
    }

    function renderStatus(msg, stream) {
      const malformed = sum(msg.malformed);
      const others = msg.streams.filter(function (s) { return s.id !== streamId; }).length;
      countsEl.textContent = 'Malformed records skipped: ' + malformed
          + (others ? ' · ' + others + ' other stream' + (others > 1 ? 's' : '') + ' in the picker' : '');
      if (!stream) {
        statusEl.textContent = 'connected · waiting for the first frame'
            + (streamId ? ' of stream "' + streamId + '"' : '') + '…';
        statusEl.classList.remove('stale');
        return;
      }
      const last = series.snrAlpha.length ? series.snrAlpha[series.snrAlpha.length - 1][1] : null;
      const stale = stream.ageMs > STALE_MS;
      const gaps = stream.gaps || {};
      const gapCount = (gaps['smt.patches'] || 0) + (gaps['smt.metrics'] || 0);
      const dlq = msg.dlq || { total: 0, byReason: {}, lastMessage: {} };
      const dlqTitle = Object.keys(dlq.byReason).map(function (r) {
        return r + ': ' + dlq.byReason[r] + (dlq.lastMessage[r] ? ' (latest: ' + dlq.lastMessage[r] + ')' : '');
      }).join('\n') || 'no records on smt.dlq';
      const model = msg.model;
      const parts = [
        part('st-frame', 'frame ' + stream.frame),
        part('st-frames', stream.frames + ' frames', 'metrics records seen for this stream'),
        part('st-fps', fmt(stream.fps, 1, ' fps'), 'frames per second by the processor\'s clock, last 30 frames'),
        part('st-latency', 'latency p50 ' + (stream.latencyP50Ms >= 0 ? stream.latencyP50Ms + ' ms' : '–'),
            'median capture-to-processed time over the last 30 frames; newest ' + stream.latencyMs + ' ms'),
        part('st-model', 'model v' + (model ? model.version : stream.model),
            model ? 'newest version on smt.model; frames were coded with v' + stream.model
                  : 'version the frames were coded with (no smt.model version read yet)'),
        part('st-lag', 'lag ' + (stream.lag >= 0 ? stream.lag + ' frames' : '–'),
            'newest frame index on smt.patches minus newest on smt.metrics: frames waiting for the processor'),
        part('st-gaps', 'gaps ' + gapCount, 'frame indices missing between consecutive records: smt.patches '
            + (gaps['smt.patches'] || 0) + ', smt.metrics ' + (gaps['smt.metrics'] || 0)
            + '. Frames a live source drops before they are numbered are counted by the ingest, which does not publish'
            + ' that count yet, so they are not in this number.'),
        part('st-dlq', 'DLQ ' + dlq.total, dlqTitle),
        part('st-rejected', 'rejected updates ' + (model ? model.rejectedUpdates : '–'),
            'learner updates rejected (NaN/Inf or a diverging objective) up to the newest model version'),
        part('st-snr', 'SNR Φα ' + fmt(last, 1, ' dB')),
        stale ? part('st-stale', 'no records for ' + Math.round(stream.ageMs / 1000) + ' s') : null
      ].filter(Boolean);
      statusEl.innerHTML = parts.join(' · ');
      statusEl.classList.toggle('stale', stale);
    }

    // ---- events --------------------------------------------------------------------------------
    function onState(msg) {
      if (streamId === null && msg.selected) {
        streamId = msg.selected;
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
        if (stream.grid && (!grid || grid.side !== stream.grid.side || grid.frameSize !== stream.grid.frameSize)) {
          grid = stream.grid;
          patch = null;
          currentPatch();
          fetchTrajectory();
        }
      }
      updateModel(msg.model);
      renderStatus(msg, stream);
    }

    function connect() {
      if (source) {
        source.close();
      }
      source = new EventSource(withToken('events' + (streamId ? '?stream=' + encodeURIComponent(streamId) : '')));
      source.addEventListener('open', function () {
        // A new connection gets the whole retained history again.
        clearSeries();
        run = null;
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

    function follow(id) {
      streamId = id;
      run = null;
      grid = null;
      patch = null;
      trajectory = null;
      resetPictures();
      const url = new URL(location.href);
      url.searchParams.set('stream', id);
      history.replaceState(null, '', url.toString());
      connect();
    }

    window.addEventListener('resize', function () {
      [snrChart, codesChart, modelChart, curvatureChart].concat(Object.values(trajectoryCharts))
        .forEach(function (c) { c.resize(); });
    });

    connect();
  });
})();
