"""The scale-out files (deploy/, postBuild, start) checked without Kubernetes, Helm or docker.

deploy/z2jh/config.yaml is validated against the z2jh chart's own values schema, stored
verbatim in deploy/z2jh/values.schema.yaml. Helm validates the chart's default values merged
with ours. This test validates our overrides alone, so the schema's `required` keywords are
dropped (the chart's defaults supply those keys). additionalProperties, types and enums still
apply, and the negative tests show that a misspelt key or a wrong type is rejected.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from tests.support import REPO


Z2JH_CONFIG = REPO / "deploy" / "z2jh" / "config.yaml"
Z2JH_SCHEMA = REPO / "deploy" / "z2jh" / "values.schema.yaml"
VOILA_JSON = REPO / "etc" / "jupyter" / "voila.json"
SERVER_JSON = REPO / "etc" / "jupyter" / "jupyter_server_config.json"
POSTBUILD = REPO / "postBuild"
START = REPO / "start"
BUILD_SCRIPT = REPO / "deploy" / "build-image.sh"
SCALE_OUT_DOC = REPO / "docs" / "scale-out.md"
README = REPO / "README.md"

# The upstream file below the header's marker line: jupyterhub/zero-to-jupyterhub-k8s,
# jupyterhub/values.schema.yaml at this commit. Its length is what upstream reports. The digest
# catches any later edit to the vendored text.
SCHEMA_COMMIT = "02dd73df01bdbb6d602fed21b0be12565ab38080"
SCHEMA_MARKER = "# ----------------------------- BEGIN VERBATIM -----------------------------\n"
SCHEMA_CHARS = 124796
SCHEMA_SHA256 = "9d417b40502c81539c9e09f9d43d6212632cba9dff1592f36a241090a5e9deaa"

# Measured on the 2-core test machine (see docs/scale-out.md): the most one Voila app kernel
# used, and the user's jupyter-server after rendering an app.
KERNEL_MIB = 140
SERVER_MIB = 115

# JupyterHub's ByteSpecification (used for singleuser.memory) takes K, M, G or T, each a
# power of 1024. Kubernetes-style "Mi"/"Gi" would fail at spawn time, so they fail here too.
_BYTES = re.compile(r"(\d+(?:\.\d+)?)([KMGT])")
_UNIT = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def to_bytes(value) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _BYTES.fullmatch(str(value))
    assert match, f"{value!r} is not a JupyterHub byte size like 512M or 1.5G"
    return float(match.group(1)) * _UNIT[match.group(2)]


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def without_required(node):
    """A copy of a JSON schema with every `required` list removed. Only lists: a property
    that happens to be named "required" (singleuser.extraNodeAffinity has one) is kept."""
    if isinstance(node, dict):
        return {key: without_required(value) for key, value in node.items()
                if not (key == "required" and isinstance(value, list))}
    if isinstance(node, list):
        return [without_required(item) for item in node]
    return node


@pytest.fixture(scope="module")
def schema() -> dict:
    return load_yaml(Z2JH_SCHEMA)


@pytest.fixture(scope="module")
def validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(without_required(schema))


@pytest.fixture(scope="module")
def config() -> dict:
    return load_yaml(Z2JH_CONFIG)


def errors(validator, values) -> list[str]:
    return ["/".join(map(str, e.absolute_path)) + ": " + e.message
            for e in validator.iter_errors(values)]


# ---------------------------------------------------------------- the schema itself

def test_schema_is_the_vendored_upstream_text():
    text = Z2JH_SCHEMA.read_text(encoding="utf-8")
    header, marker, body = text.partition(SCHEMA_MARKER)
    assert marker, "the header's BEGIN VERBATIM line is missing"
    for fact in ("jupyterhub/zero-to-jupyterhub-k8s", "jupyterhub/values.schema.yaml",
                 SCHEMA_COMMIT, "BSD-3-Clause"):
        assert fact in header
    assert len(body) == SCHEMA_CHARS
    assert hashlib.sha256(body.encode("utf-8")).hexdigest() == SCHEMA_SHA256


def test_schema_is_draft_7_and_strict_where_it_matters(schema):
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft7Validator
    assert schema["additionalProperties"] is False
    singleuser = schema["properties"]["singleuser"]
    assert singleuser["additionalProperties"] is False
    for key in ("memory", "cpu", "image", "storage"):
        assert singleuser["properties"][key]["additionalProperties"] is False, key
    assert schema["properties"]["cull"]["additionalProperties"] is False


# ---------------------------------------------------------------- z2jh config: valid

def test_z2jh_config_is_valid_against_the_chart_schema(validator, config):
    assert errors(validator, config) == []


def test_only_missing_required_keys_separate_it_from_a_full_values_file(schema, config):
    # Against the unmodified schema the overrides fail only for keys the chart's defaults supply.
    full = jsonschema.Draft7Validator(schema)
    kinds = {e.validator for e in full.iter_errors(config)}
    assert kinds <= {"required"}, kinds


# ---------------------------------------------------------------- z2jh config: can fail

def _set(values: dict, dotted: str, value) -> dict:
    broken = copy.deepcopy(values)
    *parents, last = dotted.split(".")
    node = broken
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return broken


@pytest.mark.parametrize("dotted, value, expected", [
    ("singleuser.memory.limt", "2G", "limt"),                # misspelt key
    ("singleuser.defaulturl", "/lab", "defaulturl"),         # wrong case
    ("singeluser.image.name", "x", "singeluser"),            # misspelt top-level key
    ("cull.timout", 600, "timout"),
    ("singleuser.cpu.limit", "1", "'1' is not of type"),     # cpu takes numbers only
    ("cull.timeout", "30m", "'30m' is not of type"),
    ("cull.enabled", "yes", "'yes' is not of type"),
    ("singleuser.storage.type", "ephemeral", "'ephemeral' is not one of"),
    ("singleuser.image.pullPolicy", "Sometimes", "'Sometimes' is not one of"),
])
def test_validation_rejects_a_broken_config(validator, config, dotted, value, expected):
    found = errors(validator, _set(config, dotted, value))
    assert found, f"{dotted}={value!r} was accepted"
    assert any(expected in message for message in found), found


# ---------------------------------------------------------------- z2jh config: our choices

def test_image_is_named_and_tagged(config):
    image = config["singleuser"]["image"]
    assert image["name"].strip() and image["tag"].strip()
    assert ":" not in image["name"].rsplit("/", 1)[-1], "put the tag in image.tag"
    assert isinstance(image["tag"], str), "quote the tag so YAML keeps it a string"


def test_default_url_opens_an_existing_notebook_as_a_voila_app(config):
    url = config["singleuser"]["defaultUrl"]
    prefix = "/voila/render/"
    assert url.startswith(prefix), url
    # repo2docker puts the repository in the home folder, where the server starts.
    notebook = REPO / url[len(prefix):]
    assert notebook.suffix == ".ipynb" and notebook.is_file(), notebook
    assert notebook.parent == REPO / "notebooks"


def test_the_home_folder_is_not_hidden_by_a_volume(config):
    storage = config["singleuser"]["storage"]
    assert storage["type"] == "none" or storage.get("homeMountPath") not in (None, "/home/jovyan")


def test_servers_are_culled(config):
    cull = config["cull"]
    assert cull["enabled"] is True
    assert cull["timeout"] > 0 and cull["every"] > 0
    assert cull["every"] <= cull["timeout"]
    assert cull.get("maxAge", 0) == 0 or cull["maxAge"] > cull["timeout"]


def test_user_servers_cull_kernels_as_standalone_voila_does(config):
    """Under jupyter-server (the hub, Binder, `make lab`) kernel culling comes from
    etc/jupyter/jupyter_server_config.json, which the image's `start` puts on the config path;
    the values equal voila.json's, and no `cmd` override bypasses `start`'s environment."""
    assert "cmd" not in config["singleuser"]
    voila = json.loads(VOILA_JSON.read_text(encoding="utf-8"))
    server = json.loads(SERVER_JSON.read_text(encoding="utf-8"))
    for key in ("cull_idle_timeout", "cull_interval"):
        assert server["MappingKernelManager"][key] == voila["MappingKernelManager"][key] > 0
    assert server["MappingKernelManager"]["cull_connected"] is False  # never cull an open tab
    assert server["VoilaExecutor"] == voila["VoilaExecutor"]


def test_jupyter_server_loads_the_culling_config():
    """What jupyter-server itself reports loading with the repo's config path (as `start` sets)."""
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(SERVER_JSON.parent)}
    out = subprocess.run([sys.executable, "-m", "jupyter_server", "--show-config"], env=env,
                         capture_output=True, text=True, timeout=120).stdout
    assert str(SERVER_JSON) in out, out
    section = out.split("MappingKernelManager", 1)[1]
    assert re.search(r"\.cull_idle_timeout = 300\b", section), out


def test_memory_limit_covers_every_app_and_is_at_least_the_guarantee(config):
    memory = config["singleuser"]["memory"]
    limit, guarantee = to_bytes(memory["limit"]), to_bytes(memory["guarantee"])
    assert limit >= guarantee > 0
    apps = len(list((REPO / "notebooks").glob("*.ipynb")))  # one app per notebook
    mib = 1024**2
    assert limit >= (SERVER_MIB + apps * KERNEL_MIB) * mib
    assert guarantee >= (SERVER_MIB + KERNEL_MIB) * mib      # at least one app always fits


def test_cpu_limit_is_at_least_the_guarantee(config):
    cpu = config["singleuser"]["cpu"]
    assert cpu["limit"] >= cpu["guarantee"] > 0


def test_no_secrets_in_the_values_file(config):
    secret_keys = {"password", "client_secret", "secretToken", "cookieSecret", "api_token",
                   "apiToken", "cryptoKey"}

    def keys(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from keys(value)
        elif isinstance(node, list):
            for item in node:
                yield from keys(item)

    assert secret_keys.isdisjoint(keys(config))


# ---------------------------------------------------------------- Binder and repo2docker

def test_binder_links_open_the_same_start_page_as_the_hub(config):
    # No BinderHub config is shipped: mybinder.org builds this repository as it is.
    path = config["singleuser"]["defaultUrl"].lstrip("/")
    for doc in (SCALE_OUT_DOC, README):
        links = re.findall(r"https://mybinder\.org/v2/gh/[^\s)`]+", doc.read_text(encoding="utf-8"))
        assert any(link.endswith("urlpath=" + path) for link in links), (doc.name, links)
        lab = path.replace("voila/render/", "lab/tree/")
        assert any(link.endswith("urlpath=" + lab) for link in links), (doc.name, links)


def _bash_syntax_ok(path: Path) -> None:
    bash = shutil.which("bash")
    if bash:
        subprocess.run([bash, "-n", str(path)], check=True, timeout=30)


def test_postbuild_is_executable_strict_bash_and_vendors_the_javascript():
    assert os.access(POSTBUILD, os.X_OK)
    lines = POSTBUILD.read_text(encoding="utf-8").splitlines()
    assert lines[0] in ("#!/bin/bash", "#!/usr/bin/env bash")
    commands = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in commands
    assert "python tools/vendor_js.py" in commands
    assert commands.index("set -euo pipefail") < commands.index("python tools/vendor_js.py")
    _bash_syntax_ok(POSTBUILD)


def test_start_is_executable_and_wraps_the_command():
    assert os.access(START, os.X_OK)
    text = START.read_text(encoding="utf-8")
    assert "JUPYTER_PATH" in text and "JUPYTER_CONFIG_PATH" in text
    assert text.rstrip().splitlines()[-1].strip() == 'exec "$@"'
    _bash_syntax_ok(START)


def test_build_script_builds_the_image_the_config_names(config):
    assert os.access(BUILD_SCRIPT, os.X_OK)
    text = BUILD_SCRIPT.read_text(encoding="utf-8")
    for flag in ("jupyter-repo2docker", "--no-run", "--user-name jovyan", "--user-id 1000",
                 "--image-name", "docker push"):
        assert flag in text, flag
    assert config["singleuser"]["image"]["name"] in text
    assert "set -euo pipefail" in text
    _bash_syntax_ok(BUILD_SCRIPT)
