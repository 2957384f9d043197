"""The source-kind registry (ingest.sources) is the one table the CLI, uploads and the upload route read."""

from __future__ import annotations

import importlib
import inspect
import typing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.web.routes.ingest import Kind
from graph.errors import IngestError
from ingest import upload
from ingest.departments import load_departments
from ingest.dutylists import load_duty_list
from ingest.mandates import load_mandates
from ingest.sources import SOURCES, SourceOptions

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"


def test_every_kind_has_a_loader_that_takes_its_options() -> None:
    for kind in SOURCES.values():
        module, name = kind.loader.split(":")
        params = inspect.signature(getattr(importlib.import_module(module), name)).parameters
        assert set(kind.options.values()) <= set(params), kind.name
        assert set(kind.options) <= set(SourceOptions.model_fields), kind.name
        assert kind.extensions and all(e.startswith(".") for e in kind.extensions), kind.name


def test_cli_uploads_and_route_list_the_registry_kinds() -> None:
    assert list(upload.KINDS) == list(SOURCES)
    assert {k: v for k, v in upload.KINDS.items()} == {k: s.extensions for k, s in SOURCES.items()}
    assert list(typing.get_args(Kind)) == list(SOURCES)
    out = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    for kind in SOURCES:
        assert kind in out.output


def test_a_bad_option_exits_2_before_anything_is_read(tmp_path) -> None:
    out = CliRunner().invoke(app, ["ingest", "dutylist", str(tmp_path / "absent.csv"), "--effective", "2024-13-40"])
    assert out.exit_code == 2 and "bad option" in out.output


@pytest.mark.parametrize("load", [load_departments, load_mandates, load_duty_list])
def test_a_missing_source_is_an_error_naming_it_before_anything_is_written(load, store, tmp_path) -> None:
    load_departments(store, SAMPLE / "departments.yaml")
    before = store.counts()
    with pytest.raises(IngestError, match=r"absent\.xlsx: file not found"):
        load(store, tmp_path / "absent.xlsx")
    assert store.counts() == before
