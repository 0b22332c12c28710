// How much history the server keeps: the first event of every stream says so ('config' in
// StateJson.java), and the page keeps as much, so no length is copied here.

export const retained = { points: null, modelVersions: null, trajectoryFrames: null, statusFrames: null };

export function configure(msg) {
  Object.assign(retained, msg.history);
}
