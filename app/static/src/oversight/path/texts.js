// What the path view says, in the page's language (<html lang>: Spanish unless English), and
// how it writes times and history events.

const TEXTS = {
  es: {
    tabs: 'Procesos del caso',
    states: {
      completed: 'Completado', active: 'En curso', cancelled: 'Cancelado', failed: 'Con falla',
      reached: 'Alcanzado'
    },
    stateHelp: {
      completed: 'terminó al menos una vez',
      active: 'el caso está detenido aquí',
      cancelled: 'se canceló sin terminar',
      failed: 'tiene un incidente abierto',
      reached: 'se alcanzó pero no terminó'
    },
    taken: 'Flujo recorrido',
    takenHelp: 'del elemento anterior al siguiente',
    runs: 'Veces ejecutado',
    runsHelp: 'solo si fue más de una',
    notTaken: 'Sin color',
    notTakenHelp: 'no se alcanzó o no se recorrió',
    legend: 'Convenciones',
    replay: 'Reproducir el historial',
    start: 'Inicio: antes del primer evento',
    now: 'Ahora',
    event: (n, total) => `Evento ${n} de ${total}`,
    ranTimes: (n) => `ejecutado ${n} veces`,
    flowTimes: (n) => `recorrido ${n} veces`,
    by: 'por',
    openCalled: (id) => `Clic para ver el proceso llamado (${id})`,
    loadError: 'No se pudo mostrar el recorrido: ',
    noTouch: 'Seleccione un elemento del diagrama para ver quién y cuándo.',
    kinds: {
      task_created: 'tarea creada', task_completed: 'tarea completada', task_cancelled: 'tarea cancelada',
      service_queued: 'servicio en cola', service_completed: 'servicio completado',
      timer_set: 'temporizador programado', timer_fired: 'temporizador vencido',
      message_received: 'mensaje recibido', call_started: 'subproceso iniciado',
      call_completed: 'subproceso terminado', element_completed: 'elemento completado',
      element_cancelled: 'elemento cancelado', incident_opened: 'incidente abierto',
      incident_retried: 'incidente reintentado', step_failed: 'paso fallido', job_failed: 'trabajo fallido',
      case_started: 'caso iniciado', case_completed: 'caso terminado', case_migrated: 'caso migrado'
    }
  },
  en: {
    tabs: 'Processes of the case',
    states: {
      completed: 'Completed', active: 'In progress', cancelled: 'Cancelled', failed: 'Failed',
      reached: 'Reached'
    },
    stateHelp: {
      completed: 'finished at least once',
      active: 'the case is waiting here',
      cancelled: 'cancelled before finishing',
      failed: 'has an open incident',
      reached: 'reached but not finished'
    },
    taken: 'Flow taken',
    takenHelp: 'from one element to the next',
    runs: 'Times run',
    runsHelp: 'only when more than once',
    notTaken: 'No colour',
    notTakenHelp: 'not reached or not taken',
    legend: 'Legend',
    replay: 'Replay the history',
    start: 'Start: before the first event',
    now: 'Now',
    event: (n, total) => `Event ${n} of ${total}`,
    ranTimes: (n) => `ran ${n} times`,
    flowTimes: (n) => `taken ${n} times`,
    by: 'by',
    openCalled: (id) => `Click to see the called process (${id})`,
    loadError: 'The path could not be shown: ',
    noTouch: 'Select an element of the diagram to see who and when.',
    kinds: {
      task_created: 'task created', task_completed: 'task completed', task_cancelled: 'task cancelled',
      service_queued: 'service queued', service_completed: 'service completed',
      timer_set: 'timer set', timer_fired: 'timer fired', message_received: 'message received',
      call_started: 'subprocess started', call_completed: 'subprocess finished',
      element_completed: 'element completed', element_cancelled: 'element cancelled',
      incident_opened: 'incident opened', incident_retried: 'incident retried', step_failed: 'step failed',
      job_failed: 'job failed', case_started: 'case started', case_completed: 'case finished',
      case_migrated: 'case migrated'
    }
  }
};

export const LANG = (document.documentElement.getAttribute('lang') || 'es').slice(0, 2) === 'en' ? 'en' : 'es';
const LOCALE = LANG === 'en' ? 'en-US' : 'es-CO';

// The strings of the page's language.
export const T = TEXTS[LANG];

// The name of a history event's kind (the kind itself when unknown).
export function kindLabel(kind) {
  return (kind && T.kinds[kind]) || kind || '';
}

// An ISO time as the page's locale writes it, to the minute.
export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(LOCALE, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'
  });
}

// "Who and when" of an element, one line.
export function describeLast(last) {
  if (!last) return '';
  const who = last.actor ? ` ${T.by} ${last.actor}` : '';
  return `${formatTime(last.at)} · ${kindLabel(last.kind)}${who}`;
}
