#!/usr/bin/env bash
# One command for the whole recipe: builds the Java feature extractor, then runs every step (each skips what is
# already on disk under training/work/, so re-running resumes). Needs Java 17 + Maven and a Python with
# training/requirements.txt (PYTHON=/path/to/python to choose; default: python3).
# Long: on 2 CPU cores about 10-11 h (the comparison runs included; one 50-epoch fold takes ~25 min). Logs:
# training/work/recipe.log.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
export KERAS_BACKEND=torch
if [ ! -f ser-examples/target/ser.jar ] || [ "${REBUILD_JAR:-0}" = 1 ]; then
  mvn -B -q -pl ser-examples -am package -DskipTests
fi
exec nice -n 10 "$PYTHON" -m training.recipe all "$@"
