// Helpers every part of the page uses: the token, DOM readiness, number formatting, HTML escaping.

const params = new URLSearchParams(location.search);
const token = params.get('token');

export function withToken(url) {
  return token ? url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : url;
}

export function whenReady(fn) {
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', fn);
  } else {
    fn();
  }
}

export function fmt(value, digits, unit) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits) + (unit || '');
}

export function sum(object) {
  return Object.values(object || {}).reduce(function (a, b) { return a + b; }, 0);
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
  });
}
