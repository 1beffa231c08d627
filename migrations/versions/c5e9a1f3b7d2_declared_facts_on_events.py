"""declared facts on events: milestone and public message

Reports filter on what the element declared in its diagram (`camunda:properties`), copied on
the event when it is written, instead of on element ids written in Python.

Events written before carry no facts: they are filled in here with the mapping the code used
until now (element ids of the shipped diagrams as they were), so the timeline and indicators of
existing cases do not change. These ids are history, frozen in this migration, not code.

Revision ID: c5e9a1f3b7d2
Revises: c5e2a8d4f1b7
Create Date: 2026-12-02 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c5e9a1f3b7d2'
down_revision = 'c5e2a8d4f1b7'
branch_labels = None
depends_on = None

# (kind, element id) -> (milestone, Spanish public message, English public message)
FORMER = {
    ('service_completed', 'send_acknowledgement'): (None, 'Le enviamos el acuse de recibo.', 'We sent you the acknowledgement of receipt.'),
    ('service_completed', 'request_information'): (None, 'Le pedimos información adicional.', 'We asked you for additional information.'),
    ('message_received', 'information_received'): (None, 'Recibimos la información que envió.', 'We received the information you sent.'),
    ('call_started', 'improvement'): (None, 'Su caso está en análisis.', 'Your case is under review.'),
    ('service_completed', 'send_progress_update'): (None, 'Le informamos el avance de su caso.', 'We sent you an update on your case.'),
    ('call_started', 'overdue_escalation'): ('escalated', 'Su caso fue escalado a la gerencia.', 'Your case was escalated to management.'),
    ('service_completed', 'send_decision'): ('answer_sent', 'Le enviamos nuestra respuesta.', 'We sent you our answer.'),
    ('message_received', 'answer_received'): (None, 'Recibimos su respuesta a nuestra decisión.', 'We received your reply to our decision.'),
    ('call_started', 'rejection_escalation'): ('escalated', 'Su caso fue escalado a la gerencia.', 'Your case was escalated to management.'),
    ('service_completed', 'send_final_decision'): ('answer_sent', 'Le enviamos la decisión final.', 'We sent you the final decision.'),
    ('service_completed', 'record_late_answer'): ('nonconformity', None, None),
    ('element_completed', 'pqrsf_received'): (None, 'Recibimos su solicitud.', 'We received your request.'),
    ('element_completed', 'closed'): (None, 'Caso cerrado.', 'Case closed.'),
}


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('milestone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('public_message', sa.JSON(none_as_null=True), nullable=True))
        batch_op.create_index('ix_event_milestone', ['milestone', 'case_id'], unique=False)
    event = sa.table('event', sa.column('kind'), sa.column('element_id'), sa.column('process_id'),
                     sa.column('milestone'), sa.column('public_message', sa.JSON(none_as_null=True)))
    for (kind, element_id), (milestone, spanish, english) in FORMER.items():
        message = {'es': spanish, 'en': english} if spanish else None
        op.execute(event.update().where(event.c.kind == kind, event.c.element_id == element_id,
                                        event.c.process_id == 'pqrsf')
                   .values(milestone=milestone, public_message=message))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_milestone')
        batch_op.drop_column('public_message')
        batch_op.drop_column('milestone')
