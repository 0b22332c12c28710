// The learning charts: reconstruction SNR, sparsity and coder iterations, coding objective and
// latency, curvature over time (per frame of the followed stream) and the embedding's objective and
// constraint error (per model version).
// Each keeps as many points as the server does.

import { chart, curvatureChart, FRAME_AXIS, lineSeries } from './chart.js';
import { retained } from './config.js';
import { markDirty, painters } from './draw.js';


export const series = {
  snrAlpha: [], snrBeta: [], active: [], iterations: [], curvPixels: [], curvAlpha: [], curvBeta: [],
  objective: [], latency: []
};
export const snrByFrame = new Map();
const modelSeries = { embedding: [], constraint: [] };

let snrChart = null;
let codesChart = null;
let modelChart = null;
let frameCurvatureChart = null;
let costChart = null;

/** A chart of two series, the first on the left axis and the second on the right, with its own scale. */
function twoAxisChart(id, xAxis, axisNames, twoSeries) {
  return chart(id, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 65, right: 65, top: 35, bottom: 45 },
    xAxis: xAxis,
    yAxis: [
      { type: 'value', name: axisNames[0], scale: true },
      { type: 'value', name: axisNames[1], scale: true, splitLine: { show: false } }
    ],
    series: [twoSeries[0], Object.assign(twoSeries[1], { yAxisIndex: 1 })]
  });
}

export function initCharts() {
  snrChart = chart('chart-snr', {
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
  codesChart = twoAxisChart('chart-codes', FRAME_AXIS, ['active %', 'iterations'],
    [lineSeries('active coefficients %'), lineSeries('coder iterations')]);
  modelChart = twoAxisChart('chart-model',
    { type: 'value', name: 'model version', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax',
      minInterval: 1 },
    ['γ₀‖PAD‖² / column', '‖PVPᵀ − I‖'],
    // The learner's running mean (EWMA) of the A.1 batch objective, gamma0 ||P A D||^2 / B' (+ gamma1 ||P W||_1).
    [lineSeries('embedding objective γ₀‖PAD‖² / column, running mean', { showSymbol: true, symbolSize: 4 }),
     lineSeries('constraint error ‖PVPᵀ − I‖', { showSymbol: true, symbolSize: 4 })]);
  // The objective of eq. 3.4's sparse coding per patch (1/2 ||x - Φα||² + λ||α||₁), and capture to processed.
  costChart = twoAxisChart('chart-cost', FRAME_AXIS, ['objective / patch', 'latency, ms'],
    [lineSeries('coding objective per patch'), lineSeries('latency, capture to processed')]);
  // Every patch location of the frame, at step 1, on the codes inference made (eq. 3.4, not held out):
  // a live view of the trend, not the held-out measure of smt evaluate.
  frameCurvatureChart = curvatureChart('chart-curvature',
    'Curvature over time: mean angle between successive steps, all patches of a frame, step 1', { scale: true });

  painters.snr = function () {
    snrChart.setOption({ series: [{ data: series.snrAlpha }, { data: series.snrBeta }] });
  };
  painters.codes = function () {
    codesChart.setOption({ series: [{ data: series.active }, { data: series.iterations }] });
  };
  painters.cost = function () {
    costChart.setOption({ series: [{ data: series.objective }, { data: series.latency }] });
  };
  painters.curvature = function () {
    frameCurvatureChart.setOption({
      series: [{ data: series.curvPixels }, { data: series.curvAlpha }, { data: series.curvBeta }]
    });
  };
  painters.model = function () {
    modelChart.setOption({ series: [{ data: modelSeries.embedding }, { data: modelSeries.constraint }] });
  };
}

function chartsChanged() {
  markDirty('snr');
  markDirty('codes');
  markDirty('cost');
  markDirty('curvature');
}

export function clearSeries() {
  Object.values(series).forEach(function (s) { s.length = 0; });
  snrByFrame.clear();
  chartsChanged();
}

function trim(s, max) {
  if (s.length > max) {
    s.splice(0, s.length - max);
  }
}

export function addPoints(points) {
  for (const p of points) {
    const frame = p[0];
    series.snrAlpha.push([frame, p[1]]);
    series.snrBeta.push([frame, p[2]]);
    series.active.push([frame, p[3] === null ? null : 100 * p[3]]);
    series.iterations.push([frame, p[4]]);
    series.curvPixels.push([frame, p[6]]);
    series.curvAlpha.push([frame, p[7]]);
    series.curvBeta.push([frame, p[8]]);
    series.objective.push([frame, p[9]]);
    series.latency.push([frame, p[5]]);
    snrByFrame.set(frame, [p[1], p[2]]);
  }
  Object.values(series).forEach(function (s) { trim(s, retained.points); });
  while (snrByFrame.size > retained.points) {
    snrByFrame.delete(snrByFrame.keys().next().value);
  }
  if (points.length) {
    chartsChanged();
  }
}

export function addModelPoints(points) {
  for (const p of points) {
    modelSeries.embedding.push([p[0], p[4]]);
    modelSeries.constraint.push([p[0], p[5]]);
  }
  Object.values(modelSeries).forEach(function (s) { trim(s, retained.modelVersions); });
  if (points.length) {
    markDirty('model');
  }
}
