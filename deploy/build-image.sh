#!/bin/bash
# Build the workbook's image with repo2docker and push it to your registry,
# for JupyterHub (deploy/z2jh/config.yaml). Needs docker and
#   pip install jupyter-repo2docker
# Run from anywhere in a clean checkout:
#   IMAGE=registry.example.org/ivig-ms-workbook deploy/build-image.sh [TAG]
# TAG defaults to the current commit. Then put IMAGE and TAG into
# singleuser.image in deploy/z2jh/config.yaml and run helm upgrade.
# With INSTRUCTOR_IMAGE=registry.example.org/ivig-ms-workbook-instructor set,
# it also builds and pushes the instructor image that
# deploy/z2jh/optional/instructor-profile.yaml names: the same image plus
# instructor/, which postBuild deletes from the students' image. Push that one
# to a registry students cannot pull from: it holds the keys.
# Documentation only: no test runs this script.
set -euo pipefail

cd "$(dirname "$0")/.."
IMAGE="${IMAGE:-registry.example.org/ivig-ms-workbook}"   # placeholder: your registry
TAG="${1:-$(git rev-parse --short=12 HEAD)}"

if [[ -n "$(git status --porcelain)" ]]; then
    echo "The work tree has uncommitted changes; commit them so the tag names what is built." >&2
    exit 1
fi

# --user-name/--user-id: z2jh runs user pods as uid 1000 (jovyan); without
# --user-id, repo2docker would use the uid of whoever runs this script.
# repo2docker installs environment.yml, runs postBuild (installs the workbook,
# vendors the JavaScript) and makes `start` the entrypoint wrapper (it sets
# JUPYTER_PATH and JUPYTER_CONFIG_PATH for the workbook's Voila template and
# configuration). docs/binder-image.md lists what to check in the image.
jupyter-repo2docker \
    --no-run \
    --user-name jovyan \
    --user-id 1000 \
    --image-name "${IMAGE}:${TAG}" \
    .

docker push "${IMAGE}:${TAG}"
echo "Pushed ${IMAGE}:${TAG}. Set singleuser.image.name/tag in deploy/z2jh/config.yaml to it."

if [[ -n "${INSTRUCTOR_IMAGE:-}" ]]; then
    # The Dockerfile comes on stdin; the build context is this checkout.
    printf 'FROM %s\nCOPY --chown=1000:1000 instructor /home/jovyan/instructor\n' "${IMAGE}:${TAG}" |
        docker build --tag "${INSTRUCTOR_IMAGE}:${TAG}" --file - .
    docker push "${INSTRUCTOR_IMAGE}:${TAG}"
    echo "Pushed ${INSTRUCTOR_IMAGE}:${TAG}. Set its tag in deploy/z2jh/optional/instructor-profile.yaml."
fi
