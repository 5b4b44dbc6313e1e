"""Fetch the JavaScript the slide decks need from the npm registry into the slides template.

    python tools/vendor_js.py            # make vendor, make slides, make test and Binder's postBuild

Voila's reveal template loads reveal.js and jQuery from unpkg.com by default; a lecture hall with
poor Wi-Fi (or no internet) cannot rely on that, so the files go into the static folder of the
workbook's slides template (share/jupyter/voila/templates/ivigkit-reveal/static/vendor/), which
Voila serves at <base>/voila/templates/ivigkit-reveal/static/vendor/ whether it runs alone, inside
JupyterLab or on Binder; no notebook folder file needs serving. They are fetched at build time rather than
committed (about 5 MB of third-party code): each tarball's sha512 must equal the integrity the
registry published for that exact version, as in a package-lock.json, so a build is repeatable.
Plain Python (no Node.js needed); NPM_CONFIG_REGISTRY points it at a mirror.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENDOR = REPO / "share" / "jupyter" / "voila" / "templates" / "ivigkit-reveal" / "static" / "vendor"
STAMP = VENDOR / ".integrity"


@dataclass(frozen=True)
class Package:
    """One npm package: what to fetch, its published integrity, and which of its files to keep."""

    name: str
    version: str
    integrity: str  # "sha512-<base64>", from the registry's dist.integrity for this version
    keep: dict[str, str]  # path in the tarball (after "package/") -> path under VENDOR


PACKAGES = (
    # The version nbconvert's reveal template is written for (reveal 4 API).
    Package("reveal.js", "4.0.2",
            "sha512-LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
            {"dist/": "reveal.js/dist/", "plugin/notes/": "reveal.js/plugin/notes/",
             "LICENSE": "reveal.js/LICENSE"}),
    Package("jquery", "2.2.4",
            "sha512-lBHj60ezci2u1v2FqnZIraShGgEXq35qCzMv4lITyHGppTnA13rwR0MgwyNJh9TnDs3aXUvd1xjAotfraMHX/Q==",
            {"dist/jquery.min.js": "jquery.min.js", "LICENSE.txt": "jquery.LICENSE.txt"}),
)


def registry() -> str:
    return (os.environ.get("NPM_CONFIG_REGISTRY") or "https://registry.npmjs.org").rstrip("/")


def tarball_url(package: Package) -> str:
    return f"{registry()}/{package.name}/-/{package.name}-{package.version}.tgz"


def check_integrity(package: Package, data: bytes) -> None:
    """Raise ValueError unless `data` hashes to the package's published sha512."""
    algorithm, _, expected = package.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise ValueError(f"{package.name}@{package.version}: the tarball's {algorithm} is {actual}, "
                         f"but the registry published {expected}; refusing to vendor it")


def extract(package: Package, data: bytes, target: Path) -> list[Path]:
    """Unpack the kept files of a checked tarball under `target`; return the files written."""
    written, matched = [], set()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            inner = member.name.removeprefix("package/")
            for source, dest in package.keep.items():
                if inner == source or (source.endswith("/") and inner.startswith(source)):
                    matched.add(source)
                    out = target / (dest + inner[len(source):] if source.endswith("/") else dest)
                    out.resolve().relative_to(target.resolve())  # never write outside target
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(archive.extractfile(member).read())
                    written.append(out)
    missing = [source for source in package.keep if source not in matched]
    if missing:
        raise ValueError(f"{package.name}@{package.version} has no {', '.join(missing)}")
    return written


def wanted_stamp() -> str:
    return "\n".join(f"{p.name}@{p.version} {p.integrity}" for p in PACKAGES) + "\n"


def vendor(target: Path = VENDOR) -> bool:
    """Fetch, check and unpack every package into `target`; False if it was already up to date."""
    stamp = target / STAMP.name
    if stamp.is_file() and stamp.read_text() == wanted_stamp():
        return False
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for package in PACKAGES:
        url = tarball_url(package)
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
        check_integrity(package, data)
        files = extract(package, data, target)
        print(f"vendored {package.name}@{package.version}: {len(files)} files from {url}")
    stamp.write_text(wanted_stamp())
    return True


if __name__ == "__main__":
    try:
        if not vendor():
            print(f"{VENDOR.relative_to(REPO)} is up to date")
    except (OSError, ValueError) as exc:
        sys.exit(f"could not vendor the slide decks' JavaScript: {exc}")
