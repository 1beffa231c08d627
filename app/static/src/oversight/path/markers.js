// The path on the canvas: a marker (CSS class) by state on each element the case reached, one on
// each sequence flow taken, run-count badges where more than once, and the tooltips of both.
import { el } from '../../shared/dom';
import { T } from './texts';
import { elementTitle, flowTitle } from './tooltips';

export const STATES = ['completed', 'active', 'cancelled', 'failed', 'reached'];
const MARKERS = STATES.map((state) => `path-${state}`).concat(['path-taken', 'path-link', 'path-container']);

// Where a connection's middle lies, relative to its bounding box (overlay positions are).
function connectionMiddle(connection) {
  const points = connection.waypoints || [];
  if (!points.length) return { left: 0, top: 0 };
  const minX = Math.min(...points.map((p) => p.x));
  const minY = Math.min(...points.map((p) => p.y));
  let total = 0;
  const lengths = [];
  for (let i = 1; i < points.length; i += 1) {
    const length = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    lengths.push(length);
    total += length;
  }
  let walked = 0;
  let middle = points[0];
  for (let i = 1; i < points.length; i += 1) {
    if (walked + lengths[i - 1] >= total / 2) {
      const ratio = lengths[i - 1] ? (total / 2 - walked) / lengths[i - 1] : 0;
      middle = {
        x: points[i - 1].x + (points[i].x - points[i - 1].x) * ratio,
        y: points[i - 1].y + (points[i].y - points[i - 1].y) * ratio
      };
      break;
    }
    walked += lengths[i - 1];
  }
  return { left: middle.x - minX, top: middle.y - minY };
}

// The markers of viewer; tooltips: createTooltips of the same viewer.
export function createMarkers(viewer, tooltips) {
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const elementRegistry = viewer.get('elementRegistry');
  let decorated = []; // elements carrying our markers

  function mark(element, marker) {
    canvas.addMarker(element, marker);
    if (decorated.indexOf(element) === -1) decorated.push(element);
  }

  function badge(element, count, text, position) {
    overlays.add(element, 'path-runs', {
      position,
      html: el('span', { className: 'path-badge', title: text, 'data-element-id': element.id }, String(count))
    });
  }

  function clear() {
    decorated.forEach((element) => {
      MARKERS.forEach((marker) => canvas.removeMarker(element, marker));
    });
    decorated = [];
    tooltips.clear();
    overlays.remove({ type: 'path-runs' });
  }

  // ran: the ids of the processes the case ran (a call to one of them links to its tab)
  function markElement(item, ran, processId) {
    const element = elementRegistry.get(item.id);
    if (!element) return;
    if (STATES.indexOf(item.state) >= 0) mark(element, `path-${item.state}`);
    if (element.children && element.children.some((child) => child.type !== 'label')) mark(element, 'path-container');
    const calls = item.calls; // only a call that ran: an untouched one would open another call's path
    const linked = Boolean(calls && ran.has(calls) && calls !== processId);
    if (linked) mark(element, 'path-link');
    tooltips.add(element, elementTitle(element, item, linked));
    if (item.runs > 1) {
      badge(element, item.runs, T.ranTimes(item.runs), { top: -10, right: 10 });
    }
  }

  function markFlow(flow) {
    const connection = elementRegistry.get(flow.id);
    if (!connection) return;
    mark(connection, 'path-taken');
    tooltips.add(connection, flowTitle(connection, flow));
    if (flow.count > 1) {
      const middle = connectionMiddle(connection);
      badge(connection, flow.count, T.flowTimes(flow.count), { left: middle.left - 10, top: middle.top - 10 });
    }
  }

  // The path of process (one of data.processes, or null: nothing) on the canvas, replacing the last.
  function decorate(process, data) {
    clear();
    if (!process) return;
    const ran = new Set(((data && data.processes) || []).map((p) => p.process_id));
    process.elements.forEach((item) => markElement(item, ran, process.process_id));
    (process.flows || []).forEach(markFlow);
  }

  return { clear, decorate };
}
