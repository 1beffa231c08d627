// The editors in the page's language. bpmn-js, its properties panel and dmn-js say each of their
// texts through one `translate(template, replacements)` service, written in English; overriding
// that service with our own (a module `{ translate: ['value', fn] }` in additionalModules) lets
// a Spanish page show our Spanish dictionary, and an English page the libraries' own texts.
// The page says its language in <html lang> (app/platform/templates/base.html).

export function pageLanguage() {
  return (document.documentElement.getAttribute('lang') || 'es').slice(0, 2) === 'en' ? 'en' : 'es';
}

// `{name}` placeholders of a template filled from `replacements` (left as written when absent).
function fill(text, replacements) {
  return text.replace(/{([^}]+)}/g, (whole, key) =>
    (replacements && Object.prototype.hasOwnProperty.call(replacements, key) ? String(replacements[key]) : whole));
}

// A diagram-js / dmn-js module whose `translate` service speaks the page's language: the
// Spanish of `dictionary` (English text -> Spanish) on a Spanish page, the English otherwise;
// a text the dictionary lacks stays in English.
// The properties panel's header names an element's type in Title Case ("Timer Intermediate
// Catch Event", "Timer (Non Interrupting) Boundary Event") where the menus write it in sentence
// case ("Timer boundary event (non-interrupting)"): both find the same entry.
function typeKey(text) {
  const plain = text.trim().toLowerCase().replace(/-/g, ' ');
  const interrupting = plain.match(/^(.*) \(non interrupting\) (.*)$/);
  return interrupting ? `${interrupting[1]} ${interrupting[2]} (non interrupting)` : plain;
}

export function translateModule(dictionary) {
  const spanish = pageLanguage() === 'es';
  const byType = {};
  Object.keys(dictionary).forEach((key) => { byType[typeKey(key)] = dictionary[key]; });
  function spanishOf(template) {
    return dictionary[template.trim()] || byType[typeKey(template)];
  }
  function translate(template, replacements) {
    const found = spanish && typeof template === 'string' ? spanishOf(template) : null;
    const text = found ? found + (template.endsWith(' ') ? ' ' : '') : template;
    return fill(String(text), replacements);
  }
  return { translate: ['value', translate] };
}
