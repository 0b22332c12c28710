// The pictures of the followed stream with their captions: input, whitened, Φα, Φg(β), and the last
// three again in image space (C x, CΦα, CΦg(β)) when the stream's whitening can be undone. One
// request in flight per picture: a slow network skips frames instead of queueing them. A click on a
// picture chooses the patch whose trajectory is drawn. Below them, the next-frame prediction's row: x_t
// and its three predictions, all of the latest frame the server measured, with their SNRs.

import { snrByFrame } from './charts.js';
import { choosePatch } from './trajectories.js';
import { fmt, withToken } from './util.js';

const KINDS = ['INPUT', 'WHITENED', 'RECONSTRUCTION_ALPHA', 'RECONSTRUCTION_BETA', 'UNWHITENED',
  'RECONSTRUCTION_ALPHA_UNWHITENED', 'RECONSTRUCTION_BETA_UNWHITENED'];

// URL names of the next-frame pictures, by the predictor whose SNR they carry (none for x_t itself).
const NEXT = { 'next-target': null, 'next-beta': 'BETA', 'next-copy-last': 'COPY_LAST', 'next-pixels': 'PIXELS' };
const PREDICTORS = { BETA: 'Φg(2β_{t−1} − β_{t−2})', COPY_LAST: 'copy-last', PIXELS: 'pixel extrapolation' };

const pictures = {};
// The followed stream's latest measured next-frame prediction (StateJson's "prediction"), or null.
let prediction = null;
// Image-space SNRs of the followed stream by kind, [frame, dB], measured by the server against C x.
let imageSnr = {};

export function initPictures() {
  KINDS.concat(Object.keys(NEXT)).forEach(function (kind) {
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
}

/** An SNR from the server: null is an exact prediction (infinite SNR; x_t is never all zero here). */
function db(value) {
  return value === null ? 'exact' : fmt(value, 1, ' dB');
}

function captionText(kind, frame) {
  const snr = snrByFrame.get(frame);
  const text = 'frame ' + frame;
  if (kind in NEXT) {
    const predictor = NEXT[kind];
    if (!predictor || !prediction || prediction.frame !== frame) {
      return text;
    }
    return text + ' · SNR ' + db(prediction.snr[predictor]) + ' · pooled ' + db(prediction.pooled[predictor]);
  }
  if (kind === 'RECONSTRUCTION_ALPHA' && snr) {
    return text + ' · SNR ' + fmt(snr[0], 1, ' dB');
  }
  if (kind === 'RECONSTRUCTION_BETA' && snr) {
    return text + ' · SNR ' + fmt(snr[1], 1, ' dB');
  }
  const inImageSpace = imageSnr[kind];
  if (inImageSpace && inImageSpace[0] === frame) {
    return text + ' · SNR ' + fmt(inImageSpace[1], 1, ' dB');
  }
  return text;
}

/** The predictor with the highest pooled SNR, null (exact) counting as highest. */
function bestSoFar(pooled) {
  return Object.keys(PREDICTORS).reduce(function (best, p) {
    const v = pooled[p] === null ? Infinity : pooled[p];
    const b = best === null ? -Infinity : (pooled[best] === null ? Infinity : pooled[best]);
    return v > b ? p : best;
  }, null);
}

function updateVerdict() {
  const verdict = document.getElementById('prediction-verdict');
  if (!prediction) {
    verdict.textContent = 'A measurement, not a promise; nothing measured yet.';
    return;
  }
  const best = bestSoFar(prediction.pooled);
  verdict.textContent = 'A measurement, not a promise: over the ' + prediction.frames + ' frame'
      + (prediction.frames === 1 ? '' : 's') + ' measured so far, ' + PREDICTORS[best]
      + ' predicts best (pooled SNR ' + db(prediction.pooled[best]) + ').';
}

export function updatePictures(stream) {
  imageSnr = stream.imageSnr || {};
  prediction = stream.prediction || null;
  updateVerdict();
  const frames = Object.assign({}, stream.images);
  if (prediction) {
    Object.keys(NEXT).forEach(function (name) { frames[name] = prediction.frame; });
  }
  KINDS.concat(Object.keys(NEXT)).forEach(function (kind) {
    const frame = frames[kind];
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

/** Empties every picture when another stream is followed, so none shows the previous stream's frame. */
export function resetPictures() {
  KINDS.concat(Object.keys(NEXT)).forEach(function (kind) {
    const p = pictures[kind];
    p.img.removeAttribute('src');   // also cancels a request in flight
    p.state.shown = null;
    p.state.requested = null;
    p.state.loading = false;
    p.caption.textContent = '';
  });
  imageSnr = {};
  prediction = null;
  updateVerdict();
}
