"""Deploy diagrams: lint the whole set, then store each changed process as a new version.

A version is identified by the SHA-256 of its file; deploying the same content again is a
no-op, so `pqrsf deploy` can run at every start. Nothing is stored unless every file passes.
"""
import hashlib
import os
from dataclasses import dataclass

from sqlalchemy import select

from .clock import clock
from .errors import DeployRefused
from .lint import Linter, errors
from .models import ProcessVersion
from .parser import BPMN_NS, read_xml


@dataclass
class Deployed:
    process_id: str
    version: int
    content_hash: str
    created: bool


def deploy(session, documents: dict[str, bytes], linter: Linter, actor='system') -> list[Deployed]:
    """Lint and deploy; raises DeployRefused (with every problem, warnings too) and stores nothing
    on an error. Warnings alone do not stop a deploy."""
    deployed_ids = set(session.scalars(select(ProcessVersion.process_id).distinct()))
    linter.deployed |= deployed_ids
    problems = linter.lint(documents)
    if errors(problems):
        raise DeployRefused(problems)
    results = []
    now = clock.now()
    for name, content in documents.items():
        digest = hashlib.sha256(content if isinstance(content, bytes) else content.encode()).hexdigest()
        text = content.decode('utf-8') if isinstance(content, bytes) else content
        for process in read_xml(content).getroot().iter(f'{{{BPMN_NS}}}process'):
            if process.get('isExecutable') != 'true':
                continue
            pid = process.get('id')
            latest = session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == pid)
                                     .order_by(ProcessVersion.version.desc()).limit(1)).first()
            if latest is not None and latest.content_hash == digest:
                results.append(Deployed(pid, latest.version, digest, False))
                continue
            number = (latest.version if latest else 0) + 1
            session.add(ProcessVersion(process_id=pid, version=number, name=process.get('name'),
                                       content_hash=digest, file_name=os.path.basename(name),
                                       bpmn_xml=text, deployed_at=now, deployed_by=actor))
            results.append(Deployed(pid, number, digest, True))
    session.commit()
    return results
