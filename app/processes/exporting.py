"""Writing what was edited in the browser back to files, so it can be committed: the newest
version of every deployed diagram and decision table (beside the diagrams) and every form saved
in the database."""
import json
import os

from app.engine.specs import SpecLibrary
from app.processes.tables import tables
from app.platform.extensions import db
from app.task_forms.store import stored_form
from app.task_forms.models import FormVersion


def export_current(processes_dir: str, forms_dir: str) -> list[str]:
    os.makedirs(processes_dir, exist_ok=True)
    os.makedirs(forms_dir, exist_ok=True)
    written = []
    for version in SpecLibrary().latest_versions(db.session).values():
        path = os.path.join(processes_dir, os.path.basename(version.file_name))
        if path not in written:
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write(version.bpmn_xml)
            written.append(path)
    for versions in tables().values():
        path = os.path.join(processes_dir, os.path.basename(versions[0].file_name))
        if path not in written:
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write(versions[0].dmn_xml)
            written.append(path)
    for key in sorted(set(db.session.scalars(db.select(FormVersion.key)))):
        path = os.path.join(forms_dir, f'{key}.json')
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(stored_form(key).definition, handle, ensure_ascii=False, indent=2)
            handle.write('\n')
        written.append(path)
    return written
