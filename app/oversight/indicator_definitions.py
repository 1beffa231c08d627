"""What each indicator means, as the page and the CSV explain it (Spanish msgids; English in
messages.po). The exact rules are in the docstring of `app.oversight.indicators`."""
from app.platform.i18n import N_

NO_CAUSE = N_('Sin causa registrada')  # a non-conformity recorded before causes were kept

DEFINITIONS = [
    ('period', N_('Periodo'),
     N_('Un caso pertenece al periodo por su fecha de radicación (hora local de la organización), '
        'desde las 00:00 del primer día hasta el final del último día. Las demás cifras son de '
        'esos casos, sin importar cuándo ocurrió el cierre, la respuesta o la encuesta.')),
    ('by_month', N_('Casos por mes'),
     N_('Número de casos por mes (AAAA-MM) de su fecha de radicación, en hora local.')),
    ('resolution', N_('Tiempo promedio de resolución'),
     N_('Para cada caso con respuesta: días hábiles después del día de radicación hasta el día en '
        'que se envió la decisión al cliente (incluido), menos los días hábiles en que el término '
        'estuvo suspendido esperando información del cliente. No cuentan fines de semana, festivos '
        'de Colombia ni días no laborables. Promedio por tipo de solicitud y total.')),
    ('timeliness', N_('Respondidos a tiempo (meta interna)'),
     N_('Un caso tiene respuesta cuando se le envió la decisión al cliente. Está a tiempo si la '
        'primera respuesta salió a más tardar en la fecha meta de la organización (con prórroga o '
        'suspensión, si las hubo). Porcentaje = a tiempo / casos con respuesta; los casos aún sin '
        'respuesta se muestran aparte.')),
    ('legal_timeliness', N_('Respondidos dentro del término legal'),
     N_('Como el anterior, contra el término legal del caso (Ley 1755 de 2015 o Ley 1480 de 2011, '
        'con prórroga o suspensión, si las hubo). Los casos sin término legal registrado no entran '
        'en este porcentaje.')),
    ('escalations', N_('Escalamientos'),
     N_('Casos escalados a la gerencia por vencimiento o por rechazo del cliente (al menos una vez), '
        'y número total de escalamientos.')),
    ('nonconformities', N_('No conformidades'),
     N_('Servicios No Conformes (SER-PD-03) registrados en los casos del periodo, por causa '
        '(SER-PD-01 4.12), y cuántos tienen su tratamiento registrado (corrección, responsable y '
        'nota de cierre).')),
    ('satisfaction', N_('Satisfacción'),
     N_('Porcentaje de encuestas con calificación general de 4 o 5 (de 1 a 5), calificación promedio '
        'y número de encuestas respondidas. Por criterio: promedio y porcentaje de 4 o 5 de las '
        'encuestas que lo calificaron.')),
    ('retention', N_('Retención de clientes'),
     N_('De los clientes distintos con un caso en el periodo (identificados por su documento o, sin '
        'él, por su correo; los casos anónimos no cuentan), el porcentaje que radicó al menos otro '
        'caso en el mismo periodo.')),
]
