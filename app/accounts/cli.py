"""`pqrsf users`: staff accounts from the command line. A password never travels in argv (it
would sit in the shell history and in `ps` for every local user): it is typed at a hidden prompt,
twice, or read from standard input when that is not a terminal (or with --password-stdin)."""
import sys

import click


@click.group(help='Cuentas del personal.')
def users():
    pass


def read_password(from_stdin: bool) -> str:
    """The first line of stdin (without its newline) or, on a terminal, a hidden prompt twice."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip('\n').rstrip('\r')
    first = click.prompt('Contraseña', hide_input=True, default='', show_default=False)
    second = click.prompt('Repita la contraseña', hide_input=True, default='', show_default=False)
    if first != second:
        raise click.ClickException('Las dos contraseñas no coinciden; no se creó la cuenta.')
    return first


@users.command('add', help='Crea una cuenta: pqrsf users add NOMBRE --role ROL. La contraseña se '
                           'pide dos veces sin mostrarla, o se lee de la entrada estándar '
                           '(echo … | pqrsf users add NOMBRE --role ROL --password-stdin).')
@click.argument('username')
@click.option('--role', 'roles', multiple=True, required=True, help='Rol (repetible).')
@click.option('--password-stdin', 'from_stdin', is_flag=True,
              help='Lee la contraseña de la primera línea de la entrada estándar.')
@click.option('--name', 'full_name', default=None)
@click.option('--email', default=None)
def users_add(username, roles, from_stdin, full_name, email):
    from app import create_app
    from app.accounts.login import AccountError, create_user
    password = read_password(from_stdin)
    with create_app().app_context():
        try:
            user = create_user(username, password, list(roles), full_name, email)
        except AccountError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Usuario {user.username} creado con roles {', '.join(user.roles)}.")


@users.command('token', help='Emite un token de API para el usuario (el anterior deja de servir).')
@click.argument('username')
def users_token(username):
    from sqlalchemy import select

    from app import create_app
    from app.accounts.login import issue_token
    from app.platform.extensions import db
    from app.accounts.models import User
    with create_app().app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise click.ClickException(f'No existe el usuario {username}.')
        click.echo(issue_token(user))


@users.command('area', help='Crea un área responsable: pqrsf users area CÓDIGO "Nombre" '
                            '[--member USUARIO[:SEDE]]... (sin sede: todas las sedes).')
@click.argument('code')
@click.argument('name')
@click.option('--member', 'member_specs', multiple=True, help='Miembro USUARIO o USUARIO:SEDE (repetible).')
def users_area(code, name, member_specs):
    from app import create_app
    from app.accounts.areas import add_member, create_area
    from app.platform.refusals import Invalid, Missing
    with create_app().app_context():
        try:
            area = create_area(code=code, name=name)
            for spec in member_specs:
                username, _sep, branch = spec.partition(':')
                add_member(code=area.code, username=username, branch=branch or None)
        except (Invalid, Missing) as refusal:
            raise click.ClickException(str(refusal.message)) from None
    click.echo(f'Área {area.code} ({area.name}) creada con {len(member_specs)} miembro(s).')
