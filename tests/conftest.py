from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root():
    return ROOT


def shared_or_skip(*parts) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (a user's clone has no ../shared)")
    return p


@pytest.fixture(scope="session")
def corpus_tracker(tmp_path_factory):
    """(folder, rebuild summary): an inbox copied from corpora/notices and the tracker rebuilt from
    it, built once for the whole run. Shared: tests that change either work on copies."""
    import shutil

    from pipeline.tracker.rebuild import rebuild

    base = tmp_path_factory.mktemp("corpus_tracker")
    shutil.copytree(ROOT / "corpora" / "notices", base / "inbox")
    return base, rebuild(base / "inbox", base / "tracker.db", jobs=1, settle=0)
