"""Forms in two languages, declared in the form file where the owner edits it: beside each
text a component shows in Spanish (`label`, `description`, `text`, `placeholder`, ...) the same
key with `_<language>` says it in another language (`"label_en": "Email"`); an option of
`values` the same (`{"label": "Sí", "label_en": "Yes", "value": "si"}`). form-js ignores the
extra keys, so a file stays a valid form-js schema. A page shows its language's text, the
Spanish one where the owner wrote none."""
import copy

from app.platform.i18n import page_language
from app.task_forms.walk import every_component

SPANISH = 'es'
OTHER_LANGUAGES = ('en',)  # the ones lint asks for (the app's languages but Spanish)
# the texts a component shows to people, and those of an option
TEXTS = ('label', 'description', 'text', 'placeholder', 'dateLabel', 'timeLabel', 'emptyLabel')
OPTION_TEXTS = ('label',)


def _shown(item: dict, keys, language: str) -> None:
    for key in keys:
        other = item.get(f'{key}_{language}')
        if isinstance(other, str) and other.strip():
            item[key] = other


def in_language(definition: dict, language: str | None = None) -> dict:
    """A copy of the form showing its texts in `language` (the page's by default), Spanish
    where it declares none; the form itself in Spanish."""
    language = (language or page_language()).split('_')[0]
    if language == SPANISH or not isinstance(definition, dict):
        return definition
    shown = copy.deepcopy(definition)
    for component in every_component(shown.get('components')):
        _shown(component, TEXTS, language)
        for option in component.get('values') or ():
            if isinstance(option, dict):
                _shown(option, OPTION_TEXTS, language)
    return shown


def untranslated(definition: dict, language: str = 'en') -> list[str]:
    """The Spanish texts of a form that lack their `language` version, as
    'key.label' or 'key.values[value].label' (for the deploy's warning and the tests)."""
    missing = []

    def check(item, keys, where):
        for key in keys:
            text = item.get(key)
            if isinstance(text, str) and text.strip() and not str(item.get(f'{key}_{language}') or '').strip():
                missing.append(f'{where}.{key}')
    for index, component in enumerate(every_component((definition or {}).get('components'))):
        where = component.get('key') or component.get('id') or f"{component.get('type')}#{index + 1}"
        check(component, TEXTS, where)
        for option in component.get('values') or ():
            if isinstance(option, dict):
                check(option, OPTION_TEXTS, f"{where}.values[{option.get('value')}]")
    return missing
