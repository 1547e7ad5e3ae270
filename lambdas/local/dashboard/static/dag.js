/** The model DAG as an SVG: sources on the left, each model right of its deepest parent, edges as curves. */
import { s } from './dom.js';

const COL = 256;
const ROW = 34;
const NODE_W = 232;
const NODE_H = 24;
const PAD = 8;

/** Status class of a node: a model's latest build, `source` for sources, `never` when not built yet. */
function statusOf(node, states) {
  if (node.kind === 'source') return 'source';
  if (node.materialization === 'ephemeral') return 'ephemeral';
  return states.get(node.id)?.status ?? 'never';
}

/** Draws `dag` ({ nodes, edges }) with each model coloured by `states` (model → latest outcome). */
export function dagSvg(dag, states) {
  const at = new Map(dag.nodes.map((n) => [n.id, { x: PAD + n.layer * COL, y: PAD + n.row * ROW }]));
  const width = PAD * 2 + (Math.max(0, ...dag.nodes.map((n) => n.layer)) * COL + NODE_W);
  const height = PAD * 2 + Math.max(1, ...dag.nodes.map((n) => n.row + 1)) * ROW;
  const edges = dag.edges
    .filter((e) => at.has(e.from) && at.has(e.to))
    .map((e) => {
      const a = at.get(e.from);
      const b = at.get(e.to);
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      return s('path', { class: 'dag-edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
    });
  const nodes = dag.nodes.map((n) => {
    const p = at.get(n.id);
    const status = statusOf(n, states);
    const state = states.get(n.id);
    const label = n.label.length > 32 ? `${n.label.slice(0, 31)}…` : n.label;
    const tip = [
      n.kind === 'source' ? `source ${n.label}` : `${n.group}.${n.label} (${n.materialization})`,
      state ? `latest build: ${state.status}${state.rows === null ? '' : `, ${state.rows} rows`}` : '',
      state?.error ?? '',
    ]
      .filter(Boolean)
      .join('\n');
    return s(
      'g',
      { class: `dag-node dag-${status}`, transform: `translate(${p.x},${p.y})`, 'data-model': n.id },
      s('title', {}, tip),
      s('rect', { width: NODE_W, height: NODE_H, rx: 5 }),
      s('text', { x: 8, y: 16 }, label),
    );
  });
  return s(
    'svg',
    {
      class: 'dag',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': 'model DAG',
    },
    s('g', {}, edges),
    s('g', {}, nodes),
  );
}
