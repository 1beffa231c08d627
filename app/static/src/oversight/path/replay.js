// The replay of the history: a slider from "before the first event" to "now" and its label.
import { T, formatTime, kindLabel } from './texts';

// Where the slider stands for asOf (null: now, 0: before the first event, else an event id).
function positionOf(list, asOf) {
  if (asOf === null || asOf === undefined) return list.length;
  if (Number(asOf) === 0) return 0;
  const index = list.findIndex((e) => String(e.id) === String(asOf));
  if (index >= 0) return index + 1;
  // an id between events: the last one at or before it
  let position = 0;
  list.forEach((e, i) => { if (Number(e.id) <= Number(asOf)) position = i + 1; });
  return position;
}

// The path as it stood before the first event: nothing happened yet (no need to ask the server).
export function pathBeforeFirstEvent(data) {
  return {
    ...data,
    as_of: 0,
    processes: data.processes.map((p) => ({ ...p, elements: [], flows: [] }))
  };
}

// The slider range and its label; events() gives the history shown; onMove(asOf) when the hand
// rests on another moment (null: now, 0: before the first event, else an event id).
export function createReplay(range, label, events, onMove) {
  let slideTimer = null;
  if (range) {
    range.addEventListener('input', () => {
      clearTimeout(slideTimer);
      const position = Number(range.value);
      const list = events();
      // the label follows the thumb at once; the fetch waits for the hand to rest a moment
      const event = position > 0 ? list[position - 1] : null;
      if (label) label.textContent = event ? `${T.event(position, list.length)}: ${formatTime(event.at)} · ${kindLabel(event.kind)}` : T.start;
      slideTimer = setTimeout(() => {
        const target = position >= list.length ? null : position === 0 ? 0 : list[position - 1].id;
        onMove(target);
      }, 120);
    });
  }

  // The slider and label standing at asOf.
  function render(asOf) {
    if (!range) return;
    const list = events();
    range.min = '0';
    range.max = String(list.length);
    range.step = '1';
    if (!range.labels || !range.labels.length) range.setAttribute('aria-label', T.replay);
    const position = positionOf(list, asOf);
    range.value = String(position);
    let text;
    if (position === 0) text = T.start;
    else {
      const event = list[position - 1];
      const what = `${formatTime(event.at)} · ${kindLabel(event.kind)}${event.element_id ? ` (${event.element_id})` : ''}`;
      text = position === list.length && asOf === null ? `${T.now} — ${what}` : `${T.event(position, list.length)}: ${what}`;
    }
    range.setAttribute('aria-valuetext', text);
    if (label) label.textContent = text;
  }

  return { render };
}
