// bpmn-js pieces shared by the editor, the read-only viewer and the path view.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

// The Camunda 7 extensions (camunda:topic, camunda:formKey…) the diagrams are written with.
export const MODDLE_EXTENSIONS = { camunda: camundaModdle };

// A read-only diagram (pan and zoom) in container.
export function createViewer(container) {
  return new NavigatedViewer({ container, moddleExtensions: MODDLE_EXTENSIONS });
}

// The whole diagram in view: the scale it got, or null for an empty diagram (nothing to fit).
export function fitViewport(canvas) {
  try {
    return canvas.zoom('fit-viewport', 'auto');
  } catch (error) {
    return null;
  }
}
