"""The import rule: the packages of supervise/ import only downwards, and no module uses another
module's private names (``_name``).

Every import counts, at module level or inside a function. Imports under ``if TYPE_CHECKING:`` run
only for the type checker and are exempt (as import-linter's ``exclude_type_checking_imports``).
When a lower package needs something from a higher one, turn the dependency around: the higher
package registers it (a template global, an upload owner check) or the query moves up to it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "supervise"

# Lowest first. A module may import from its own package and from the packages of lower layers;
# packages that share a layer are independent of each other. "supervise" is supervise/__init__.py.
LAYERS: list[set[str]] = [
    {"extensions"},  # db, login manager, … created unbound
    {"core"},  # what every domain shares: permissions, errors, the workflow engine, dates, xlsx, pdf
    {"org", "uploads"},  # townships, offices, stations, deputies; uploaded files
    {"accounts"},  # users, bound to a township and an office or a deputy
    {"lists", "ballots"},  # the three lists and their items; the ballot engine (knows no list)
    {"inspections", "progress", "evaluation", "livelihood"},  # built on items; proposals for items
    {"sheets", "notices", "meetings"},  # sheets cite findings; notices and escalation read progress
    {
        "home",
        "public",
        "demo",
        "statistics",
        "api",
    },  # pages across domains; the demo data; the county's view; the JSON API
    {"cli"},  # flask commands, the demo loader among them
    {"supervise"},  # create_app, which registers everything
]
LAYER_OF = {package: index for index, layer in enumerate(LAYERS) for package in layer}


def module_name(path: Path) -> str:
    """supervise/lists/views.py → supervise.lists.views; supervise/lists/__init__.py → supervise.lists."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """The layered package a module belongs to: supervise.lists.views → lists, supervise → supervise."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def is_module(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of import nodes inside ``if TYPE_CHECKING:`` blocks."""
    exempt = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                exempt.update(id(n) for child in node.body for n in ast.walk(child))
    return exempt


def imports_of(module: str, source: str, is_package: bool = False):
    """(line, imported module, names taken from it) for every import of a supervise module."""
    tree = ast.parse(source)
    exempt = _type_checking_only(tree)
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "supervise":
                    yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] == "supervise":
                yield node.lineno, target, [alias.name for alias in node.names]


def layer_violations(path: str, source: str) -> list[str]:
    """Imports from this module (path relative to the repository) to a higher or sibling package."""
    module = module_name(ROOT / path)
    own = package_of(module)
    found = []
    for line, target, names in imports_of(module, source, path.endswith("__init__.py")):
        # `from .. import lists` names a submodule: judge it by its own package.
        targets = [f"{target}.{n}" if is_module(f"{target}.{n}") else target for n in names] or [target]
        for imported in dict.fromkeys(targets):
            other = package_of(imported)
            if other == own:
                continue
            if other not in LAYER_OF or own not in LAYER_OF:
                found.append(f"{path}:{line} imports {imported}: add its package to LAYERS")
            elif LAYER_OF[other] >= LAYER_OF[own]:
                where = "a sibling" if LAYER_OF[other] == LAYER_OF[own] else "a higher layer"
                found.append(f"{path}:{line} {own} imports {imported}, {where}")
    return found


def private_uses(path: str, source: str) -> list[str]:
    """Names starting with _ taken from another supervise module, by import or module attribute."""
    module = module_name(ROOT / path)
    found = []
    modules_bound: set[str] = set()  # local names bound to supervise modules (operations, excel, …)
    for line, target, names in imports_of(module, source, path.endswith("__init__.py")):
        for name in names:
            if is_module(f"{target}.{name}"):
                modules_bound.add(name)
            elif is_private(name) and target != module:
                found.append(f"{path}:{line} imports {name} from {target}")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.alias) and node.asname and is_module(node.name):
            modules_bound.add(node.asname)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules_bound
            and is_private(node.attr)
        ):
            found.append(f"{path}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_every_package_has_a_layer():
    packages = {package_of(module_name(ROOT / path)) for path, _source in sources()}
    assert packages - set(LAYER_OF) == set()


def test_imports_run_downwards():
    assert [v for path, source in sources() for v in layer_violations(path, source)] == []


def test_no_module_uses_another_modules_private_names():
    assert [v for path, source in sources() for v in private_uses(path, source)] == []


# ---- the rule itself catches what it should ----------------------------------------------------


def test_an_upward_import_inside_a_function_is_caught():
    source = "def page(item):\n    from ..meetings.models import Consultation\n    return Consultation\n"

    assert layer_violations("supervise/lists/views.py", source) == [
        "supervise/lists/views.py:2 lists imports supervise.meetings.models, a higher layer"
    ]


def test_a_sibling_import_is_caught_and_a_downward_one_is_not():
    source = "from ..sheets.models import SheetLine\nfrom ..lists.models import Item\n"

    assert layer_violations("supervise/inspections/models.py", source) == [
        "supervise/inspections/models.py:1 inspections imports supervise.sheets.models, a higher layer"
    ]
    assert layer_violations("supervise/notices/views.py", "from ..meetings import views\n") == [
        "supervise/notices/views.py:1 notices imports supervise.meetings.views, a sibling"
    ]


def test_type_checking_imports_are_exempt():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..accounts.models import User\n"

    assert layer_violations("supervise/core/workflow.py", source) == []


def test_private_names_of_another_module_are_caught():
    source = (
        "from . import operations\n"
        "from .models import _helper, Item\n"
        "def f(supervision_list):\n"
        "    return operations._next_number(supervision_list)\n"
    )

    assert private_uses("supervise/lists/importing.py", source) == [
        "supervise/lists/importing.py:2 imports _helper from supervise.lists.models",
        "supervise/lists/importing.py:4 uses operations._next_number",
    ]
