// Drawing, coalesced. A chart marked dirty is redrawn in a later animation frame, one chart per frame,
// and each at most every DRAW_INTERVAL_MS: however many events arrive, the page never spends a whole
// frame redrawing everything at once. Events carry every point exactly once, so a fast stream costs
// redraws, never lost points.

const DRAW_INTERVAL_MS = 500;     // a chart redraws at most this often, however fast events arrive

const dirty = new Set();
const lastDrawn = {};
export const painters = {};
let drawScheduled = false;

export function markDirty(name) {
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
