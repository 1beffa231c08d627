"""The traceability report's history as CSV: one row per event, for a spreadsheet or an audit
tool (UTF-8 text, header row, times in local ISO 8601, what changed on one line)."""
import csv
import io

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
