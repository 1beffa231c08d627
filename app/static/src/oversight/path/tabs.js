// One tab per process the case ran (WAI-ARIA tabs: arrow keys move between them).
import { el, clear } from '../../shared/dom';
import { T } from './texts';

// The tabs in tabsNode; onSelect(processId) when one is chosen.
export function createTabs(tabsNode, onSelect) {
  const buttons = () => Array.from(tabsNode.querySelectorAll('button[data-process-id]'));

  tabsNode.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const all = buttons();
    const index = all.indexOf(document.activeElement);
    if (index < 0) return;
    const next = all[(index + (event.key === 'ArrowRight' ? 1 : all.length - 1)) % all.length];
    next.focus();
    next.click();
  });

  // The tabs of processes (rebuilt only when they changed), processId's selected.
  function render(processes, processId) {
    tabsNode.setAttribute('role', 'tablist');
    if (!tabsNode.hasAttribute('aria-label')) tabsNode.setAttribute('aria-label', T.tabs);
    const wanted = processes.map((p) => `${p.process_id}|${p.version}`).join(',');
    if (buttons().map((b) => b.getAttribute('data-key')).join(',') !== wanted) {
      clear(tabsNode);
      processes.forEach((process) => tabsNode.appendChild(el('button', {
        type: 'button',
        role: 'tab',
        className: 'path-tab',
        'data-process-id': process.process_id,
        'data-key': `${process.process_id}|${process.version}`,
        title: process.file_name || undefined,
        onClick: () => onSelect(process.process_id)
      }, `${process.process_id} v${process.version}`)));
    }
    buttons().forEach((button) => {
      const selected = button.getAttribute('data-process-id') === processId;
      button.setAttribute('aria-selected', selected ? 'true' : 'false');
      button.setAttribute('tabindex', selected ? '0' : '-1');
      button.classList.toggle('is-selected', selected);
    });
  }

  return { render };
}
