// The stream the page follows: the one named in the URL, else the one the server picks; null until then.

export let streamId = new URLSearchParams(location.search).get('stream');

export function select(id) {
  streamId = id;
}
