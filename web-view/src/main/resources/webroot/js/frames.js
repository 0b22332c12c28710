// The pictures of the followed stream with their captions: input, whitened, Φα, Φg(β), and the last
// three again in image space (C x, CΦα, CΦg(β)) when the stream's whitening can be undone. One
// request in flight per picture: a slow network skips frames instead of queueing them. A click on a
// picture chooses the patch whose trajectory is drawn.

import { snrByFrame } from './charts.js';
import { choosePatch } from './trajectories.js';
import { fmt, withToken } from './util.js';

const KINDS = ['INPUT', 'WHITENED', 'RECONSTRUCTION_ALPHA', 'RECONSTRUCTION_BETA', 'UNWHITENED',
  'RECONSTRUCTION_ALPHA_UNWHITENED', 'RECONSTRUCTION_BETA_UNWHITENED'];

const pictures = {};
// Image-space SNRs of the followed stream by kind, [frame, dB], measured by the server against C x.
let imageSnr = {};

export function initPictures() {
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
}

function captionText(kind, frame) {
  const snr = snrByFrame.get(frame);
  const text = 'frame ' + frame;
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

export function updatePictures(stream) {
  imageSnr = stream.imageSnr || {};
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

/** Empties every picture when another stream is followed, so none shows the previous stream's frame. */
export function resetPictures() {
  KINDS.forEach(function (kind) {
    const p = pictures[kind];
    p.img.removeAttribute('src');   // also cancels a request in flight
    p.state.shown = null;
    p.state.requested = null;
    p.state.loading = false;
    p.caption.textContent = '';
  });
  imageSnr = {};
}
