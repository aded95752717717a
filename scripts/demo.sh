#!/usr/bin/env bash
# Install duban and run the main job on the bundled corpora: extract every notice in
# corpora/ to outputs/records/ and score the records against the gold annotations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/duban extract corpora/notices --out outputs/records
.venv/bin/duban evaluate --gold corpora/gold --pred outputs/records
