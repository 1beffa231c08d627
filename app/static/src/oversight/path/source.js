// What the path view reads from the server: the path JSON (app/engine/path.py) and the diagrams.
import { fetchJSON, fetchText } from '../../shared/http';

// pathUrl: the path JSON; diagramUrl: the prefix of "<version_id>.bpmn".
export function createSource(pathUrl, diagramUrl) {
  const xmlCache = {};

  // The path now (asOf null) or as it stood after the event asOf.
  function path(asOf) {
    const url = new URL(pathUrl, window.location.href);
    if (asOf !== null && asOf !== undefined) url.searchParams.set('as_of', String(asOf));
    return fetchJSON(url.toString());
  }

  // The XML of a process version (fetched once).
  async function diagram(versionId) {
    if (!xmlCache[versionId]) {
      xmlCache[versionId] = await fetchText(`${diagramUrl}${encodeURIComponent(versionId)}.bpmn`);
    }
    return xmlCache[versionId];
  }

  return { path, diagram };
}
