// Read-only diagram: <div id="viewer" data-xml-url="..."> shown with bpmn-js NavigatedViewer
// (pan and zoom), fitted to the viewport. Bundled into app/static/build/viewer.js.
import { el } from '../shared/dom';
import { fetchText } from '../shared/http';
import { createViewer, fitViewport } from '../shared/diagram';
import { say } from './messages';

async function start(root) {
  const viewer = createViewer(root);
  window.pqrsfViewer = viewer;
  try {
    await viewer.importXML(await fetchText(root.getAttribute('data-xml-url')));
    fitViewport(viewer.get('canvas'));
  } catch (error) {
    root.appendChild(el('p', { className: 'viewer-error', role: 'alert' },
      `${say('showFailed')}: ${error.message}`));
  }
  root.setAttribute('data-ready', 'true');
  return viewer;
}

const root = document.getElementById('viewer');
if (root && root.getAttribute('data-xml-url')) start(root);
