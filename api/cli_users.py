"""`dutygraph users …`: API keys and roles for the web application."""

from __future__ import annotations

import contextlib
import getpass
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api.console import console

if TYPE_CHECKING:
    from api.users import KeyStore

users_app = typer.Typer(help="API keys and roles (reader / adjudicator / reviewer / admin) for the web application.",
                        no_args_is_help=True)


@contextlib.contextmanager
def _keys() -> Iterator[KeyStore]:
    """The key store, its changes written to the graph's change log under the command's caller."""
    from api.users import KeyStore
    from graph.settings import get_settings
    from graph.store import open_store

    s = get_settings()
    with open_store(s) as store:
        keys = KeyStore.for_data_dir(s.data_dir, store.changelog)
        try:
            yield keys
        finally:
            keys.close()


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Who holds the key: a person or a calling system.")],
    role: Annotated[str, typer.Option(help="reader (read only), adjudicator (disputes, rulings), reviewer (also approves or returns a case on its review ladder), admin (also ingest, reopens decided cases).")] = "reader",
) -> None:
    """Create a user and print its API key once (only its hash is kept)."""
    with _keys() as keys:
        key = keys.add(name, role, _actor())  # type: ignore[arg-type]
    console.print(f"user [bold]{name}[/] ({role}) created. API key (shown once, keep it safe):")
    print(key)


@users_app.command("rotate")
def rotate(name: Annotated[str, typer.Argument(help="The user whose key to replace.")]) -> None:
    """Replace a user's key; the old one stops working at once."""
    with _keys() as keys:
        key = keys.rotate(name, _actor())
    console.print(f"new API key for [bold]{name}[/] (shown once):")
    print(key)


@users_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The user to disable.")]) -> None:
    """Disable a user's key (the user stays listed, with the revocation date)."""
    with _keys() as keys:
        keys.revoke(name, _actor())
    console.print(f"user [bold]{name}[/] revoked")


@users_app.command("role")
def role(
    name: Annotated[str, typer.Argument(help="The user whose role to change.")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="reader, adjudicator, reviewer or admin.")],
) -> None:
    """Give a user another role; the key stays the same."""
    with _keys() as keys:
        keys.set_role(name, new_role, _actor())  # type: ignore[arg-type]
    console.print(f"user [bold]{name}[/] is now {new_role}")


@users_app.command("list")
def list_users(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """Every user, role and state (keys are never shown)."""
    from api.users import KeyStore
    from graph.settings import get_settings

    keys = KeyStore.for_data_dir(get_settings().data_dir)  # a read: no change log needed, no graph started
    users = keys.list()
    keys.close()
    if as_json:
        print(json.dumps([u.model_dump() for u in users], ensure_ascii=False, indent=2))
        return
    t = Table(title="users")
    for col in ("name", "role", "key", "created", "revoked"):
        t.add_column(col)
    for u in users:
        t.add_row(u.name, u.role, u.key_hint, u.created_at, u.revoked_at or "")
    console.print(t)
