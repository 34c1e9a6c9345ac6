"""The shape of the code: dependencies point one way (GUIDE.md, "Shape of the
code"; issue 11). The test reads the source (``ast``), imports nothing, and
needs no database.

Three layers:

- top, the wiring: ``encyclopedia.settings``, ``urls``, ``wsgi``, ``asgi``
  (and the test settings). Nothing below imports it; an app reads settings
  through ``django.conf.settings``.
- middle, the apps: ``articles`` -> ``people``. ``people`` imports nothing
  from ``articles`` but its pure libraries.
- bottom, what any layer may use:
  - the pure libraries (the wiki-text package, the "X in Y" rule): the
    standard library and each other only, no Django;
  - site-wide infrastructure (the rest of ``encyclopedia/``: the page cache,
    progress bars, converters, lockout, slugs, the app config): Django
    allowed, but nothing from the app packages, their pure libraries
    included (``encyclopedia`` and ``articles`` would import each other:
    ``encyclopedia.text`` once imported ``articles.wikitext`` while
    ``articles.models`` imported ``encyclopedia.text``). It finds the apps'
    tables through the app registry.

Inside ``articles`` the read side (what pages and machines read) never
imports the write side (``articles.services``).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("articles", "people", "encyclopedia")
APPS = ("articles", "people")

WIRING = {
    "encyclopedia.settings",
    "encyclopedia.test_settings",
    "encyclopedia.urls",
    "encyclopedia.wsgi",
    "encyclopedia.asgi",
}
PURE = ("articles.wikitext", "articles.communities", "articles.mediawiki", "articles.sources")
# The parsing libraries a pure library may use besides the standard library.
PURE_LIBRARIES = {"mwparserfromhell", "mwxml", "mwtypes", "babel"}  # babel: locale data
WRITE_SIDE = ("articles.services",)
READ_SIDE = (
    "articles.selectors",
    "articles.rendered",
    "articles.lookups",
    "articles.editor_tools",
    "articles.api",
    "articles.views",
    "articles.views_people",
    "articles.views_search",
    "articles.views_sources",
    "articles.citations",
    "articles.feeds",
    "articles.sitemaps",
    "articles.search",
    "articles.search_forgiving",
    "articles.letters",
    "articles.related",
    "articles.index_selectors",
    "articles.views_index",
    "articles.revision_sizes",
    "articles.templatetags",
)

# Known violations in files another change is moving at the same time, as
# (importer, imported). Empty: the one there was, ("people.admin",
# "articles.services"), went with the Person and Place admins' move to
# articles/admin/people.py. Only ever add an entry for a file in motion, with
# a comment naming the change that removes it; otherwise fix the import.
ALLOWED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    importer: str  # dotted name of the module that imports
    imported: str  # dotted name of what it imports (a module, or a package)
    line: int

    def __str__(self) -> str:
        return f"{self.importer} imports {self.imported} (line {self.line})"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    """Every module of the three packages but migrations, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or "__pycache__" in path.parts:
                continue
            found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """What the module ``name`` at ``path`` imports, at any depth (function
    bodies included), with relative imports resolved. ``from pkg import
    sub`` counts as importing ``pkg.sub`` when that is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append(Import(name, sub if sub in known else base, node.lineno))
    return found


def under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def app_of(name: str) -> str | None:
    top = name.split(".")[0]
    return top if top in APPS else None


def problem(imp: Import) -> str:
    """Why ``imp`` goes against the layers, or "" when it does not."""
    src, dst = imp.importer, imp.imported
    if dst in WIRING and src not in WIRING:
        return "only the wiring imports the wiring (read settings through django.conf)"
    if under(src, PURE):
        if under(dst, PURE) or dst.split(".")[0] in sys.stdlib_module_names | PURE_LIBRARIES:
            return ""
        return "a pure library imports the standard library, parsing libraries and other pure libraries only"
    if src.startswith("encyclopedia.") and src not in WIRING and app_of(dst):
        return "infrastructure imports no app package (find tables through the app registry)"
    if app_of(src) == "people" and app_of(dst) == "articles" and not under(dst, PURE):
        return "people imports nothing from articles (articles -> people)"
    if under(src, READ_SIDE) and under(dst, WRITE_SIDE):
        return "the read side never imports the write side (articles.services)"
    return ""


def violations() -> list[tuple[Import, str]]:
    files = source_files()
    known = set(files)
    found = []
    for name, path in files.items():
        for imp in imports_of(name, path, known):
            why = problem(imp)
            if why and (imp.importer, imp.imported) not in ALLOWED:
                found.append((imp, why))
    return found


def test_the_walk_sees_every_package_and_resolves_relative_imports():
    files = source_files()
    assert {"articles.models", "people.models", "encyclopedia.pagecache"} <= set(files)
    assert not any(".migrations" in name for name in files)
    imported = {i.imported for i in imports_of("articles.views", files["articles.views"], set(files))}
    assert {"articles.models", "articles.rendered", "encyclopedia.pagecache"} <= imported


def test_imports_point_one_way():
    found = violations()
    assert not found, "imports against the layers:\n" + "\n".join(
        f"  {imp}: {why}" for imp, why in found
    )


def test_pure_libraries_import_no_django():
    files = source_files()
    pure = {name: path for name, path in files.items() if under(name, PURE)}
    assert "articles.wikitext.parser" in pure and "articles.communities" in pure
    assert "articles.mediawiki.convert" in pure and "articles.mediawiki.dump" in pure
    for name, path in pure.items():
        for imp in imports_of(name, path, set(files)):
            top = imp.imported.split(".")[0]
            assert top != "django", str(imp)
            assert (
                under(imp.imported, PURE) or top in sys.stdlib_module_names | PURE_LIBRARIES
            ), str(imp)


def test_allowed_violations_still_exist():
    """An allow-list entry that no longer happens is removed, so the list
    only ever shrinks to empty."""
    files = source_files()
    known = set(files)
    happening = {
        (imp.importer, imp.imported)
        for name, path in files.items()
        if name in {src for src, _ in ALLOWED}
        for imp in imports_of(name, path, known)
    }
    assert ALLOWED <= happening, f"remove from ALLOWED: {sorted(ALLOWED - happening)}"


@pytest.mark.parametrize(
    ("importer", "imported", "rule"),
    [
        ("articles.selectors", "articles.services", "read side"),
        ("articles.templatetags.editing", "articles.services.refresh", "read side"),
        ("people.views", "articles.models", "people imports nothing"),
        ("encyclopedia.text", "articles.wikitext.document", "infrastructure"),
        ("articles.management.commands.setup_site", "encyclopedia.settings", "wiring"),
        ("articles.communities", "django.utils.text", "pure library"),
    ],
)
def test_each_rule_names_the_import_that_breaks_it(importer, imported, rule):
    """The imports the code had before issue 11, each caught by its rule."""
    assert rule in problem(Import(importer, imported, 1))


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("people.models", "articles.wikitext"),
        ("articles.models", "people.models"),
        ("articles.services.refresh", "articles.lookups"),
        ("articles.views", "encyclopedia.pagecache"),
        ("encyclopedia.urls", "articles.api"),
        ("encyclopedia.pagecache", "django.apps"),
    ],
)
def test_imports_along_the_layers_are_allowed(importer, imported):
    assert problem(Import(importer, imported, 1)) == ""
