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
PROCESS_OWNERS = {'dueno_proceso', 'admin'}  # deploy diagrams, edit forms, migrate cases
INDICATOR_READERS = {'auditor', 'admin', 'lider_proceso', 'dueno_proceso'}  # read the indicators
CLIENT_DATA = {'colaborador', 'lider_proceso', 'gerente_administracion', 'director_general',
               'recursos_humanos', 'admin'}  # see the client's contact data on a case
AREA_ADMINS = {'admin'}                      # manage the areas and who is in each

# Area groups: a task for an area has the candidate group `area:<code>` (the diagram writes
# `camunda:candidateGroups="${'area:' + responsible_area}"`). A member of the area for every
# branch holds the group `area:<code>`; a member for one branch holds `area:<code>:<branch>`,
# which a task of group `area:<code>` matches when its case is of that branch. When no active
# user is a member for the case's branch, the task is offered to AREA_FALLBACK instead, so no
# task is left without anybody who may take it.
AREA_PREFIX = 'area:'
AREA_FALLBACK = 'lider_proceso'
