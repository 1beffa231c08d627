"""Radicados: `PQRSF-YYYY-NNNNNN`, one sequence per year, unique under concurrent intake.

The counter row is incremented with `UPDATE … RETURNING` (a row lock on PostgreSQL, the write
lock on SQLite) in a transaction of its own, so two intakes never get the same number; a number
whose case then fails to start is simply skipped (gap-tolerant, as the procedure allows).
"""
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from app.engine.clock import clock
from app.cases.models import RadicadoSequence

PREFIX = 'PQRSF'


def next_radicado(session) -> str:
    year = clock.now().year
    for _ in range(3):
        number = session.execute(
            update(RadicadoSequence).where(RadicadoSequence.year == year)
            .values(last=RadicadoSequence.last + 1).returning(RadicadoSequence.last)).scalar()
        if number is not None:
            session.commit()
            return f'{PREFIX}-{year}-{number:06d}'
        try:
            session.execute(insert(RadicadoSequence).values(year=year, last=1))
            session.commit()
            return f'{PREFIX}-{year}-{1:06d}'
        except IntegrityError:  # another intake created the year's row first: increment it
            session.rollback()
    raise RuntimeError('no se pudo asignar un radicado')
