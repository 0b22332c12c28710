// Live view of one stream: pictures, SNR chart, sparsity chart and a status line, all driven by
// the server-sent events of /events (format documented in StateJson.java).
(function () {
  'use strict';

  const KINDS = ['INPUT', 'WHITENED', 'RECONSTRUCTION_ALPHA'];
  const MAX_POINTS = 2000;       // as many as the server keeps per stream
  const DRAW_INTERVAL_MS = 500;  // charts redraw at most this often, however fast events arrive
  const STALE_MS = 3000;         // no record for this long: say so in the status line
  const FRAME_AXIS = { type: 'value', name: 'frame', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax',
                        minInterval: 1 };  // frame indices are whole numbers

  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const wantedStream = params.get('stream');

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
    return value === null || value === undefined ? '–' : value.toFixed(digits) + (unit || '');
  }

  whenReady(function () {
    const statusEl = document.getElementById('status');
    const countsEl = document.getElementById('counts');

    // Chart series as [frameIndex, value] pairs, trimmed to MAX_POINTS.
    const series = { snrAlpha: [], snrBeta: [], active: [], iterations: [] };
    let streamId = null;
    let run = null;
    let dirty = false;

    const snrChart = echarts.init(document.getElementById('chart-snr'));
    snrChart.setOption({
      animation: false,
      title: { text: 'Reconstruction SNR', left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 22 },
      grid: { left: 55, right: 25, top: 55, bottom: 45 },
      xAxis: FRAME_AXIS,
      yAxis: { type: 'value', name: 'dB', scale: true },
      series: [
        { name: 'SNR Φα', type: 'line', showSymbol: false, sampling: 'lttb', data: [] },
        { name: 'SNR Φg(β)', type: 'line', showSymbol: false, sampling: 'lttb', data: [] }
      ]
    });
    const codesChart = echarts.init(document.getElementById('chart-codes'));
    codesChart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 55, right: 55, top: 35, bottom: 45 },
      xAxis: FRAME_AXIS,
      yAxis: [
        { type: 'value', name: 'active %', scale: true },
        { type: 'value', name: 'iterations', scale: true, splitLine: { show: false } }
      ],
      series: [
        { name: 'active coefficients %', type: 'line', showSymbol: false, sampling: 'lttb', data: [] },
        { name: 'coder iterations', type: 'line', yAxisIndex: 1, showSymbol: false, sampling: 'lttb', data: [] }
      ]
    });
    window.addEventListener('resize', function () {
      snrChart.resize();
      codesChart.resize();
    });

    function clearSeries() {
      Object.values(series).forEach(function (s) { s.length = 0; });
      dirty = true;
    }

    function addPoints(points) {
      for (const p of points) {
        const frame = p[0];
        series.snrAlpha.push([frame, p[1]]);
        series.snrBeta.push([frame, p[2]]);
        series.active.push([frame, p[3] === null ? null : 100 * p[3]]);
        series.iterations.push([frame, p[4]]);
      }
      Object.values(series).forEach(function (s) {
        if (s.length > MAX_POINTS) {
          s.splice(0, s.length - MAX_POINTS);
        }
      });
      dirty = dirty || points.length > 0;
    }

    setInterval(function () {
      if (!dirty) {
        return;
      }
      dirty = false;
      snrChart.setOption({ series: [{ data: series.snrAlpha }, { data: series.snrBeta }] });
      codesChart.setOption({ series: [{ data: series.active }, { data: series.iterations }] });
    }, DRAW_INTERVAL_MS);

    // One request in flight per picture: a slow network skips frames instead of queueing them.
    const pictures = {};
    KINDS.forEach(function (kind) {
      const img = document.getElementById('img-' + kind);
      const caption = document.getElementById('cap-' + kind);
      const picture = { shown: null, requested: null, loading: false };
      img.addEventListener('load', function () {
        picture.loading = false;
        picture.shown = picture.requested;
        caption.textContent = 'frame ' + picture.shown;
      });
      img.addEventListener('error', function () {
        picture.loading = false;
        picture.shown = picture.requested;
        caption.textContent = 'frame ' + picture.requested + ' unavailable';
      });
      pictures[kind] = { img: img, state: picture };
    });

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

    function renderStatus(msg, stream) {
      const malformed = Object.values(msg.malformed).reduce(function (a, b) { return a + b; }, 0);
      const others = msg.streams.map(function (s) { return s.id; }).filter(function (id) { return id !== streamId; });
      countsEl.textContent = 'Malformed records skipped: ' + malformed
          + (others.length ? ' · other streams (pick with ?stream=): ' + others.join(', ') : '');
      if (!stream) {
        statusEl.textContent = 'connected · waiting for the first frame'
            + (wantedStream ? ' of stream "' + wantedStream + '"' : '') + '…';
        statusEl.classList.remove('stale');
        return;
      }
      const last = stream.points.length ? stream.points[stream.points.length - 1] : null;
      const snr = last ? last[1] : (series.snrAlpha.length ? series.snrAlpha[series.snrAlpha.length - 1][1] : null);
      const stale = stream.ageMs > STALE_MS;
      statusEl.textContent = [
        'stream ' + stream.id,
        'frame ' + stream.frame,
        stream.frames + ' frames',
        fmt(stream.fps, 1, ' fps'),
        'latency ' + (stream.latencyMs >= 0 ? stream.latencyMs + ' ms' : '–'),
        'model v' + stream.model,
        'SNR Φα ' + fmt(snr, 1, ' dB'),
        malformed ? malformed + ' malformed' : null,
        stale ? 'no records for ' + Math.round(stream.ageMs / 1000) + ' s' : null
      ].filter(Boolean).join(' · ');
      statusEl.classList.toggle('stale', stale);
    }

    function onState(msg) {
      if (streamId === null && msg.streams.length) {
        const wanted = msg.streams.find(function (s) { return s.id === wantedStream; });
        streamId = wanted ? wanted.id : (wantedStream ? null : msg.streams[0].id);
      }
      const stream = msg.streams.find(function (s) { return s.id === streamId; });
      if (stream) {
        if (run !== stream.run) {
          clearSeries();   // the stream restarted: a new run of frame indices
          run = stream.run;
        }
        addPoints(stream.points);
        updatePictures(stream);
      }
      renderStatus(msg, stream);
    }

    const source = new EventSource(withToken('events'));
    source.addEventListener('open', function () {
      // A new connection gets the whole retained history again.
      clearSeries();
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
  });
})();
