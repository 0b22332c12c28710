// An ECharts instance with the page's defaults (echarts is the WebJar the page loads as a classic
// script), the line series every chart uses, and the representations whose paths and curvature the
// page plots.

export const REPRESENTATIONS = [
  { key: 'PIXELS', label: 'whitened pixels', color: '#78909c' },
  { key: 'ALPHA', label: 'α (sparse code)', color: '#ef6c00' },
  { key: 'BETA', label: 'β = Pα (embedding)', color: '#2e7d32' }
];

const charts = [];

/** The x axis of every per-frame chart. */
export const FRAME_AXIS = { type: 'value', name: 'frame', nameLocation: 'middle', nameGap: 24, min: 'dataMin',
                            max: 'dataMax', minInterval: 1 };  // frame indices are whole numbers

export function lineSeries(name, extra) {
  return Object.assign({ name: name, type: 'line', showSymbol: false, sampling: 'lttb', connectNulls: false, data: [] },
    extra || {});
}

export function chart(id, option) {
  const c = echarts.init(document.getElementById(id));
  c.setOption(Object.assign({ animation: false }, option));
  charts.push(c);
  return c;
}

/** Every chart made so far, e.g. to resize them with the window. */
export function allCharts() {
  return charts.slice();
}

/** A chart of curvature per frame, one series per representation, under {@code title}. */
export function curvatureChart(id, title, yAxis) {
  return chart(id, {
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 22 },
    grid: { left: 55, right: 25, top: 55, bottom: 45 },
    xAxis: FRAME_AXIS,
    yAxis: Object.assign({ type: 'value', name: 'degrees' }, yAxis),
    series: REPRESENTATIONS.map(function (r) { return lineSeries(r.label, { itemStyle: { color: r.color } }); })
  });
}
