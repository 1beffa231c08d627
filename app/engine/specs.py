"""Deployed versions -> runnable specs, parsed once per process and kept in memory.

A case is pinned to the version of its process it started with and to the versions of every
process reachable through its call activities, resolved (newest of each) when the case starts.
Each process version brings the DMN table versions it was stored with (`decision_versions`).
"""
from functools import lru_cache

from sqlalchemy import func, select

from .errors import NotFound
from .models import DecisionVersion, ProcessVersion
from .parser import build_specs, called_elements, process_ids, read_xml


class SpecLibrary:
    def __init__(self, cache_size=64):
        self._load = lru_cache(maxsize=cache_size)(self._build)
        self._xml = {}
        self._tables = {}

    def latest(self, session, process_id: str) -> ProcessVersion:
        version = session.scalars(
            select(ProcessVersion).where(ProcessVersion.process_id == process_id)
            .order_by(ProcessVersion.version.desc()).limit(1)).first()
        if version is None:
            raise NotFound('process_not_deployed', process_id=process_id)
        return version

    def latest_versions(self, session) -> dict[str, ProcessVersion]:
        newest = (select(ProcessVersion.process_id, func.max(ProcessVersion.version).label('v'))
                  .group_by(ProcessVersion.process_id).subquery())
        rows = session.scalars(select(ProcessVersion).join(
            newest, (ProcessVersion.process_id == newest.c.process_id)
            & (ProcessVersion.version == newest.c.v)))
        return {row.process_id: row for row in rows}

    def resolve_called(self, session, version: ProcessVersion) -> dict[str, int]:
        """process id -> version id for everything `version` calls, transitively."""
        resolved, pending = {}, [version]
        defined = set()
        while pending:
            current = pending.pop()
            tree = read_xml(current.bpmn_xml)
            defined.update(process_ids(tree))
            for called in sorted(called_elements(tree)):
                if called in defined or called in resolved:
                    continue
                target = self.latest(session, called)
                resolved[called] = target.id
                pending.append(target)
        return resolved

    def load(self, session, version_id: int, called_versions: dict[str, int]):
        """(spec, subprocess_specs) for a case; parsed once per distinct combination."""
        key = (version_id, tuple(sorted(set(called_versions.values()))))
        for vid in key[1] + (version_id,):
            if vid not in self._xml:
                row = session.get(ProcessVersion, vid)
                tables = tuple(sorted((row.decision_versions or {}).values()))
                for table_id in tables:
                    if table_id not in self._tables:
                        table = session.get(DecisionVersion, table_id)
                        self._tables[table_id] = (table.file_name, table.dmn_xml)
                # published last: another thread that finds the version finds its tables too
                self._xml[vid] = (row.process_id, row.file_name, row.bpmn_xml, tables)
        return self._load(key)

    def _build(self, key):
        version_id, called_ids = key
        process_id, file_name, xml, tables = self._xml[version_id]
        documents = {f'{version_id}:{file_name}': xml}
        for vid in called_ids:
            _, name, other, more = self._xml[vid]
            documents[f'{vid}:{name}'] = other
            tables += more
        for table_id in sorted(set(tables)):
            name, dmn = self._tables[table_id]
            documents[f'dmn{table_id}:{name}'] = dmn
        return build_specs(documents, process_id)
