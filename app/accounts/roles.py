"""Roles: the lanes / candidate groups of the diagrams, plus the roles that act outside them."""

ROLES = {
    'colaborador': 'Colaborador',
    'lider_proceso': 'Líder del proceso',
    'responsable_accion': 'Responsable de acción',
    'gerente_administracion': 'Gerente de Administración',
    'director_general': 'Director General',
    'recursos_humanos': 'Recursos Humanos',
    'dueno_proceso': 'Dueño del proceso',
    'auditor': 'Auditor',
    'admin': 'Administrador',
}
LEADS = {'lider_proceso', 'admin'}           # may reassign any task
INTAKE = {'colaborador', 'lider_proceso'}    # may register cases from any channel
OWNERS = {'dueno_proceso', 'admin'}         # deploy diagrams, migrate running cases
CLIENT_DATA = {'colaborador', 'lider_proceso', 'gerente_administracion', 'director_general',
               'recursos_humanos', 'admin'}  # see the client's contact data on a case
