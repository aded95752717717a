#!/usr/bin/env bash
# Install duban and run the main job on the bundled corpora: extract every notice in
# corpora/notices/ to outputs/records/ and score the records against the gold annotations (and
# the .docx and .pdf twins in corpora/formats/ against the same gold); then build the tracker
# (outputs/tracker.db, embedded SQLite) from the same folder and query it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
D=.venv/bin/duban
$D extract corpora/notices --out outputs/records
$D evaluate --gold corpora/gold --pred outputs/records
for fmt in docx pdf; do
  $D extract corpora/formats/$fmt --out outputs/records_$fmt
  echo "== .$fmt twins:"
  $D evaluate --gold corpora/gold --pred outputs/records_$fmt --only-predicted | tail -1
done
$D extract corpora/genre/notices --out outputs/records_genre
echo "== corpora/genre (notices written as the held-out genres are):"
$D evaluate --gold corpora/genre/gold --pred outputs/records_genre | tail -1
$D rebuild --inbox corpora/notices --db outputs/tracker.db --settle 0
$D deadlines --db outputs/tracker.db --upcoming 365 --as-of 2026-11-23
$D people --db outputs/tracker.db 李卫东
