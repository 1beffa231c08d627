"""Deploy diagrams and decision tables: lint the whole set, then store each changed one as a new
version.

A version is identified by the SHA-256 of its file; deploying the same content again is a
no-op, so `pqrsf deploy` can run at every start. Nothing is stored unless every file passes.

Each process version is pinned to the versions of the DMN tables its business-rule tasks use
(`ProcessVersion.decision_versions`), so a running case keeps the tables it started with. A new
version of a table therefore also stores a new version of each process that uses it (the same
XML, the new pins): new cases use the new table, and the owner sees it as a new version.
"""
import hashlib
import os
from dataclasses import dataclass

from sqlalchemy import select

from .clock import clock
from .decisions import decision_refs, decisions, is_dmn
from .errors import DeployRefused
from .lint import Linter, errors
from .models import DecisionVersion, ProcessVersion
from .parser import BPMN_NS, read_xml


@dataclass
class Deployed:
    process_id: str      # the process id, or the decision id when kind == 'decision'
    version: int
    content_hash: str
    created: bool
    kind: str = 'process'


def _digest(content) -> str:
    return hashlib.sha256(content if isinstance(content, bytes) else content.encode()).hexdigest()


def _text(content) -> str:
    return content.decode('utf-8') if isinstance(content, bytes) else content


def _latest(session, model, key, value):
    return session.scalars(select(model).where(key == value)
                           .order_by(model.version.desc()).limit(1)).first()


def newest_decisions(session) -> dict[str, int]:
    """decision id -> id of its newest DecisionVersion."""
    rows = session.execute(select(DecisionVersion.decision_id, DecisionVersion.id)
                           .order_by(DecisionVersion.version)).all()
    return {decision_id: row_id for decision_id, row_id in rows}


def deployed_tables(session) -> dict[str, str]:
    """decision id -> DMN XML of its newest version, for lint to resolve decisionRefs."""
    newest = newest_decisions(session)
    rows = session.execute(select(DecisionVersion.decision_id, DecisionVersion.dmn_xml)
                           .where(DecisionVersion.id.in_(newest.values()))).all() if newest else []
    return dict(rows)


def deploy(session, documents: dict[str, bytes], linter: Linter, actor='system') -> list[Deployed]:
    """Lint and deploy; raises DeployRefused (with every problem, warnings too) and stores nothing
    on an error. Warnings alone do not stop a deploy."""
    linter.deployed |= set(session.scalars(select(ProcessVersion.process_id).distinct()))
    linter.deployed_decisions = {**deployed_tables(session), **linter.deployed_decisions}
    problems = linter.lint(documents)
    if errors(problems):
        raise DeployRefused(problems)
    now = clock.now()
    trees = {name: read_xml(content) for name, content in documents.items()}
    tables = {n: c for n, c in documents.items() if is_dmn(trees[n].getroot())}
    results = [_store_decision(session, name, content, trees[name].getroot(), now, actor)
               for name, content in tables.items()]
    session.flush()
    pins = newest_decisions(session)
    for name, content in documents.items():
        if name not in tables:
            results += _store_processes(session, name, content, trees[name].getroot(), pins, now, actor)
    changed = {r.process_id for r in results if r.kind == 'decision' and r.created}
    handled = {r.process_id for r in results if r.kind == 'process'}
    results += _repin(session, changed, handled, pins, now, actor)
    session.commit()
    return results


def _store_decision(session, name, content, root, now, actor) -> Deployed:
    decision = decisions(root)[0]  # lint allows one decision per file
    did, digest = decision.get('id'), _digest(content)
    latest = _latest(session, DecisionVersion, DecisionVersion.decision_id, did)
    if latest is not None and latest.content_hash == digest:
        return Deployed(did, latest.version, digest, False, 'decision')
    number = (latest.version if latest else 0) + 1
    session.add(DecisionVersion(decision_id=did, version=number, name=decision.get('name'),
                                content_hash=digest, file_name=os.path.basename(name),
                                dmn_xml=_text(content), deployed_at=now, deployed_by=actor))
    return Deployed(did, number, digest, True, 'decision')


def _store_processes(session, name, content, root, pins, now, actor) -> list[Deployed]:
    results, digest = [], _digest(content)
    for process in root.iter(f'{{{BPMN_NS}}}process'):
        if process.get('isExecutable') != 'true':
            continue
        pid = process.get('id')
        wanted = {ref: pins[ref] for ref in sorted(decision_refs(process)) if ref in pins}
        latest = _latest(session, ProcessVersion, ProcessVersion.process_id, pid)
        if latest is not None and latest.content_hash == digest and latest.decision_versions == wanted:
            results.append(Deployed(pid, latest.version, digest, False))
            continue
        results.append(_add_process_version(session, pid, process.get('name'), digest,
                                            os.path.basename(name), _text(content), wanted,
                                            latest, now, actor))
    return results


def _add_process_version(session, pid, name, digest, file_name, xml, pins, latest, now, actor):
    number = (latest.version if latest else 0) + 1
    session.add(ProcessVersion(process_id=pid, version=number, name=name, content_hash=digest,
                               file_name=file_name, bpmn_xml=xml, decision_versions=pins,
                               deployed_at=now, deployed_by=actor))
    return Deployed(pid, number, digest, True)


def _repin(session, changed: set, handled: set, pins, now, actor) -> list[Deployed]:
    """A new version (same XML) of every deployed process, not in this deploy, whose newest
    version uses a table that just changed."""
    if not changed:
        return []
    results = []
    newest = {}
    for version in session.scalars(select(ProcessVersion).order_by(ProcessVersion.version)):
        newest[version.process_id] = version
    for pid, latest in sorted(newest.items()):
        uses = set(latest.decision_versions or {})
        if pid in handled or not uses & changed:
            continue
        wanted = {ref: pins[ref] for ref in sorted(uses) if ref in pins}
        results.append(_add_process_version(session, pid, latest.name, latest.content_hash,
                                            latest.file_name, latest.bpmn_xml, wanted, latest,
                                            now, actor))
    return results
