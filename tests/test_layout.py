"""The shape of the house: imports go one way, none hides inside a function, the root builds the engine only.

Read from the source with ``ast`` (no import runs): every module of the engine
(``netbox_userscripts``) and of the sandbox project (``sandbox/*``), the imports made
when a module is imported (its top level, class bodies and top-level ``if``/``try``
included), and the imports made inside functions. An import inside a function is fine in
an ``AppConfig.ready()`` (Django's pattern) and for a name that exists only in NetBox
(the plugin adapter's), nowhere else: elsewhere it hides a cycle.

The engine's folders are its layers (``ARCHITECTURE.md``): every module belongs to one, and
imports only its own layer and the layers below; the top level holds Django's conventions and
the public faces only, and no module of the engine imports through a face.
"""
import ast
import tomllib

from tests.project import PROJECT, SANDBOX

FOLDERS = [PROJECT / "netbox_userscripts", *sorted(p for p in SANDBOX.iterdir() if p.is_dir() and any(p.glob("*.py")))]


def module_files():
    """``{dotted name: path}`` of every module of the engine and the sandbox, migrations left out."""
    found = {}
    for folder in FOLDERS:
        base = folder.parent
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(base).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = module_files()
TREES = {name: ast.parse(path.read_text()) for name, path in MODULES.items()}


def defined_names(tree):
    """The names a module defines or imports at its top level (top-level ``if`` and ``try`` included)."""
    names = set()
    nodes = list(tree.body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.If, ast.Try)):
            nodes.extend([*node.body, *node.orelse, *getattr(node, "handlers", []), *getattr(node, "finalbody", [])])
        elif isinstance(node, ast.ExceptHandler):
            nodes.extend(node.body)
    return names


def targets(module, node):
    """The modules of this house that an import statement in ``module`` loads, and the names it wants of each."""
    if isinstance(node, ast.Import):
        return [(alias.name, None) for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if not MODULES[module].name == "__init__.py":
            package = package[:-1]
        base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
    found = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        found.append((submodule, None) if submodule in MODULES else (base, alias.name))
    return found


def imports(module):
    """``(at import time, inside functions)``: lists of ``(node, function name)`` of ``module``."""
    top, inner = [], []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, getattr(child, "name", "<lambda>"))
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                (inner if function else top).append((child, function))
            else:
                visit(child, function)

    visit(TREES[module], None)
    return top, inner


def exists_here(name, wanted):
    """Whether ``name`` (a module) and, if asked, its attribute ``wanted`` are in this house, not only in NetBox."""
    if name not in MODULES:
        return False
    return wanted is None or wanted in defined_names(TREES[name]) or f"{name}.{wanted}" in MODULES


def import_graph():
    graph = {}
    for module in MODULES:
        top, _ = imports(module)
        graph[module] = {name for node, _ in top for name, wanted in targets(module, node)
                         if exists_here(name, wanted) and name != module}
    return graph


def cycles(graph):
    """Tarjan's strongly connected components of more than one module."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            connect(v)
    return found


def test_the_house_is_read_whole():
    assert {"netbox_userscripts.loading.loader", "custom_objects.models", "dcim.models",
            "netbox.settings"} <= set(MODULES)
    assert "custom_objects.migrations.0001_initial" not in MODULES


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_inside_a_function_but_in_ready_or_of_a_netbox_only_name():
    hidden = []
    for module in MODULES:
        for node, function in imports(module)[1]:
            for name, wanted in targets(module, node):
                if function != "ready" and exists_here(name, wanted):
                    hidden.append(f"{module}.{function}() imports {name}{'.' + wanted if wanted else ''}")
    assert hidden == []


def test_the_check_sees_netbox_only_names_and_names_of_the_house():
    assert not exists_here("utilities.exceptions", "AbortRequest")  # the sandbox has the module, not the name
    assert not exists_here("netbox.api.viewsets.mixins", "BulkUpdateModelMixin")
    assert exists_here("custom_objects.models", "CustomObjectType")
    assert exists_here("custom_objects", "schema")


def test_the_engine_imports_no_app_of_the_sandbox():
    sandbox_apps = {p.name for p in FOLDERS[1:]}
    reached = {name for module, names in import_graph().items() if module.startswith("netbox_userscripts")
               for name in names if name.split(".")[0] in sandbox_apps}
    assert reached == set()


def test_the_root_builds_the_engine_alone():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    setuptools = project["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["netbox_userscripts", "netbox_userscripts.*"]
    assert setuptools["dynamic"]["version"] == {"attr": "netbox_userscripts.version.__version__"}
    assert not (PROJECT / "setup.cfg").exists() and not (PROJECT / "setup.py").exists()
    # The sandbox's own dependencies are a dependency group, never the distribution's.
    required = {r.split(">")[0].split("[")[0].lower() for r in project["project"]["dependencies"]}
    assert "django-filter" not in required and "psycopg" not in required
    assert any(r.startswith("django-filter") for r in project["dependency-groups"]["sandbox"])
    assert {p.name for p in PROJECT.iterdir() if (p / "__init__.py").exists()} == {"netbox_userscripts", "tests",
                                                                                  "benchmarks"}


ENGINE = "netbox_userscripts"
# The engine's layers, bottom up: a folder each, but for the first (the top level's names and
# settings) and the front ends, which hold Django's own conventions at the top level beside folders.
LAYERS = [
    {"conf", "exceptions", "signals", "version"},
    {"log"},
    {"metrics"},
    {"hooks"},
    {"commits"},
    {"scripts"},
    {"loading"},
    {"fleet"},
    {"tasks"},
    {"jobs"},
    {"api", "web", "management", "admin", "apps", "middleware", "models", "urls"},
    {"netbox_plugin"},
    {"", "context"},  # the package itself and the faces that re-export from below: the public API
]
TOP_LEVEL_MODULES = {"__init__", "admin", "apps", "conf", "context", "exceptions", "middleware", "models",
                     "signals", "urls", "version"}
# Packages whose __init__ re-exports names for users: the engine imports the modules behind them.
FACES = {ENGINE, f"{ENGINE}.context", f"{ENGINE}.jobs", f"{ENGINE}.tasks"}


def layer_of(module):
    """The rank of an engine module's layer (its folder, or its own name at the top level)."""
    part = module.split(".")[1] if "." in module else ""
    ranks = [rank for rank, names in enumerate(LAYERS) if part in names]
    assert ranks, f"{module} belongs to no layer: add its folder to LAYERS"
    return ranks[0]


def engine_imports():
    """``(module, imported module, names wanted or None)`` for every import the engine makes when loaded."""
    for module in MODULES:
        if not module.startswith(ENGINE):
            continue
        top, _ = imports(module)
        for node, _ in top:
            for name, wanted in targets(module, node):
                if name.startswith(ENGINE) and exists_here(name, wanted) and name != module:
                    yield module, name, wanted


def test_every_module_of_the_engine_belongs_to_a_layer():
    for module in MODULES:
        if module.startswith(ENGINE):
            layer_of(module)


def test_the_top_level_holds_djangos_conventions_and_the_public_faces_only():
    engine = PROJECT / ENGINE
    assert {p.stem for p in engine.glob("*.py")} == TOP_LEVEL_MODULES
    folders = {p.name for p in engine.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {name for names in LAYERS for name in names if name and not (engine / f"{name}.py").exists()
                       } | {"migrations", "static", "templates"}


def test_each_layer_imports_only_itself_and_the_layers_below():
    upward = [f"{module} (layer {layer_of(module)}) imports {name} (layer {layer_of(name)})"
              for module, name, _ in engine_imports() if layer_of(name) > layer_of(module)]
    assert upward == []


def test_the_layer_check_sees_an_upward_import():
    assert layer_of(f"{ENGINE}.loading.registry") > layer_of(f"{ENGINE}.hooks.slots")
    assert layer_of(f"{ENGINE}.tasks.worker") < layer_of(f"{ENGINE}.jobs.background")
    assert layer_of(f"{ENGINE}.middleware") == layer_of(f"{ENGINE}.api") < layer_of(f"{ENGINE}.netbox_plugin.views")


def test_no_module_of_the_engine_imports_through_a_face():
    through = [f"{module} imports {wanted} from {name}" for module, name, wanted in engine_imports()
               if name in FACES and wanted is not None and f"{name}.{wanted}" not in MODULES
               and module not in FACES]
    assert through == []


def test_the_public_import_paths_answer():
    """What CONTRACT.md shows users importing, from where it shows it."""
    import importlib

    faces = {
        ENGINE: ["AbortEvent", "AbortScript", "ConfigurationError", "bulk_edit", "__version__"],
        f"{ENGINE}.exceptions": ["AbortEvent", "AbortScript", "ConfigurationError"],
        f"{ENGINE}.signals": ["pre_save", "post_save", "pre_delete", "post_delete", "pre_bulk_edit",
                              "post_bulk_edit", "pre_request", "post_request", "post_commit"],
        f"{ENGINE}.tasks": ["task"],
        f"{ENGINE}.context": ["branch", "origin"],
        f"{ENGINE}.jobs": ["Job", "Script", "StringVar", "TextVar", "IntegerVar", "DecimalVar", "BooleanVar",
                           "ChoiceVar", "MultiChoiceVar", "ObjectVar", "MultiObjectVar", "FileVar", "IPAddressVar",
                           "IPAddressWithMaskVar", "IPNetworkVar", "DateVar", "DateTimeVar", "AbortScript"],
        f"{ENGINE}.middleware": ["RequestSignalsMiddleware"],
        f"{ENGINE}.tasks.backend": ["DatabaseBackend"],
        f"{ENGINE}.admin": [],
        f"{ENGINE}.urls": ["urlpatterns"],
    }
    missing = [f"{module}.{name}" for module, names in faces.items() for name in names
               if not hasattr(importlib.import_module(module), name)]
    assert missing == []
