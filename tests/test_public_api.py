"""Public API hygiene: what is public is exported, documented, and in the API reference.

The public surface is ``tiktok.__all__`` plus the modules the API reference
(docs/api.rst) declares with ``.. module::`` / ``.. automodule::``; every other
module must start with ``_``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set, Tuple

import pytest

import tiktok

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.rst"

# reST directives that document one object: ``.. autoclass:: Name`` / ``.. class:: Name``.
OBJECT_DIRECTIVE = re.compile(
    r"^\s*\.\. (?:auto)?(?:class|exception|function|data|attribute|method)::\s+"
    r"(?P<name>[\w.]+)"
)
MODULE_DIRECTIVE = re.compile(r"^\s*\.\. (?:auto)?module::\s+(?P<name>[\w.]+)")
CURRENT_MODULE = re.compile(r"^\s*\.\. currentmodule::\s+(?P<name>[\w.]+)")


def api_reference() -> Tuple[Set[str], Set[str]]:
    """(fully qualified names documented, modules declared) in docs/api.rst."""
    objects: Set[str] = set()
    modules: Set[str] = set()
    current = ""
    parents: List[Tuple[int, str]] = []  # (indent, name) of enclosing object directives
    for line in API_PAGE.read_text().splitlines():
        indent = len(line) - len(line.lstrip())
        if line.strip():
            parents = [(i, name) for i, name in parents if i < indent]
        if match := MODULE_DIRECTIVE.match(line):
            current = match["name"]
            modules.add(current)
        elif match := CURRENT_MODULE.match(line):
            current = match["name"]
        elif match := OBJECT_DIRECTIVE.match(line):
            name = match["name"]
            if parents:  # nested: ``.. attribute:: cursor`` inside ``.. autoclass:: Pager``
                name = f"{parents[-1][1]}.{name}"
            elif not name.startswith("tiktok.") and current:
                name = f"{current}.{name}"
            objects.add(name)
            parents.append((indent, name))
    return objects, modules


def public_modules() -> List[str]:
    """Modules whose names the API reference documents, with their ``__all__``."""
    return sorted(api_reference()[1])


def all_modules() -> Iterator[str]:
    yield "tiktok"
    for info in pkgutil.walk_packages(tiktok.__path__, prefix="tiktok."):
        yield info.name


def is_private(module_name: str) -> bool:
    return any(part.startswith("_") for part in module_name.split("."))


def own_doc(obj: Any) -> str:
    """The object's own docstring, not one inherited from a base class."""
    if isinstance(obj, type):
        return (vars(obj).get("__doc__") or "").strip()
    return (getattr(obj, "__doc__", None) or "").strip()


def is_data(obj: Any) -> bool:
    # Constants and type aliases carry no docstring of their own; the reference describes them.
    if isinstance(obj, (str, int, float, tuple)) or type(obj).__name__ == "NewType":
        return True
    return type(obj).__module__ == "typing"  # an alias such as Union[int, Literal["end"]]


def public_objects() -> Dict[str, Any]:
    """Every public name of every public module, by qualified name."""
    found: Dict[str, Any] = {}
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            found[f"{module_name}.{name}"] = getattr(module, name)
    return found


def public_methods(cls: type) -> Iterator[Tuple[str, Any]]:
    """Methods and properties a class of ours defines itself, not starting with ``_``."""
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if isinstance(member, property):
            function = member.fget
        elif isinstance(member, types.FunctionType):
            function = member
        else:
            continue  # attributes, enum members, attrs fields
        if getattr(function, "__module__", "").startswith("tiktok"):
            yield name, member


# -- tiktok.__all__ ---------------------------------------------------------------


def test_all_names_are_importable_from_tiktok() -> None:
    assert len(tiktok.__all__) == len(set(tiktok.__all__)), "duplicates in tiktok.__all__"
    missing = [name for name in tiktok.__all__ if not hasattr(tiktok, name)]
    assert not missing, f"in tiktok.__all__ but not importable: {missing}"
    namespace: Dict[str, Any] = {}
    exec("from tiktok import *", namespace)
    assert set(tiktok.__all__) <= set(namespace)


def test_every_public_import_of_tiktok_is_in_all() -> None:
    # A name imported into tiktok/__init__.py for users but left out of __all__.
    forgotten = [
        name
        # A copy: getattr below imports names on first use (PEP 562), adding to the dict.
        for name, value in list(vars(tiktok).items())
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in tiktok.__all__
        # Another name for a class listed once (tiktok.Tag is tiktok.TextExtra).
        and not any(getattr(tiktok, listed) is value for listed in tiktok.__all__)
    ]
    assert not forgotten, f"public in tiktok but not in tiktok.__all__: {forgotten}"


def test_what_type_checkers_see_is_what_is_imported_at_run_time() -> None:
    # tiktok/__init__.py names its exports twice: imports for type checkers, and the
    # table its __getattr__ imports from on first use. They must say the same.
    tree = ast.parse(Path(tiktok.__file__).read_text())
    (block,) = [node for node in tree.body if isinstance(node, ast.If)]
    for_checkers = {
        ("." * node.level + (node.module or ""), alias.asname or alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    at_run_time = {(module, name) for module, names in tiktok._EXPORTS.items() for name in names}
    old_names = {(module, name) for name, module in tiktok._RENAMED.items()}
    assert for_checkers == at_run_time | old_names
    assert set(tiktok.__all__) - {"__version__"} <= {name for _, name in at_run_time}


def test_import_tiktok_imports_nothing_until_a_name_is_used() -> None:
    code = (
        "import sys, tiktok\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tiktok', 'requests')))\n"
        "tiktok.apps, tiktok.Post\n"
        "print('tiktok.apps' in sys.modules, 'tiktok.client' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split("\n")[:2] == ["['tiktok']", "True False"]
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        tiktok.nothing  # noqa: B018


def test_the_api_reference_declares_the_public_modules() -> None:
    modules = public_modules()
    assert "tiktok" in modules
    for name in modules:
        module = importlib.import_module(name)
        assert hasattr(module, "__all__"), f"{name} is public but has no __all__"


# -- documentation ----------------------------------------------------------------


def test_every_public_name_is_in_the_api_reference() -> None:
    documented, _ = api_reference()
    missing = [
        qualified
        for qualified, obj in public_objects().items()
        if qualified not in documented
        # A name re-exported from tiktok (tiktok.models.Post is tiktok.Post) counts once.
        and not (
            f"tiktok.{qualified.rpartition('.')[2]}" in documented
            and getattr(tiktok, qualified.rpartition(".")[2], None) is obj
        )
    ]
    assert not missing, f"public but not in docs/api.rst: {missing}"


_MISSING = object()


def resolve(qualified: str) -> Any:
    """The object a dotted name refers to (a module, then attributes), or ``_MISSING``."""
    parts = qualified.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            owner, obj = obj, getattr(obj, part, _MISSING)
            if obj is _MISSING and is_instance_attribute(owner, part):
                obj = None  # set in __init__ (``self.cursor = ...``): exists on instances
        return obj
    return _MISSING


def is_instance_attribute(owner: Any, name: str) -> bool:
    init = getattr(owner, "__init__", None) if isinstance(owner, type) else None
    try:
        source = inspect.getsource(init) if init is not None else ""
    except (OSError, TypeError):
        return False
    return re.search(rf"self\.{name}\s*(:[^=\n]+)?=", source) is not None


def test_the_api_reference_documents_only_what_exists() -> None:
    documented, _ = api_reference()
    stale = sorted(name for name in documented if resolve(name) is _MISSING)
    assert not stale, f"docs/api.rst documents names that do not exist: {stale}"


def test_every_public_name_has_a_docstring() -> None:
    undocumented = [
        qualified
        for qualified, obj in public_objects().items()
        if not is_data(obj) and not own_doc(obj)
    ]
    assert not undocumented, f"public names without a docstring: {sorted(undocumented)}"


def documented_classes() -> List[type]:
    classes = {obj for obj in public_objects().values() if isinstance(obj, type)}
    return sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_public_method_has_a_docstring() -> None:
    undocumented = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in documented_classes()
        for name, member in public_methods(cls)
        if not own_doc(member.fget if isinstance(member, property) else member)
    ]
    assert not undocumented, f"public methods without a docstring: {sorted(undocumented)}"


def test_the_client_namespaces_are_documented_classes() -> None:
    # client.users, client.posts...: their classes must be in the reference.
    documented, _ = api_reference()
    client = tiktok.Client(
        tiktok.Device(device_id="1", iid="2", openudid="3", fp="4"), lambda u, t, d: u + "&as=1"
    )
    namespaces = {
        name: type(value)
        for name, value in vars(client).items()
        if not name.startswith("_") and type(value).__module__.startswith("tiktok.resources")
    }
    assert set(namespaces) >= {"users", "posts", "follows", "live", "feed", "hashtags", "stickers"}
    missing = [
        f"client.{name} ({cls.__name__})"
        for name, cls in namespaces.items()
        if f"tiktok.resources.{cls.__name__}" not in documented
    ]
    assert not missing, f"namespaces missing from docs/api.rst: {missing}"


# -- module names -----------------------------------------------------------------


def test_modules_are_public_or_start_with_an_underscore() -> None:
    public = set(public_modules())
    offenders = [
        name
        for name in all_modules()
        if not is_private(name) and name not in public and name != "tiktok.__main__"
    ]
    assert not offenders, (
        "modules that are neither declared public in docs/api.rst nor named with a leading "
        f"underscore: {offenders}"
    )


# -- names --------------------------------------------------------------------------


def test_every_public_exception_s_name_ends_in_error() -> None:
    exceptions = {
        qualified: obj
        for qualified, obj in public_objects().items()
        if isinstance(obj, type) and issubclass(obj, BaseException)
    }
    assert "tiktok.TikTokError" in exceptions
    wrong = [
        qualified for qualified, obj in exceptions.items() if not obj.__name__.endswith("Error")
    ]
    assert not wrong, f"exceptions whose name does not end in Error: {wrong}"


def test_every_exception_class_of_the_package_ends_in_error() -> None:
    # Private ones too: a reader of the code meets them in every except clause.
    found = {}
    for module_name in all_modules():
        if module_name.endswith("__main__"):  # importing it runs the command line
            continue
        for obj in vars(importlib.import_module(module_name)).values():
            if isinstance(obj, type) and issubclass(obj, BaseException):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    ours = {name: obj for name, obj in found.items() if name.startswith("tiktok")}
    assert "tiktok._media._UrlFailedError" in ours
    wrong = sorted(name for name, obj in ours.items() if not obj.__name__.endswith("Error"))
    assert not wrong, f"exceptions whose name does not end in Error: {wrong}"


RENAMED = [
    ("tiktok", "BodyTooLarge", "BodyTooLargeError"),
    ("tiktok", "CaptchaRequired", "CaptchaRequiredError"),
    ("tiktok", "DeadlineExceeded", "DeadlineExceededError"),
    ("tiktok", "LoginRequired", "LoginRequiredError"),
    ("tiktok.errors", "BodyTooLarge", "BodyTooLargeError"),
    ("tiktok.errors", "CaptchaRequired", "CaptchaRequiredError"),
    ("tiktok.errors", "DeadlineExceeded", "DeadlineExceededError"),
    ("tiktok.errors", "LoginRequired", "LoginRequiredError"),
    ("tiktok.crawl", "Conflict", "ConflictError"),
]


@pytest.mark.parametrize(("module_name", "old", "new"), RENAMED)
def test_an_old_name_still_works_and_warns_at_every_use(
    module_name: str, old: str, new: str
) -> None:
    module = importlib.import_module(module_name)
    for _ in range(2):  # not only the first use
        with pytest.warns(DeprecationWarning) as caught:
            value = getattr(module, old)
        assert value is getattr(module, new)
        (warning,) = caught
        assert str(warning.message) == (
            f"{module_name}.{old} is deprecated and goes in the next release: "
            f"use {module_name}.{new}"
        )
        assert warning.filename == __file__  # it points at the code that used the name
    assert old not in module.__all__ and old not in vars(module)


def test_from_tiktok_import_an_old_name_warns() -> None:
    code = "from tiktok import CaptchaRequired\ntry:\n    raise CaptchaRequired('x')\nexcept tiktok.CaptchaRequiredError:\n    pass\n"
    with pytest.warns(DeprecationWarning, match="tiktok.CaptchaRequired is deprecated"):
        exec(code, {"tiktok": tiktok})
