// Where the canvas looks when a diagram is opened.
import { fitViewport } from '../../shared/diagram';

const READABLE = 0.7;

// The whole diagram in view. On a phone a wide diagram fitted whole is too small to read: there
// it is shown at a readable scale around where the case stands (or last was) in process.
export function fit(viewer, canvasNode, process) {
  const canvas = viewer.get('canvas');
  const elementRegistry = viewer.get('elementRegistry');
  const scale = fitViewport(canvas);
  if (scale === null) return; // an empty diagram has nothing to fit
  if (!(scale < READABLE / 2) || canvasNode.clientWidth > 600) return;
  const touched = process.elements.filter((e) => elementRegistry.get(e.id) && !elementRegistry.get(e.id).waypoints);
  const focus = touched.find((e) => e.state === 'active' || e.state === 'failed') ||
    touched.slice().sort((a, b) => String(a.last && a.last.at).localeCompare(String(b.last && b.last.at))).pop();
  const element = focus && elementRegistry.get(focus.id);
  if (!element) return;
  canvas.zoom(READABLE, { x: element.x + element.width / 2, y: element.y + element.height / 2 });
  const box = canvas.viewbox();
  canvas.viewbox({
    x: element.x + element.width / 2 - box.width / 2,
    y: element.y + element.height / 2 - box.height / 2,
    width: box.width,
    height: box.height
  });
}
