// The status bar (frame, rate, latency, model version, lag, gaps, blank frames, dead letters, rejected
// updates, learned share, SNR) and the footer's count of malformed records.

import { series } from './charts.js';
import { retained } from './config.js';
import { streamId } from './selection.js';
import { escapeHtml, fmt, sum } from './util.js';

const STALE_MS = 3000;            // no record for this long: say so in the status bar

export let statusEl = null;
let countsEl = null;

export function initStatus() {
  statusEl = document.getElementById('status');
  countsEl = document.getElementById('counts');
}

function part(id, text, title) {
  return '<span id="' + id + '"' + (title ? ' title="' + escapeHtml(title) + '"' : '') + '>' + escapeHtml(text)
      + '</span>';
}

/** 'learned X of Y frames (Z %)' from the newest version's stats; suffix '' for all streams, ':id' for one. */
function learnedOf(model, suffix) {
  const stats = (model && model.stats) || {};
  const arrived = stats['framesArrived' + suffix];
  const learned = stats['framesLearned' + suffix];
  return arrived == null || learned == null ? '–' : 'learned ' + learned + ' of ' + arrived + ' frames ('
      + fmt(arrived > 0 ? 100 * learned / arrived : NaN, 0, ' %') + ')';
}

/** What never got coded: ingest's losses (dropped, corrupt, lost in outages) and frames skipped as stale. */
function faultsPart(f) {
  f = f || { dropped: 0, corrupt: 0, outages: 0, outageMs: 0, lost: 0, stale: 0 };
  const lost = f.dropped + f.corrupt + f.lost + f.stale;
  const text = 'faults ' + lost + (f.outages ? ' · outages ' + f.outages + ' (' + fmt(f.outageMs / 1000, 1, ' s')
      + ')' : '');
  const title = 'frames never coded: dropped by ingest while it was behind ' + f.dropped
      + ', corrupt ' + f.corrupt + ', lost in ' + f.outages + ' outage(s) of the source ' + f.lost
      + ' (' + fmt(f.outageMs / 1000, 1, ' s') + ' without it), skipped by the processor as older than the stream\'s '
      + 'freshness bound ' + f.stale;
  return '<span id="st-faults"' + (lost || f.outages ? ' class="warn"' : '') + ' title="' + escapeHtml(title)
      + '">' + escapeHtml(text) + '</span>';
}

export function renderStatus(msg, stream) {
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
    part('st-fps', fmt(stream.fps, 1, ' fps'), 'frames per second by the processor\'s clock, last '
        + retained.statusFrames + ' frames'),
    part('st-latency', 'latency p50 ' + (stream.latencyP50Ms >= 0 ? stream.latencyP50Ms + ' ms' : '–'),
        'median capture-to-processed time over the last ' + retained.statusFrames + ' frames; newest '
        + stream.latencyMs + ' ms'),
    part('st-model', 'model v' + (model ? model.version : stream.model),
        model ? 'newest version on smt.model; frames were coded with v' + stream.model
              : 'version the frames were coded with (no smt.model version read yet)'),
    part('st-lag', 'lag ' + (stream.lag >= 0 ? stream.lag + ' frames' : '–'),
        'newest frame index on smt.patches minus newest on smt.metrics: frames waiting for the processor'),
    part('st-gaps', 'gaps ' + gapCount, 'frame indices missing between consecutive records: smt.patches '
        + (gaps['smt.patches'] || 0) + ' (frames ingest lost: see faults), smt.metrics ' + (gaps['smt.metrics'] || 0)
        + ' (frames the processor skipped or has not reached)'),
    faultsPart(stream.faults),
    part('st-blank', 'blank ' + (stream.blank || 0), 'frames of this stream with nothing in them (uniform gray: '
        + 'black, a covered lens): they have no SNR and no curvature, so the charts leave a gap, and the learner '
        + 'does not learn from them'),
    part('st-dlq', 'DLQ ' + dlq.total, dlqTitle),
    part('st-rejected', 'rejected updates ' + (model ? model.rejectedUpdates : '–'),
        'learner updates rejected (NaN/Inf or a diverging objective) up to the newest model version'),
    part('st-learning', 'learning: ' + learnedOf(model, ''), 'coded frames the learner learned of those that '
        + 'reached it, up to the newest model version (behind, it learns a fair sample across streams); '
        + 'this stream: ' + learnedOf(model, ':' + stream.id)),
    part('st-snr', 'SNR Φα ' + fmt(last, 1, ' dB')),
    stale ? part('st-stale', 'no records for ' + Math.round(stream.ageMs / 1000) + ' s') : null
  ].filter(Boolean);
  statusEl.innerHTML = parts.join(' · ');
  statusEl.classList.toggle('stale', stale);
}
