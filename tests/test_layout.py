"""The shape of the house: imports go one way, none hides inside a function, the root builds the engine only.

Read from the source with ``ast`` (no import runs): every module of the engine
(``netbox_userscripts``) and of the sandbox project (``sandbox/*``), the imports made
when a module is imported (its top level, class bodies and top-level ``if``/``try``
included), and the imports made inside functions. An import inside a function is fine in
an ``AppConfig.ready()`` (Django's pattern) and for a name that exists only in NetBox
(the plugin adapter's), nowhere else: elsewhere it hides a cycle.
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
    assert {"netbox_userscripts.loader", "custom_objects.models", "dcim.models", "netbox.settings"} <= set(MODULES)
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
