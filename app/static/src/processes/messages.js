// What our editors (process and decision table) say themselves, in the page's language
// (<html lang>); the libraries' own texts go through shared/translate.js.
import { pageLanguage } from '../shared/translate';

const MESSAGES = {
  es: {
    validateFailed: 'No se pudo validar el diagrama',
    validateTableFailed: 'No se pudo validar la tabla',
    deployFailed: 'No se pudo desplegar',
    deployRefused: 'No se desplegó: corrija los problemas.',
    loadFailed: 'No se pudo cargar el diagrama',
    showFailed: 'No se pudo mostrar el diagrama',
    openTableFailed: 'No se pudo abrir la tabla',
    deployed: (version) => `Versión ${version} desplegada`,
    unchanged: (version) => `Sin cambios (versión ${version})`,
    added: 'Elementos añadidos',
    removed: 'Elementos quitados',
    changed: 'Elementos cambiados',
    table: 'Tabla',
    process: 'Proceso',
    imported: (message) => `Importación: ${message}`,
    noProblems: 'Sin problemas',
    problems: (n) => (n === 1 ? '1 problema' : `${n} problemas`),
    diagram: 'diagrama',
    line: (n) => `línea ${n}`
  },
  en: {
    validateFailed: 'The diagram could not be checked',
    validateTableFailed: 'The table could not be checked',
    deployFailed: 'Could not deploy',
    deployRefused: 'Not deployed: fix the problems.',
    loadFailed: 'The diagram could not be loaded',
    showFailed: 'The diagram could not be shown',
    openTableFailed: 'The table could not be opened',
    deployed: (version) => `Version ${version} deployed`,
    unchanged: (version) => `No changes (version ${version})`,
    added: 'Elements added',
    removed: 'Elements removed',
    changed: 'Elements changed',
    table: 'Table',
    process: 'Process',
    imported: (message) => `Import: ${message}`,
    noProblems: 'No problems',
    problems: (n) => (n === 1 ? '1 problem' : `${n} problems`),
    diagram: 'diagram',
    line: (n) => `line ${n}`
  }
};

// The message `key` in the page's language (a function is called with `args`).
export function say(key, ...args) {
  const text = MESSAGES[pageLanguage()][key];
  return typeof text === 'function' ? text(...args) : text;
}
