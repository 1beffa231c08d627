"""The indicators as CSV (see `app.oversight.indicators`): one table per section, in the reader's
language (titles, headers and labels through the catalogue)."""
import csv
import io

from flask_babel import gettext as _

from app.cases.vocabulary import CASE_TYPES, CHANNELS, NONCONFORMITY_CAUSES, SURVEY_CRITERIA, label_of
from app.oversight.indicator_definitions import DEFINITIONS, NO_CAUSE


def _number(value) -> str:
    if value is None:
        return ''
    if isinstance(value, float):
        return f'{value:.2f}'.replace('.', ',')
    return str(value)


def _percent(share) -> str:
    return '' if share is None else _number(share * 100)




def _summary(indicators: dict) -> list[list]:
    res, tim, esc = indicators['resolution'], indicators['timeliness'], indicators['escalations']
    nc, sat, ret = indicators['nonconformities'], indicators['satisfaction'], indicators['retention']
    return [
        ['Casos recibidos', indicators['cases']],
        ['Casos con respuesta', res['answered']],
        ['Casos sin respuesta', res['unanswered']],
        ['Días hábiles de resolución (suma, sin suspensiones)', res['business_days_total']],
        ['Días hábiles suspendidos (suma)', res['paused_business_days_total']],
        ['Tiempo promedio de resolución (días hábiles)', _number(res['average_business_days'])],
        ['Respondidos a tiempo (meta interna)', tim['on_time']],
        ['Respondidos tarde (meta interna)', tim['late']],
        ['Respondidos a tiempo, meta interna (%)', _percent(tim['on_time_share'])],
        ['Casos con respuesta y término legal', tim['legal_answered']],
        ['Respondidos dentro del término legal', tim['legal_on_time']],
        ['Respondidos fuera del término legal', tim['legal_late']],
        ['Casos con respuesta sin término legal registrado', tim['legal_without_term']],
        ['Respondidos dentro del término legal (%)', _percent(tim['legal_on_time_share'])],
        ['Casos escalados', esc['cases']],
        ['Escalamientos (total)', esc['calls']],
        ['Casos escalados (%)', _percent(esc['share'])],
        ['No conformidades', nc['count']],
        ['No conformidades tratadas', nc['treated']],
        ['Casos con no conformidad', nc['cases']],
        ['Encuestas respondidas', sat['answers']],
        ['Encuestas satisfechas (4 o 5)', sat['satisfied']],
        ['Tasa de satisfacción (%)', _percent(sat['rate'])],
        ['Calificación promedio (1 a 5)', _number(sat['average_rating'])],
        ['Clientes distintos', ret['clients']],
        ['Clientes que radicaron otro caso', ret['returning']],
        ['Retención de clientes (%)', _percent(ret['share'])],
    ]


def to_csv(indicators: dict) -> str:
    """The indicators as CSV text: one table per section (title line, header, rows, blank
    line); `;` separated, decimal comma, percentages 0–100 with two decimals."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\r\n')
    period, sat = indicators['period'], indicators['satisfaction']

    def table(title, header, rows):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])

    table(_('Periodo'), ['Desde', _('Hasta'), _('Zona horaria')], [[period['from'], period['to'], period['timezone']]])
    table(_('Resumen'), ['Indicador', _('Valor')], _summary(indicators))
    table(_('Casos por tipo'), ['Tipo', _('Nombre'), _('Casos')],
          [[r['key'], label_of(CASE_TYPES, r['key']), r['count']] for r in indicators['by_type']])
    table(_('Tiempo de resolución por tipo'), ['Tipo', _('Nombre'), _('Casos con respuesta'), _('Días hábiles (suma)'),
                                            _('Promedio (días hábiles)')],
          [[r['key'], label_of(CASE_TYPES, r['key']), r['answered'], r['business_days_total'],
            _number(r['average_business_days'])] for r in indicators['resolution']['by_type']])
    table(_('Casos por canal'), ['Canal', _('Nombre'), _('Casos')],
          [[r['key'], label_of(CHANNELS, r['key']), r['count']] for r in indicators['by_channel']])
    table(_('Casos por sucursal'), ['Sucursal', _('Casos')], [[r['key'], r['count']] for r in indicators['by_branch']])
    table(_('Casos por mes'), ['Mes', _('Casos')], [[r['key'], r['count']] for r in indicators['by_month']])
    table(_('No conformidades por causa'), ['Causa', _('Nombre'), _('Registradas'), _('Tratadas')],
          [[r['key'] or '', label_of(NONCONFORMITY_CAUSES, r['key']) if r['key'] else _(NO_CAUSE),
            r['count'], r['treated']] for r in indicators['nonconformities']['by_cause']])
    table(_('Encuestas por calificación'), ['Calificación', _('Respuestas')],
          [[r['key'], r['count']] for r in sat['by_rating']])
    table(_('Satisfacción por criterio'), ['Criterio', _('Nombre'), _('Respuestas'), _('Promedio (1 a 5)'),
                                        _('Satisfechas (4 o 5)'), _('Satisfechas (%)')],
          [[r['key'], label_of(SURVEY_CRITERIA, r['key']), r['answers'], _number(r['average']), r['satisfied'],
            _percent(r['rate'])] for r in sat['by_criterion']])
    table(_('Definiciones'), ['Indicador', _('Definición')], [[_(title), _(text)] for _key, title, text in DEFINITIONS])
    return out.getvalue()
