"""The scale-out files (deploy/, postBuild, start) checked without Kubernetes, Helm or docker.

deploy/z2jh/config.yaml, alone and merged with each file in deploy/z2jh/optional/, is validated
against the z2jh chart's own values schema for chart 4.4.0, stored verbatim in
deploy/z2jh/values.schema.yaml. Helm validates the chart's default values merged with ours. This
test validates our overrides alone, so the schema's `required` keywords are dropped (the chart's
defaults supply those keys). additionalProperties, types and enums still apply, and the negative
tests show that a misspelt key or a wrong type is rejected.

repo2docker facts relied on here were read in its source (jupyterhub/repo2docker at 808ae6b,
repo2docker/buildpacks/base.py): the repository is copied to ${REPO_DIR} (ENV REPO_DIR, by
default the home folder), postBuild runs there as the notebook user once at build time, and the
entrypoint runs `${REPO_DIR}/start CMD...` at every launch (repo2docker-entrypoint, R2D_ENTRYPOINT).
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
Z2JH_OPTIONAL = sorted((REPO / "deploy" / "z2jh" / "optional").glob("*.yaml"))
VOILA_JSON = REPO / "etc" / "jupyter" / "voila.json"
SERVER_JSON = REPO / "etc" / "jupyter" / "jupyter_server_config.json"
POSTBUILD = REPO / "postBuild"
START = REPO / "start"
BUILD_SCRIPT = REPO / "deploy" / "build-image.sh"
SCALE_OUT_DOC = REPO / "docs" / "scale-out.md"
README = REPO / "README.md"

# The upstream file below the header's marker line: jupyterhub/zero-to-jupyterhub-k8s,
# jupyterhub/values.schema.yaml at tag 4.4.0 (this commit), the chart release config.yaml names.
# Length and digest are those of `git show 4.4.0:jupyterhub/values.schema.yaml`; the digest
# catches any later edit to the vendored text.
CHART_VERSION = "4.4.0"
SCHEMA_COMMIT = "5c5f5df751588a68a7781ead01d0f62e88e2e72f"
SCHEMA_MARKER = "# ----------------------------- BEGIN VERBATIM -----------------------------\n"
SCHEMA_CHARS = 131524
SCHEMA_SHA256 = "1d9d48ee343efda1140edfc3de4d8ec4113ae9173bf9e44b83f19c2ca335a0dc"

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


def helm_merge(base, override):
    """Values merged as Helm merges --values files: maps recursively, anything else (lists
    included) replaced by the later file."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = helm_merge(base.get(key), value) if key in base else value
        return merged
    return copy.deepcopy(override)


@pytest.fixture(scope="module", params=Z2JH_OPTIONAL, ids=[p.stem for p in Z2JH_OPTIONAL])
def with_optional(request, config) -> dict:
    """config.yaml merged with one optional values file."""
    return helm_merge(config, load_yaml(request.param))


def errors(validator, values) -> list[str]:
    return ["/".join(map(str, e.absolute_path)) + ": " + e.message
            for e in validator.iter_errors(values)]


# ---------------------------------------------------------------- the schema itself

def test_schema_is_the_vendored_upstream_text():
    text = Z2JH_SCHEMA.read_text(encoding="utf-8")
    header, marker, body = text.partition(SCHEMA_MARKER)
    assert marker, "the header's BEGIN VERBATIM line is missing"
    for fact in ("jupyterhub/zero-to-jupyterhub-k8s", "jupyterhub/values.schema.yaml",
                 f"Tag:               {CHART_VERSION}", SCHEMA_COMMIT, f"{SCHEMA_CHARS} characters",
                 "BSD-3-Clause"):
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


def test_schema_is_the_4x_one_the_config_names(schema):
    """Keys chart 4.x added are there (3.x lacked them), and config.yaml and docs/scale-out.md
    install the chart version the schema came from."""
    props = schema["properties"]
    assert "httpRoute" in props and "extraPaths" in props["ingress"]["properties"]
    assert "subPath" in props["singleuser"]["properties"]["storage"]["properties"]["dynamic"]["properties"]
    # 4.x checks hub.config's class names (3.x let anything through).
    assert props["hub"]["properties"]["config"]["additionalProperties"] is False
    for doc in (Z2JH_CONFIG, SCALE_OUT_DOC):
        versions = set(re.findall(r"--version (\S+)", doc.read_text(encoding="utf-8")))
        assert versions == {CHART_VERSION}, (doc.name, versions)


# ---------------------------------------------------------------- z2jh config: valid

def test_z2jh_config_is_valid_against_the_chart_schema(validator, config):
    assert errors(validator, config) == []


def test_only_missing_required_keys_separate_it_from_a_full_values_file(schema, config):
    # Against the unmodified schema the overrides fail only for keys the chart's defaults supply.
    full = jsonschema.Draft7Validator(schema)
    kinds = {e.validator for e in full.iter_errors(config)}
    assert kinds <= {"required"}, kinds


def test_config_with_each_optional_file_is_valid(validator, with_optional):
    assert errors(validator, with_optional) == []


def test_helm_merge_replaces_lists_and_merges_maps():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    assert helm_merge(base, {"a": {"c": [3]}, "e": 2}) == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}


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
    # hub.config takes only class names (capitalised) mapping to objects: 4.x, not 3.x
    ("hub.config.authenticator", {"allowed_users": ["a"]}, "authenticator"),
    ("hub.config.Authenticator", "generic-oauth", "is not of type 'object'"),
    ("singleuser.profileList", {"student": {}}, "is not of type 'array'"),
    ("singleuser.storage.homeMountpath", "/home/jovyan/my-work", "homeMountpath"),
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


def _home_is_visible(values) -> bool:
    storage = values["singleuser"]["storage"]
    return storage["type"] == "none" or storage.get("homeMountPath") not in (None, "/home/jovyan")


def test_the_home_folder_is_not_hidden_by_a_volume(config, with_optional):
    assert _home_is_visible(config) and _home_is_visible(with_optional)
    # A volume at the home folder (the chart's default mount point) would hide the repository.
    assert not _home_is_visible(_set(config, "singleuser.storage", {"type": "dynamic"}))


def test_no_disk_plus_culling_comes_with_a_plain_warning(config):
    """With storage: none, the culler's stop loses every change: the values file says so beside
    the setting and names the optional volume, and docs/scale-out.md says so too."""
    assert config["singleuser"]["storage"]["type"] == "none" and config["cull"]["enabled"]
    text = Z2JH_CONFIG.read_text(encoding="utf-8")
    comment = text[:text.index("  storage:\n    type: none")].rsplit("\n\n", 1)[-1]
    assert "WARNING" in comment and "lost" in comment, comment
    assert "optional/per-user-volume.yaml" in comment
    assert (REPO / "deploy" / "z2jh" / "optional" / "per-user-volume.yaml").is_file()
    assert "lose" in SCALE_OUT_DOC.read_text(encoding="utf-8")


def test_the_optional_volume_is_small_and_below_the_home_folder():
    storage = load_yaml(REPO / "deploy" / "z2jh" / "optional" / "per-user-volume.yaml")["singleuser"]["storage"]
    assert storage["type"] == "dynamic"
    assert storage["homeMountPath"].startswith("/home/jovyan/")
    assert to_bytes(storage["capacity"].replace("Gi", "G").replace("Mi", "M")) <= 2 * 1024**3


# ---------------------------------------------------------------- z2jh config: who may log in

def test_a_real_authenticator_replaces_the_dummy_one(config):
    """The chart's default, `dummy`, lets anyone in with any password."""
    hub = config["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] not in (
        None, "", "dummy", "jupyterhub.auth.DummyAuthenticator")
    auth = hub["Authenticator"]
    assert auth["admin_users"] and auth["allowed_users"]
    assert isinstance(auth["allowed_users"], list) and isinstance(auth["admin_users"], list)
    assert not any(cls.get("allow_all") for cls in hub.values() if isinstance(cls, dict))


def test_the_generic_oauth_example_names_the_settings_it_needs(config):
    """oauthenticator 17.4.0 (the chart's hub image) registers GenericOAuthenticator as
    `generic-oauth`; it needs these to log anyone in. The secret is not among them."""
    hub = config["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == "generic-oauth"
    generic = hub["GenericOAuthenticator"]
    for key in ("client_id", "oauth_callback_url", "authorize_url", "token_url", "userdata_url",
                "username_claim"):
        assert generic[key], key
    assert generic["oauth_callback_url"].startswith("https://")
    assert generic["oauth_callback_url"].endswith("/hub/oauth_callback")
    assert "client_secret" not in generic


# ---------------------------------------------------------------- the optional instructor profile

INSTRUCTOR_VALUES = REPO / "deploy" / "z2jh" / "optional" / "instructor-profile.yaml"
# The keys kubespawner 7.0.0 documents for a profile_list entry (KubeSpawner.profile_list); the
# chart's schema does not look inside the entries, so a misspelt key would pass it silently.
PROFILE_KEYS = {"display_name", "description", "default", "slug", "kubespawner_override",
                "profile_options"}


def profiles_offered(values: dict, *, admin: bool) -> list[str]:
    """The profile slugs a user gets, as the chart's hub config builds them: profile_list from
    singleuser.profileList, then every hub.extraConfig snippet run with `c` in scope
    (jupyterhub/files/hub/jupyterhub_config.py in chart 4.4.0)."""
    from types import SimpleNamespace

    from traitlets.config import Config

    c = Config()
    c.KubeSpawner.profile_list = copy.deepcopy(values["singleuser"].get("profileList", []))
    for _, snippet in sorted(values.get("hub", {}).get("extraConfig", {}).items()):
        exec(snippet, {"c": c})  # as the chart does with these strings
    profiles = c.KubeSpawner.profile_list
    if callable(profiles):
        profiles = profiles(SimpleNamespace(user=SimpleNamespace(admin=admin)))
    return [p["slug"] for p in profiles]


@pytest.fixture(scope="module")
def with_instructor(config) -> dict:
    return helm_merge(config, load_yaml(INSTRUCTOR_VALUES))


def test_the_instructor_profile_opens_the_instructor_folder_in_its_own_image(config, with_instructor):
    profiles = with_instructor["singleuser"]["profileList"]
    for profile in profiles:
        assert set(profile) <= PROFILE_KEYS, set(profile) - PROFILE_KEYS
    defaults = [p for p in profiles if p.get("default")]
    assert len(defaults) == 1 and defaults[0]["slug"] == "student"
    # The student profile changes nothing: students land on config.yaml's start-here app.
    assert "kubespawner_override" not in defaults[0]
    override = next(p for p in profiles if p["slug"] == "instructor")["kubespawner_override"]
    assert override["default_url"] == "/lab/tree/instructor"
    # postBuild deletes instructor/ from the students' image, so the profile needs its own.
    image = override["image"].rsplit(":", 1)[0]
    assert image != config["singleuser"]["image"]["name"]
    assert image in BUILD_SCRIPT.read_text(encoding="utf-8")  # the script builds it
    assert to_bytes(override["mem_limit"]) >= to_bytes(config["singleuser"]["memory"]["limit"])
    assert "profileList" not in config["singleuser"]  # optional: no form unless it is added


def test_only_admins_are_offered_the_instructor_profile(config, with_instructor):
    assert config["hub"]["config"]["Authenticator"]["admin_users"]
    assert profiles_offered(with_instructor, admin=True) == ["student", "instructor"]
    assert profiles_offered(with_instructor, admin=False) == ["student"]


def test_without_the_extra_config_students_would_be_offered_it(with_instructor):
    """The check above can fail: the profile list alone offers every profile to everyone."""
    bare = copy.deepcopy(with_instructor)
    del bare["hub"]["extraConfig"]
    assert profiles_offered(bare, admin=False) == ["student", "instructor"]


# ---------------------------------------------------------------- Binder and repo2docker

def test_binder_links_open_the_same_start_page_as_the_hub(config):
    # No BinderHub config is shipped: mybinder.org builds this repository as it is. Every Binder
    # link is written by tools/links.py (tests/project/test_links.py checks the documents).
    from tools import links

    path = config["singleuser"]["defaultUrl"].lstrip("/")
    assert links.VOILA_PATH == path
    assert links.LAB_PATH == path.replace("voila/render/", "lab/tree/")


def _bash_syntax_ok(path: Path) -> None:
    bash = shutil.which("bash")
    if bash:
        subprocess.run([bash, "-n", str(path)], check=True, timeout=30)


def test_postbuild_is_executable_strict_bash_installs_the_workbook_and_vendors_the_javascript():
    assert os.access(POSTBUILD, os.X_OK)
    lines = POSTBUILD.read_text(encoding="utf-8").splitlines()
    assert lines[0] in ("#!/bin/bash", "#!/usr/bin/env bash")
    commands = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    install = "python -m pip install --no-deps -e ."  # environment.yml has every dependency
    assert commands[:2] == ["set -euo pipefail", 'cd "$(dirname "$0")"']
    # ... and then leaves the instructor folder out of the students' image (test_instructor.py)
    assert commands[2:] == [install, "python tools/vendor_js.py", "rm -rf instructor"]
    _bash_syntax_ok(POSTBUILD)


def test_start_is_executable_and_wraps_the_command():
    assert os.access(START, os.X_OK)
    text = START.read_text(encoding="utf-8")
    assert "JUPYTER_PATH" in text and "JUPYTER_CONFIG_PATH" in text
    assert text.rstrip().splitlines()[-1].strip() == 'exec "$@"'
    _bash_syntax_ok(START)


def start_env(script: Path, cwd: Path, **env: str) -> dict[str, str]:
    """The environment `script` hands to the command it wraps, run with nothing but `env`
    (as `env -i ... bash start env`)."""
    bash = shutil.which("bash")
    assert bash, "bash is needed to run start"
    out = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), bash, str(script),
                          "env"], cwd=cwd, capture_output=True, text=True, timeout=30, check=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def paths_point_into(env: dict[str, str], repo: Path) -> bool:
    return (env["JUPYTER_PATH"].split(":")[0] == f"{repo}/share/jupyter"
            and env["JUPYTER_CONFIG_PATH"].split(":")[0] == f"{repo}/etc/jupyter")


def test_start_points_jupyter_at_repo_dir_not_home(tmp_path):
    """In the image, repo2docker sets REPO_DIR; it need not be $HOME (--target-repo-dir)."""
    repo, home = tmp_path / "srv" / "workbook", tmp_path / "home" / "jovyan"
    env = start_env(START, cwd=tmp_path, REPO_DIR=str(repo), HOME=str(home),
                    JUPYTER_PATH="/opt/extra")
    assert paths_point_into(env, repo), env
    assert str(home) not in env["JUPYTER_PATH"] + env["JUPYTER_CONFIG_PATH"]
    assert env["JUPYTER_PATH"] == f"{repo}/share/jupyter:/opt/extra"  # earlier paths are kept
    assert env["JUPYTER_CONFIG_PATH"] == f"{repo}/etc/jupyter"        # no empty entry added


def test_start_without_repo_dir_uses_its_own_folder(tmp_path):
    """Outside an image (conda: ./start voila notebooks/), run from anywhere."""
    copy_dir = tmp_path / "clone"
    copy_dir.mkdir()
    shutil.copy2(START, copy_dir / "start")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = start_env(copy_dir / "start", cwd=elsewhere, HOME=str(elsewhere))
    assert paths_point_into(env, copy_dir), env
    assert paths_point_into(start_env(START, cwd=elsewhere, HOME=str(elsewhere)), REPO)


def test_the_start_check_fails_for_a_start_that_trusts_home(tmp_path):
    """The check can fail: the start script before issue 19 used $HOME as the repository."""
    old = tmp_path / "start"
    old.write_text('#!/bin/bash\n'
                   'export JUPYTER_PATH="${HOME}/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"\n'
                   'export JUPYTER_CONFIG_PATH="${HOME}/etc/jupyter${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"\n'
                   'exec "$@"\n')
    repo = tmp_path / "srv" / "workbook"
    env = start_env(old, cwd=tmp_path, REPO_DIR=str(repo), HOME=str(tmp_path / "home"))
    assert not paths_point_into(env, repo)


def test_start_passes_the_command_and_its_exit_code_through(tmp_path):
    bash = shutil.which("bash")
    result = subprocess.run(["env", "-i", f"HOME={tmp_path}", bash, str(START), "bash", "-c",
                             'printf "%s|" "$@"; exit 7', "x", "a b", "c"],
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (7, "a b|c|")


def test_build_script_builds_the_image_the_config_names(config):
    assert os.access(BUILD_SCRIPT, os.X_OK)
    text = BUILD_SCRIPT.read_text(encoding="utf-8")
    for flag in ("jupyter-repo2docker", "--no-run", "--user-name jovyan", "--user-id 1000",
                 "--image-name", "docker push"):
        assert flag in text, flag
    assert config["singleuser"]["image"]["name"] in text
    assert "set -euo pipefail" in text
    _bash_syntax_ok(BUILD_SCRIPT)
