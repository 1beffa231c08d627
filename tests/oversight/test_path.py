"""The executed path of a case, drawn from its history."""
from tests.support import flow
from tests.support.pqrsf import classify, deploy_processes, looped_and_escalated_case, register


def _by_id(process):
    return {e['id']: e for e in process['elements']}, {f['id']: f['count'] for f in process['flows']}


def test_path_counts_loops_marks_escalation_and_only_taken_flows(app, mailbox):
    from app.engine.path import case_path
    deploy_processes()
    case_id, _ = looped_and_escalated_case(app)
    path = flow.read(lambda s: case_path(s, case_id))
    processes = {p['process_id']: p for p in path['processes']}
    assert set(processes) == {'pqrsf', 'pqrsf_attention', 'improvement_opportunity', 'escalation',
                              'client_communication', 'nonconformity_treatment'}  # every diagram it may call

    main, main_flows = _by_id(processes['pqrsf'])
    assert main['attention']['state'] == 'completed' and main['attention']['calls'] == 'pqrsf_attention'
    assert main['rejection_escalation']['state'] == 'active' and main['rejection_escalation']['calls'] == 'escalation'
    assert main_flows['f_rejected'] == 1 and 'f_accepted' not in main_flows  # untaken branch
    assert 'f_is_felicitacion' not in main_flows and main_flows['f_is_pqrs'] == 1
    assert main['overdue_5_days']['state'] == 'cancelled'   # the decision came first

    attention, attention_flows = _by_id(processes['pqrsf_attention'])
    assert attention['classify']['state'] == 'completed' and attention['classify']['runs'] == 1
    assert attention['improvement']['calls'] == 'improvement_opportunity'
    assert attention_flows['fa_is_pqrs'] == 1 and 'fa_is_felicitacion' not in attention_flows

    om, om_flows = _by_id(processes['improvement_opportunity'])
    assert om['analyse_causes']['runs'] == 2 and om['verify_effectiveness']['runs'] == 2
    assert om['do_action']['runs'] == 4  # two actions, twice
    assert om['follow_up_actions']['runs'] == 4  # a multi-instance element runs once per instance
    assert om_flows['f_not_effective'] == 1 and om_flows['f_effective'] == 1
    assert om_flows['f_om_planned'] == 2

    escalation, _ = _by_id(processes['escalation'])
    assert escalation['level_1_review']['state'] == 'active'
    assert escalation['level_1_review']['last']['kind'] == 'task_created'

    first_verify = next(e['id'] for e in path['events'] if e['kind'] == 'task_completed'
                        and e['element_id'] == 'verify_effectiveness')
    earlier = flow.read(lambda s: case_path(s, case_id, as_of=first_verify))
    om_then, _ = _by_id({p['process_id']: p for p in earlier['processes']}['improvement_opportunity'])
    assert om_then['analyse_causes']['runs'] == 1 and om_then['verify_effectiveness']['runs'] == 1


def test_path_api_and_page(app, mailbox):
    from tests.support.web import demo_users, login
    from tests.support.web import basic
    deploy_processes()
    demo_users()
    case_id, radicado = register(app)
    classify(app, case_id)
    api = app.test_client()
    body = api.get(f'/api/cases/{radicado}/path', headers=basic('auditor')).get_json()
    processes = {p['process_id']: {e['id']: e for e in p['elements']} for p in body['processes']}
    assert processes['pqrsf']['attention']['state'] == 'active'
    attention = processes['pqrsf_attention']
    assert attention['classify']['state'] == 'completed' and attention['improvement']['state'] == 'active'
    first = body['events'][0]['id']
    replay = api.get(f'/api/cases/{radicado}/path?as_of={first}', headers=basic('auditor')).get_json()
    assert replay['as_of'] == first and all(e['runs'] == 0 for p in replay['processes'] for e in p['elements'])
    client = login(app.test_client(), 'auditor')
    assert client.get(f'/casos/{radicado}/recorrido').status_code == 200
    assert client.get(f'/casos/{radicado}/recorrido.json').get_json()['case_id'] == case_id
    version_id = body['processes'][0]['version_id']
    assert client.get(f'/casos/{radicado}/diagrama/{version_id}.bpmn').status_code == 200
    assert client.get(f'/casos/{radicado}/diagrama/99999.bpmn').status_code == 404
