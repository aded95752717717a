#!/usr/bin/env bash
# Install duban and run the main job on the bundled corpora: extract every notice in
# corpora/notices/ to outputs/records/ and score the records against the gold annotations; then
# build the tracker (outputs/tracker.db, embedded SQLite) from the same folder and query it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
D=.venv/bin/duban
$D extract corpora/notices --out outputs/records
$D evaluate --gold corpora/gold --pred outputs/records
$D rebuild --inbox corpora/notices --db outputs/tracker.db --settle 0
$D deadlines --db outputs/tracker.db --upcoming 365 --as-of 2026-11-23
$D people --db outputs/tracker.db 李卫东
