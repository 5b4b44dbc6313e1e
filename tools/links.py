"""Every Binder link in README.md and docs/, written from one setting in pyproject.toml.

    python -m tools.links            # check: exit 1 and list the problems
    python -m tools.links --write    # rewrite every marked block from the setting, then check

The setting is ``[tool.ivigkit] repository``: the GitHub "owner/name" the workbook is published
under, or "" while it is not published. Links live only between markers,

    <!-- binder-links:badges -->  ...  <!-- /binder-links -->   (the README's two badges)
    <!-- binder-links:list -->    ...  <!-- /binder-links -->   (the two addresses as a list)

and each block must read exactly what this tool writes: the links when the setting names a
repository, and a sentence saying how to set it when it is "". A Binder address outside a block,
or the placeholder OWNER/REPO anywhere, is a problem.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The page both links open, the same notebook as the hub's singleuser.defaultUrl.
START = "notebooks/00_start_here.ipynb"
LAB_PATH = "lab/tree/" + START
VOILA_PATH = "voila/render/" + START
PLACEHOLDER = "OWNER/REPO"
#: What an unpublished workbook's documents say instead of links: the badges block points to the
#: README's "On Binder" section, where a list block says how to set the repository.
NOT_PUBLISHED_BADGES = "*Binder: not published yet; [On Binder](#on-binder) says how to add the badges.*"
HOW_TO_SET = ('Binder links: not published yet. To add them, set `repository = "owner/name"` '
              "under `[tool.ivigkit]` in `pyproject.toml` to the GitHub repository that "
              "publishes the workbook, then run `python -m tools.links --write`.")

_BLOCK = re.compile(r"^(?P<indent>[ \t]*)<!-- binder-links:(?P<kind>[a-z]+) -->\n"
                    r"(?P<body>(?:(?!<!-- /?binder-links).)*?)"  # no marker inside a block
                    r"^(?P=indent)<!-- /binder-links -->$", re.M | re.S)
_BINDER_URL = re.compile(r"mybinder\.org/v2/gh/")
# GitHub's rules for an owner and a repository name.
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


class SettingError(ValueError):
    """pyproject.toml's [tool.ivigkit] repository is missing or malformed."""


def repository(root: Path = ROOT) -> str:
    """The setting: "owner/name", or "" (explicitly not published)."""
    tool = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {})
    value = tool.get("ivigkit", {}).get("repository")
    if not isinstance(value, str):
        raise SettingError('pyproject.toml needs [tool.ivigkit] repository = "owner/name" '
                           '(or "" while the workbook is not published)')
    if value and (value == PLACEHOLDER or not _REPOSITORY.fullmatch(value)):
        raise SettingError(f"[tool.ivigkit] repository = {value!r} is not a GitHub owner/name")
    return value


def binder_url(repo: str, urlpath: str) -> str:
    return f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath={urlpath}"


def render(kind: str, repo: str) -> list[str]:
    """The lines of one block (without indentation or markers)."""
    if kind not in ("badges", "list"):
        raise ValueError(f"unknown binder-links block {kind!r} (badges or list)")
    if not repo:
        return [NOT_PUBLISHED_BADGES if kind == "badges" else HOW_TO_SET]
    lab, voila = binder_url(repo, LAB_PATH), binder_url(repo, VOILA_PATH)
    if kind == "badges":
        return [f"[![Open the workbook in JupyterLab on Binder](https://mybinder.org/badge_logo.svg)]({lab})",
                "JupyterLab&nbsp;&nbsp;",
                f"[![Open the start-here app in Voilà on Binder](https://mybinder.org/badge_logo.svg)]({voila})",
                "Voilà app"]
    return [f"- the Voilà app: <{voila}>", f"- JupyterLab: <{lab}>"]


def documents(root: Path = ROOT) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def _rendered_text(text: str, repo: str) -> str:
    def block(match: re.Match) -> str:
        indent, kind = match["indent"], match["kind"]
        body = "".join(f"{indent}{line}\n" for line in render(kind, repo))
        return f"{indent}<!-- binder-links:{kind} -->\n{body}{indent}<!-- /binder-links -->"
    return _BLOCK.sub(block, text)


def problems(root: Path = ROOT) -> list[str]:
    """Everything that disagrees with the setting; [] when the links are right."""
    try:
        repo = repository(root)
    except SettingError as exc:
        return [str(exc)]
    found = []
    for path in documents(root):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if PLACEHOLDER in text:
            found.append(f"{name}: the placeholder {PLACEHOLDER}")
        for match in _BLOCK.finditer(text):
            if match["kind"] not in ("badges", "list"):
                found.append(f"{name}: unknown block binder-links:{match['kind']}")
        outside = _BLOCK.sub("", text)
        if "binder-links:" in outside:
            found.append(f"{name}: a binder-links block without its closing <!-- /binder-links -->")
        if _BINDER_URL.search(outside):
            found.append(f"{name}: a Binder link outside a binder-links block")
        try:
            expected = _rendered_text(text, repo)
        except ValueError:
            continue
        if expected != text:
            found.append(f"{name}: a binder-links block differs from the setting "
                         f"repository = {repo!r} (run python -m tools.links --write)")
    readme = (root / "README.md").read_text(encoding="utf-8")
    if "<!-- binder-links:badges -->" not in readme:
        found.append("README.md: no binder-links:badges block")
    return found


def write(root: Path = ROOT) -> list[Path]:
    """Rewrite every block from the setting; the files that changed."""
    repo = repository(root)
    changed = []
    for path in documents(root):
        text = path.read_text(encoding="utf-8")
        new = _rendered_text(text, repo)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the blocks, then check")
    args = parser.parse_args(argv)
    if args.write:
        try:
            for path in write():
                print(f"wrote {path.relative_to(ROOT)}")
        except SettingError as exc:
            print(exc, file=sys.stderr)
            return 1
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if not found:
        repo = repository()
        print(f"Binder links agree with repository = {repo!r}"
              + ("" if repo else " (not published: the README says how to set it)"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
