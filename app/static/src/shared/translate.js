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
export function translateModule(dictionary) {
  const spanish = pageLanguage() === 'es';
  function translate(template, replacements) {
    const text = spanish && typeof template === 'string' && dictionary[template.trim()]
      ? dictionary[template.trim()] + (template.endsWith(' ') ? ' ' : '')
      : template;
    return fill(String(text), replacements);
  }
  return { translate: ['value', translate] };
}
