"""Indicadores PQRSF: the page (period form, cards, tables with bar charts, definitions) and its
CSV download, for the process owner, the leads, the auditors and admins. The numbers and their
definitions are in `app/oversight/indicators.py`."""
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from app.accounts.login import roles_required
from app.accounts.roles import INDICATOR_READERS
from app.platform.engines import calendar
from app.platform.extensions import db
from app.cases.vocabulary import CASE_TYPES, CHANNELS, NONCONFORMITY_CAUSES, SURVEY_CRITERIA
from app.oversight.indicator_definitions import NO_CAUSE
from app.oversight.indicators import (
    DEFINITIONS,
    compute,
    default_period,
    local_today,
    to_csv)

bp = Blueprint('indicators', __name__, template_folder='templates')
DATE_FORMAT = re.compile(r'\d{4}-\d{2}-\d{2}')
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
MAX_PERIOD_DAYS = 3660  # ten years: one bar per month at most 120


def _zone():
    return ZoneInfo(current_app.config.get('TIMEZONE') or 'America/Bogota')


def _parse_day(text):
    if not DATE_FORMAT.fullmatch(text):
        return None
    try:
        day = datetime.strptime(text, '%Y-%m-%d').date()
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _period(args):
    """(from, to, raw values for the form, error messages) from `desde` / `hasta`; a missing
    value takes the current semester's bound."""
    default_from, default_to = default_period(local_today(_zone()))
    raw = {name: (args.get(name) or '').strip() for name in ('desde', 'hasta')}
    errors, days = [], {}
    for name, fallback, label in (('desde', default_from, _('Desde')), ('hasta', default_to, _('Hasta'))):
        if not raw[name]:
            days[name] = fallback
            raw[name] = fallback.isoformat()
            continue
        days[name] = _parse_day(raw[name])
        if days[name] is None:
            errors.append(_('La fecha «%(label)s» (%(value)s) no es válida: escríbala como AAAA-MM-DD, '
                            'por ejemplo 2026-01-31.', label=label, value=raw[name]))
    start, end = days['desde'], days['hasta']
    if not errors and start > end:
        errors.append(_('La fecha «Desde» (%(a)s) es posterior a la fecha «Hasta» (%(b)s).',
                        a=start.isoformat(), b=end.isoformat()))
    if not errors and (end - start).days > MAX_PERIOD_DAYS:
        errors.append(_('El periodo no puede ser de más de diez años.'))
    return start, end, raw, errors


def _bars(rows, labels=None):
    """Rows for a bar table: label, count, bar width (% of the largest) and share of the total."""
    top = max((r['count'] for r in rows), default=0)
    total = sum(r['count'] for r in rows)
    return [{'key': r['key'], 'label': _(labels[r['key']]) if labels and r['key'] in labels else str(r['key']),
             'count': r['count'], 'treated': r.get('treated'), 'width': round(100 * r['count'] / top, 1) if top else 0,
             'share': r['count'] / total if total else None} for r in rows]


def _invalid(raw, errors):
    return render_template('indicators/index.html', data=None, raw=raw, errors=errors), 422


@bp.get('/indicadores')
@roles_required(*INDICATOR_READERS)
def index():
    start, end, raw, errors = _period(request.args)
    if errors:
        return _invalid(raw, errors)
    data = compute(db.session, start, end, calendar=calendar(), time_zone=_zone())
    charts = {'by_type': _bars(data['by_type'], CASE_TYPES), 'by_channel': _bars(data['by_channel'], CHANNELS),
              'by_branch': _bars(data['by_branch']), 'by_month': _bars(data['by_month']),
              'by_rating': _bars(data['satisfaction']['by_rating']),
              'by_cause': _bars(data['nonconformities']['by_cause'], {**NONCONFORMITY_CAUSES, None: NO_CAUSE})}
    return render_template('indicators/index.html', data=data, raw=raw, errors=[], charts=charts,
                           definitions=DEFINITIONS, case_types=CASE_TYPES, criteria=SURVEY_CRITERIA)


@bp.get('/indicadores.csv')
@roles_required(*INDICATOR_READERS)
def download():
    start, end, raw, errors = _period(request.args)
    if errors:
        return _invalid(raw, errors)
    text = to_csv(compute(db.session, start, end, calendar=calendar(), time_zone=_zone()))
    name = f'indicadores_{start.isoformat()}_{end.isoformat()}.csv'
    # the BOM lets Excel recognise UTF-8 (accents); decode with utf-8-sig to get to_csv()'s text
    return Response('\ufeff' + text, mimetype='text/csv',
                    headers={'Content-Disposition': f'attachment; filename={name}'})
