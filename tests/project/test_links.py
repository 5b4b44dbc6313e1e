"""Every Binder link in README.md and docs/ agrees with pyproject.toml's [tool.ivigkit] repository
(tools/links.py); while that is "" (not published), the README says how to set it."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support import REPO
from tools import links

EXAMPLE = "example-org/ivig-workbook"


@pytest.fixture
def clone(tmp_path) -> Path:
    """The files tools.links reads, copied so the tests can break them."""
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy2(REPO / "README.md", tmp_path / "README.md")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    return tmp_path


def set_repository(root: Path, value: str) -> None:
    path = root / "pyproject.toml"
    text, n = re.subn(r'(?m)^repository = ".*"$', f'repository = "{value}"',
                      path.read_text(encoding="utf-8"))
    assert n == 1
    path.write_text(text, encoding="utf-8")


def binder_urls(root: Path) -> list[str]:
    return [url for doc in links.documents(root)
            for url in re.findall(r"https://mybinder\.org/v2/gh/[^\s)>`]+", doc.read_text(encoding="utf-8"))]


# ---------------------------------------------------------------- the repository as it is

def test_the_links_agree_with_the_setting():
    assert links.problems() == []


def test_the_command_line_check_passes():
    result = subprocess.run([sys.executable, "-m", "tools.links"], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_no_placeholder_in_any_document():
    for doc in links.documents(REPO):
        assert links.PLACEHOLDER not in doc.read_text(encoding="utf-8"), doc


def test_an_unpublished_workbook_says_how_to_publish_its_links():
    """The setting is explicitly "" (not published): then there is no Binder link at all, and
    the README says how to set it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    if links.repository():  # published: the badges and links are there instead
        assert binder_urls(REPO) and links.HOW_TO_SET not in readme
        return
    assert binder_urls(REPO) == []
    assert links.HOW_TO_SET in readme
    assert links.NOT_PUBLISHED_BADGES in readme.split("\n## ", 1)[0]  # where the badges would be


# ---------------------------------------------------------------- publishing, on a copy

def test_publishing_writes_every_link_from_the_setting(clone):
    set_repository(clone, EXAMPLE)
    stale = links.problems(clone)
    assert stale and all("differs from the setting" in p for p in stale), stale
    changed = {p.relative_to(clone).as_posix() for p in links.write(clone)}
    assert {"README.md", "docs/scale-out.md"} <= changed
    assert links.problems(clone) == []
    urls = binder_urls(clone)
    assert set(urls) == {f"https://mybinder.org/v2/gh/{EXAMPLE}/HEAD?urlpath={links.VOILA_PATH}",
                         f"https://mybinder.org/v2/gh/{EXAMPLE}/HEAD?urlpath={links.LAB_PATH}"}
    readme = (clone / "README.md").read_text(encoding="utf-8")
    top = readme.split("\n## ", 1)[0]
    assert f"(https://mybinder.org/v2/gh/{EXAMPLE}/HEAD?urlpath={links.LAB_PATH})" in top  # badges
    assert links.HOW_TO_SET not in readme
    # ... and back: unpublishing removes every link again.
    set_repository(clone, "")
    links.write(clone)
    assert binder_urls(clone) == [] and links.problems(clone) == []


@pytest.mark.parametrize("published", ["", EXAMPLE])
def test_a_placeholder_link_fails(clone, published):
    set_repository(clone, published)
    links.write(clone)
    readme = clone / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n[Binder](https://mybinder.org/v2/gh/"
                      "OWNER/REPO/HEAD?urlpath=lab)\n", encoding="utf-8")
    found = links.problems(clone)
    assert any("placeholder OWNER/REPO" in p for p in found), found
    assert any("outside a binder-links block" in p for p in found), found


def test_a_hand_edited_link_inside_a_block_fails(clone):
    set_repository(clone, EXAMPLE)
    links.write(clone)
    doc = clone / "docs" / "scale-out.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace(EXAMPLE, "someone-else/fork"),
                   encoding="utf-8")
    assert links.problems(clone) == [
        "docs/scale-out.md: a binder-links block differs from the setting repository = "
        f"'{EXAMPLE}' (run python -m tools.links --write)"]


def test_an_unclosed_block_fails(clone):
    readme = clone / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("<!-- /binder-links -->", "", 1),
                      encoding="utf-8")
    assert any("without its closing" in p for p in links.problems(clone))


@pytest.mark.parametrize("line, message", [
    ("", "needs [tool.ivigkit] repository"),                       # setting missing: not "unset"
    ('repository = "OWNER/REPO"', "not a GitHub owner/name"),
    ('repository = "just-a-name"', "not a GitHub owner/name"),
    ('repository = "https://github.com/a/b"', "not a GitHub owner/name"),
])
def test_a_missing_or_malformed_setting_fails(clone, line, message):
    path = clone / "pyproject.toml"
    text = re.sub(r'(?m)^repository = ".*"$', line, path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    found = links.problems(clone)
    assert len(found) == 1 and message in found[0], found
    with pytest.raises(links.SettingError):
        links.write(clone)
