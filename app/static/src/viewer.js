// Read-only diagram: <div id="viewer" data-xml-url="..."> shown with bpmn-js NavigatedViewer
// (pan and zoom), fitted to the viewport. Bundled into app/static/build/viewer.js.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

async function start(root) {
  const viewer = new NavigatedViewer({
    container: root,
    moddleExtensions: { camunda: camundaModdle }
  });
  window.pqrsfViewer = viewer;
  const url = root.getAttribute('data-xml-url');
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    await viewer.importXML(await response.text());
    viewer.get('canvas').zoom('fit-viewport', 'auto');
  } catch (error) {
    const message = document.createElement('p');
    message.className = 'viewer-error';
    message.setAttribute('role', 'alert');
    message.textContent = 'No se pudo mostrar el diagrama: ' + error.message;
    root.appendChild(message);
  }
  root.setAttribute('data-ready', 'true');
  return viewer;
}

const root = document.getElementById('viewer');
if (root && root.getAttribute('data-xml-url')) start(root);
