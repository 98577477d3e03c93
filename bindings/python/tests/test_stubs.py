"""The type stubs describe the native module as built (no stale or missing
names), and the package ships its py.typed marker."""

from __future__ import annotations

import ast
import inspect
import pathlib

import libstix
from libstix import _native

PKG = pathlib.Path(libstix.__file__).parent


def stub_tree() -> ast.Module:
    return ast.parse((PKG / "_native.pyi").read_text())


def test_py_typed_marker_is_shipped():
    assert (PKG / "py.typed").exists()


def test_stub_names_match_the_module():
    tree = stub_tree()
    stubbed = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    public = {name for name, v in vars(_native).items() if not name.startswith("_") and (inspect.isclass(v) or callable(v))}
    assert stubbed == public


def test_stub_members_exist_on_classes():
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(_native, node.name)
        for member in node.body:
            if isinstance(member, ast.FunctionDef) and member.name not in {"__init__", "__getattr__"}:
                assert hasattr(cls, member.name), f"{node.name}.{member.name} in stub but not in module"
