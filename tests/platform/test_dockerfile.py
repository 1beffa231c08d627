"""The image runs the app without root (issue 14, least privilege)."""
from tests.support.flow import ROOT


def _final_stage():
    lines = (ROOT / 'Dockerfile').read_text(encoding='utf-8').splitlines()
    starts = [i for i, line in enumerate(lines) if line.upper().startswith('FROM ')]
    return [line.strip() for line in lines[starts[-1]:]]


def test_the_image_switches_to_a_numeric_non_root_user_before_it_starts():
    stage = _final_stage()
    users = [line.split(None, 1)[1] for line in stage if line.upper().startswith('USER ')]
    assert users, 'the final stage never leaves root'
    uid, _, gid = users[-1].partition(':')
    assert uid.isdigit() and int(uid) != 0, users[-1]
    assert not gid or (gid.isdigit() and int(gid) != 0), users[-1]
    last_user = max(i for i, line in enumerate(stage) if line.upper().startswith('USER '))
    assert not [line for line in stage[last_user:] if line.upper().startswith('RUN ')], \
        'nothing runs as root after the switch, and nothing is built by the app user'
    assert any(line.upper().startswith('CMD ') for line in stage[last_user:])
