"""Extraction on a Dask distributed cluster: ``duban rebuild --scheduler tcp://HOST:8786``.

A province's first build (hundreds of thousands of notices, scanned ones at ~3.5 CPU-seconds a
page) needs more than one machine. Start ``dask scheduler`` on one machine and
``dask worker tcp://HOST:8786 --nworkers auto --nthreads 1`` on each machine where duban is
installed (``pip install 'duban[cluster]'``); the rebuilding process still plans, writes the
tracker and links: only the extraction of new and changed files goes to the workers.

    >>> with DaskExtraction("tcp://10.0.0.5:8786") as cluster:
    ...     rebuild("inbox", "outputs/tracker.db", executor=cluster)

How it behaves:
- the workers get each file's bytes in its task (the inbox need not be mounted on them), write
  them to a private temporary file under the same name and run the very function the local pool
  runs (rebuild.extract_for_tracker); paths in the rows are put back to the rebuilding machine's;
- each worker process loads the pipeline once (a WorkerPlugin warms it when the worker joins);
- a bounded number of tasks is in flight (twice the workers' threads), results are consumed as
  they complete (``distributed.as_completed``), so memory stays bounded whatever the inbox;
- tasks are pure (keyed by the file's content hash, its paths and the extractor version): a worker
  lost midway has its tasks run again elsewhere by the scheduler; a file whose task still fails
  (its workers died too often: ``KilledWorker``) is one ``failures`` row, as a bad file is;
- a scheduler that cannot be reached, that has no workers, or whose workers run another
  extractor version is a one-line ClusterError before the tracker is touched; losing the
  scheduler midway aborts the run (the tracker is left as it was).

Workers with several threads share one process (and the GIL): give them ``--nthreads 1`` and
as many processes (``--nworkers``) as cores.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from pipeline.tracker.rebuild import TrackerError, extract_for_tracker

CONNECT_TIMEOUT = 5.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 30.0  # seconds to wait for a first worker on a scheduler that has none
RETRIES = 2  # a task that raises (not a lost worker: the scheduler handles those) is tried again
SLOW_ENV = "DUBAN_TEST_SLOW_EXTRACT"  # test hook: seconds each task sleeps on the worker (makes runs long enough to kill a worker in)


class ClusterError(TrackerError):
    """The cluster cannot be used (unreachable, no workers, another duban version): one line."""


# -- on the workers ---------------------------------------------------------------------------------------

def extract_bytes(data: bytes, name: str, rel: str, path: str, resolved: str) -> list[dict]:
    """rebuild.extract_for_tracker on a file's bytes: ``name`` its file name (the suffix chooses the
    reader), ``rel`` its inbox-relative path, ``path`` and ``resolved`` the file's path on the
    rebuilding machine (what the rows and records say, exactly as a local extraction would)."""
    delay = float(os.environ.get(SLOW_ENV) or 0)
    if delay:
        time.sleep(delay)
    with tempfile.TemporaryDirectory(prefix="duban-extract-") as d:
        tmp = Path(d) / name
        tmp.write_bytes(data)
        items = extract_for_tracker(str(tmp), rel)
        here = str(tmp)
        return [_restore(it, here, str(Path(here).resolve()), path, resolved) for it in items]


def _restore(item: dict, here: str, here_resolved: str, path: str, resolved: str) -> dict:
    """Put the rebuilding machine's paths back in one item: the documents row's ``file`` and the
    record's ``source.path`` (which names archive members as ``file/member``)."""
    import json

    if "error" in item:
        return {**item, "error": item["error"].replace(here, path)}
    rows = dict(item["rows"])
    doc = dict(rows["documents"][0], file=resolved if rows["documents"][0]["file"] == here_resolved
               else rows["documents"][0]["file"])
    record = json.loads(doc["record"])
    src = record.get("source") or {}
    if isinstance(src.get("path"), str) and (src["path"] == here or src["path"].startswith(here + "/")):
        src["path"] = path + src["path"][len(here):]
        doc["record"] = json.dumps(record, ensure_ascii=False, sort_keys=True)  # as store.fact_rows writes it
    rows["documents"] = [doc]
    return {**item, "rows": rows}


def worker_version() -> str:
    """The extractor version a worker runs (checked against the rebuilding machine's)."""
    from pipeline.extraction import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def _plugin():
    """A WorkerPlugin that loads the extraction pipeline once in each worker process, when it joins."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmPipeline(WorkerPlugin):
        name = "duban-warm-pipeline"
        idempotent = True

        def setup(self, worker):
            from pipeline.tracker.rebuild import _warm

            _warm()

    return WarmPipeline()


# -- on the rebuilding machine ---------------------------------------------------------------------

class DaskExtraction:
    """The rebuild's extraction executor on a Dask cluster (``rebuild(..., executor=this)``).

    ``run(files, progress)`` yields ``(path, rel, items)`` for each ``(path, rel)`` as results
    arrive, like rebuild's local pool; use it inside ``with`` (connects, checks, closes)."""

    def __init__(self, address: str, *, connect_timeout: float = CONNECT_TIMEOUT,
                 workers_timeout: float = WORKERS_TIMEOUT, in_flight: int | None = None):
        self.address, self.connect_timeout, self.workers_timeout = address, connect_timeout, workers_timeout
        self.in_flight = in_flight
        self.client = None
        self._levels = {}

    def __enter__(self):
        if self.client is None:
            self.connect()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def connect(self) -> None:
        """Reach the scheduler, wait for a worker, check the workers' duban, warm their pipelines."""
        try:
            import distributed
        except ImportError:
            raise ClusterError("--scheduler needs Dask distributed: pip install 'duban[cluster]'") from None
        import dask
        from pipeline.extraction import EXTRACTOR_VERSION

        if "://" not in self.address and ":" not in self.address:
            raise ClusterError(f"{self.address}: not a scheduler address (tcp://HOST:8786)")
        self._quiet()
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": f"{self.connect_timeout}s"}):
                self.client = distributed.Client(self.address, timeout=f"{self.connect_timeout}s",
                                                 set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address} "
                               f"({type(e).__name__}: {_first_line(e)})") from None
        try:
            try:
                self.client.wait_for_workers(1, timeout=self.workers_timeout)
            except TimeoutError:
                raise ClusterError(f"the Dask scheduler at {self.address} has no workers "
                                   f"(none joined in {self.workers_timeout:.0f} s)") from None
            try:
                versions = self.client.run(worker_version)
            except Exception as e:  # a worker without duban (or a broken one) cannot unpickle the call
                raise ClusterError(f"a worker of {self.address} cannot run duban "
                                   f"({type(e).__name__}: {_first_line(e)}); install duban on every worker") from None
            wrong = {w: v for w, v in versions.items() if v != EXTRACTOR_VERSION}
            if wrong:
                w, v = next(iter(wrong.items()))
                raise ClusterError(f"worker {w} runs duban's extractor version {v}, this one {EXTRACTOR_VERSION}: "
                                   f"install the same duban on every worker")
            self.client.register_plugin(_plugin())
        except ClusterError:
            self.close()
            raise
        except Exception as e:  # the scheduler went away (or broke) while we were setting up
            self.close()
            raise ClusterError(f"lost the Dask scheduler at {self.address} while connecting "
                               f"({type(e).__name__}: {_first_line(e)})") from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.close(timeout=self.connect_timeout)
            except Exception:
                pass  # closing a client whose scheduler is gone: nothing left to release
            self.client = None
        for logger, level in getattr(self, "_levels", {}).items():
            logger.setLevel(level)
        self._levels = {}

    def _quiet(self) -> None:
        """Silence the Dask client's own logging (reconnection tracebacks, warnings) while connected:
        what goes wrong reaches the user as one ClusterError line or a ``failures`` row."""
        import logging

        import distributed  # noqa: F401  (its logging config sets levels on these loggers)

        names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
        self._levels = {}
        for name in names:
            logger = logging.getLogger(name)
            self._levels[logger] = logger.level
            logger.setLevel(logging.CRITICAL + 1)

    def _limit(self) -> int:
        if self.in_flight:
            return self.in_flight
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        return max(4, 2 * threads)

    def run(self, files, progress):
        """Yield (path, rel, items) for each (path, inbox-relative path) as the cluster completes them."""
        import dask
        from distributed import as_completed

        from pipeline.extraction import EXTRACTOR_VERSION
        from pipeline.readers import MAX_BYTES

        if self.client is None:
            raise ClusterError("not connected to a Dask scheduler (use DaskExtraction in a with block)")
        todo = iter(files)
        pending = {}  # future -> (path, rel)
        failed = []  # (path, rel, items) of files that could not even be read here
        done = as_completed(loop=self.client.loop)

        def submit_next() -> bool:
            for p, rel in todo:
                try:
                    if Path(p).stat().st_size > MAX_BYTES:  # refused unread by the reader: no bytes shipped
                        failed.append((p, rel, extract_for_tracker(str(p), rel)))
                        continue
                    data = Path(p).read_bytes()
                except OSError as e:  # gone or unreadable since it was planned
                    failed.append((p, rel, [{"source": rel, "error": f"cannot read: {e.strerror or e}"}]))
                    continue
                path, resolved = str(p), str(Path(p).resolve())
                key = "duban-extract-" + hashlib.sha256(
                    b"\0".join([hashlib.sha256(data).digest(), rel.encode(), path.encode(), resolved.encode(),
                                EXTRACTOR_VERSION.encode()])).hexdigest()[:32]
                with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1GiB"}):  # a scan is MBs
                    fut = self.client.submit(extract_bytes, data, Path(p).name, rel, path, resolved,
                                             key=key, pure=True, retries=RETRIES)
                pending[fut] = (p, rel)
                done.add(fut)
                return True
            return False

        for _ in range(self._limit()):
            if not submit_next():
                break
        while True:
            while failed:
                p, rel, items = failed.pop()
                yield p, rel, items
                progress(p)
            if not pending:
                break
            fut = next(done)
            p, rel = pending.pop(fut)
            items = self._result(fut, rel)
            fut.release()
            submit_next()
            yield p, rel, items
            progress(p)

    def _result(self, fut, rel: str) -> list[dict]:
        """A task's items; a task the cluster gave up on (its workers kept dying) is the file's failure;
        a lost scheduler ends the run."""
        from distributed import KilledWorker

        try:
            return fut.result()
        except KilledWorker as e:
            return [{"source": rel, "error": f"extraction failed on the cluster (KilledWorker: {_first_line(e)[:160]})"}]
        except Exception as e:
            if self.client is None or self.client.status != "running" or fut.status == "cancelled":
                raise ClusterError(f"lost the Dask scheduler at {self.address} during the run "
                                   f"({type(e).__name__}); the rebuild stopped") from None
            return [{"source": rel, "error": f"extraction failed on the cluster ({type(e).__name__}: "
                                             f"{_first_line(e)[:160]})"}]


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
