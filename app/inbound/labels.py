"""The received emails' words, said once: their outcomes, why one was ignored, what a reply
was delivered as or why not (Spanish msgids, translated where shown)."""
from app.platform.i18n import N_

STATES = {'received': N_('Recibido'), 'processing': N_('En proceso'), 'draft': N_('Borrador'),
          'registering': N_('Registrándose'), 'registered': N_('Registrado como caso'),
          'discarded': N_('Descartado'), 'ignored': N_('Ignorado'), 'case_reply': N_('Respuesta a un caso')}
VIEW_LABELS = {'borradores': N_('Borradores'), 'respuestas': N_('Respuestas a casos'),
               'registrados': N_('Registrados'), 'descartados': N_('Descartados'),
               'ignorados': N_('Ignorados'), 'todos': N_('Todos')}
IGNORED_REASONS = {
    'auto_submitted': N_('Respuesta automática (Auto-Submitted)'),
    'autoreply': N_('Respuesta automática (X-Autoreply)'),
    'precedence': N_('Correo masivo o automático (Precedence)'),
    'list': N_('Lista de correo (List-Id)'),
    'null_sender': N_('Sin remitente de retorno (aviso de entrega)'),
    'own_address': N_('Enviado desde nuestra propia dirección'),
    'flood': N_('Demasiados correos del mismo remitente en una hora')}
DELIVERED = {'information': N_('Entregado como la información solicitada'),
             'answer': N_('Entregado como la respuesta del cliente a la decisión')}
NOT_DELIVERED = {'unknown_sender': N_('Remitente distinto del correo del cliente: solo se registró'),
                 'not_awaited': N_('El caso no esperaba un mensaje del cliente: solo se registró'),
                 'ambiguous_answer': N_('La primera línea no dice si acepta o no: registre la respuesta con el formulario')}
