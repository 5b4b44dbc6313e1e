"""How the slide decks are built: the JavaScript vendored from the npm registry (tools/vendor_js.py)
and the cells' slide metadata (tools/slide_metadata.py). The decks themselves are tested in the
browser (tests/e2e/test_slides.py)."""
from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import nbformat
import pytest

from tools import slide_metadata, vendor_js



def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _package(data: bytes, keep: dict[str, str]):
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    return vendor_js.Package("demo", "1.0.0", integrity, keep)


def test_a_tarball_with_the_published_hash_is_accepted_and_any_other_refused():
    data = _tarball({"dist/demo.js": b"ok"})
    package = _package(data, {"dist/": "demo/"})
    vendor_js.check_integrity(package, data)
    tampered = _tarball({"dist/demo.js": b"evil"})
    with pytest.raises(ValueError, match="refusing to vendor"):
        vendor_js.check_integrity(package, tampered)


def test_only_the_kept_files_are_unpacked_and_a_missing_one_is_an_error(tmp_path):
    data = _tarball({"dist/a.js": b"a", "dist/theme/b.css": b"b", "src/big.js": b"x",
                     "LICENSE": b"MIT"})
    package = _package(data, {"dist/": "demo/dist/", "LICENSE": "demo/LICENSE"})
    written = vendor_js.extract(package, data, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "demo/LICENSE", "demo/dist/a.js", "demo/dist/theme/b.css"]
    with pytest.raises(ValueError, match="has no README"):
        vendor_js.extract(_package(data, {"README": "demo/README"}), data, tmp_path / "other")


@pytest.mark.vendored
def test_the_vendored_files_are_the_pinned_versions():
    """`make vendor` ran (make test depends on it) and left what the slides template loads."""
    assert (vendor_js.VENDOR / ".integrity").read_text() == vendor_js.wanted_stamp()
    for path in ("reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css",
                 "reveal.js/dist/theme/fonts/source-sans-pro/source-sans-pro.css",
                 "reveal.js/plugin/notes/notes.js", "jquery.min.js"):
        assert (vendor_js.VENDOR / path).is_file(), path
    # reveal.js's white theme takes its fonts from its own folder, never from a font CDN.
    assert "http" not in (vendor_js.VENDOR / "reveal.js/dist/theme/white.css").read_text().split(
        "*/", 1)[-1]


def test_the_slide_rule_starts_slides_at_the_title_and_sections_and_keeps_choices(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_markdown_cell("## 1. A section"),
        nbformat.v4.new_markdown_cell("### Try it"),
        nbformat.v4.new_code_cell("app"),
        nbformat.v4.new_markdown_cell("Said by the instructor only",
                                      metadata={"slideshow": {"slide_type": "notes"}}),
    ])
    path = tmp_path / "demo.ipynb"
    nbformat.write(nb, path)
    assert slide_metadata.apply(path) is True
    types = [c.metadata["slideshow"]["slide_type"] for c in nbformat.read(path, as_version=4).cells]
    assert types == ["slide", "slide", "subslide", "-", "notes"]
    assert slide_metadata.apply(path) is False  # nothing left to fill in
