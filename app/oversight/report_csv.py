"""The traceability report as CSV, for a spreadsheet or an audit tool (UTF-8 text, header row,
times in local ISO 8601): its history, one row per event, what changed on one line; and its
non-conformities, one row each with cause, reason, detection and treatment ("sin tratar").
Headers are column codes; the values shown to people (labels) are in the reader's language."""
import csv
import io

from flask_babel import gettext as _

CSV_HEADER = ['id', 'at', 'actor', 'kind', 'process_id', 'element_id', 'element_name', 'changes']


def events_csv(report: dict) -> str:
    """The history of `report` (`app.oversight.report.case_report`) as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(CSV_HEADER)
    for e in report['events']:
        writer.writerow([e['id'], e['at_iso'], e['actor'], e['kind'], e['process_id'] or '',
                         e['element_id'] or '', e['element_name'] or '', e['changes_text']])
    return out.getvalue()


NONCONFORMITY_HEADER = ['id', 'detected_at', 'cause', 'cause_label', 'reason', 'element_id', 'treatment',
                        'correction', 'responsible', 'closing_note', 'treated_at', 'treated_by']


def nonconformities_csv(report: dict) -> str:
    """The non-conformities of `report` as CSV text; an untreated one says "sin tratar"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(NONCONFORMITY_HEADER)
    for n in report['nonconformities']:
        treated = n['treatment'] or {}
        writer.writerow([n['id'], n['detected_at'].isoformat() if n['detected_at'] else '', n['cause'] or '',
                         n['cause_label'], n['reason'], n['element_id'] or '',
                         _('tratado') if treated else n['treatment_text'], treated.get('correction') or '',
                         treated.get('responsible') or '', treated.get('closing_note') or '',
                         treated['treated_at'].isoformat() if treated.get('treated_at') else '',
                         treated.get('treated_by') or ''])
    return out.getvalue()
