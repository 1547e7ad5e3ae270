/* global document, Node */
/**
 * DOM helpers. Every value from the API enters the page as text (textContent), never as HTML, so nothing a
 * source sends can run in the dashboard.
 */

/** Creates an element: `h('td', { class: 'num' }, 'text', child)`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces the children of the element with this id. */
export function fill(id, ...children) {
  const el = document.getElementById(id);
  if (el) el.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null));
  return el;
}

/** A table with a header row; `rows` are arrays of cells (strings or elements). */
export function table(headers, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((x) => h('th', typeof x === 'string' ? {} : x.attrs, typeof x === 'string' ? x : x.text)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** A status pill (`ok`, `warn`, `error`, …). */
export function pill(status, text = status) {
  return h('span', { class: `pill pill-${String(status).replace(/[^a-z_]/gi, '')}` }, text);
}

/** A muted line saying there is nothing to show yet. */
export function empty(text) {
  return h('p', { class: 'empty' }, text);
}
