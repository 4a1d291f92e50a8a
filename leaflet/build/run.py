"""Running the renders: one after another in this process, or in a pool of worker processes.

The pool is pebble's ``ProcessPool``: a crashed worker fails only the artifact it
was rendering, a render that runs past its timeout is stopped and fails alone,
and each worker is replaced after ``MAX_TASKS_PER_WORKER`` renders so that no
worker's memory grows with the size of the library.  Workers are forked where the
system can fork, so they start with the writers this build needs already
imported (WeasyPrint alone takes over a second to import).

Parsing and translating happen here in the builder, a group at a time and only a
little ahead of the renders, so that each leaflet is parsed once whatever the
number of workers; workers only run writers and send back bytes, and the builder
writes every file, so a worker stopped half-way leaves nothing half-written.

A build stopped by Ctrl-C, TERM or HUP stops its workers, keeps what it has
built and raises ``Interrupted``; workers die with the builder even when it is
killed outright (``worker_start``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from ..errors import LeafletError, Problem
from ..library import Library
from .artifact import Outcome, Result, land, peak_mb, prepare, render_all, unit
from .coverage_cache import CACHE_FOLDER
from .plan import Job, Sources

POOL_MIN_SECONDS = 1.0  # below this much work, starting workers costs more than it saves
# After this many renders a worker is replaced, so that its memory cannot creep.  Not much
# fewer: a new worker's first renders pay again for compiling templates and loading fonts
# (about 0.3 s), which at 40 renders cost a tenth of a large build's time.
MAX_TASKS_PER_WORKER = 150
RENDER_TIMEOUT = 300.0  # seconds one render may take in a worker before it is stopped
PARENT_CHECK_SECONDS = 1.0  # how often a worker without PR_SET_PDEATHSIG looks for its parent


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Schedule:
    """The renders left, in groups of one leaflet, language and source edition.

    A group is translated here when its renders are next needed, and its renders are
    handed out heaviest first, so that a build does not end with one PDF on one core
    while the others idle; groups are prepared only a little ahead, so their trees are
    not all held at once.  A task is one render: one artifact, or a format and the
    companions its render makes (the format records' ``made_by``) together.  Each
    outcome goes to ``record`` as soon as it is known, ``changing`` is told each file's
    path and bytes just before it is written, and ``idle`` is called at least twice a
    second while the workers render."""

    def __init__(self, library: Library, out: Path, sources: Sources, stale: dict,
                 strict: bool, costs: dict[Job, float], lookahead: int,
                 record: Callable[[Outcome], None], idle: Callable[[], None] = lambda: None,
                 settings: dict | None = None,
                 changing: Callable[[str, bytes], None] = lambda path, data: None):
        self.library, self.out, self.sources, self.strict = library, out, sources, strict
        self.settings = settings or {}  # the selection's writer settings, for prepare()
        self.changing = changing
        self.pending = deque(stale.items())
        self.costs, self.lookahead, self.record = costs, lookahead, record
        self.idle = idle  # called while waiting for workers
        self.ready: list = []  # (cost, sequence, job, key, group)
        self.prepared: dict = {}  # group -> [translation, options, renders left]
        self.groups_left: dict[tuple[str, str], int] = {}  # (slug, edition) -> groups
        for slug, _lang, edition in stale:
            self.groups_left[(slug, edition)] = self.groups_left.get((slug, edition), 0) + 1
        self.warnings: list[Problem] = []

    def next(self) -> tuple[list[tuple[Job, str]], tuple] | None:
        """The next task as ([(job, key), ...], group), or None when nothing is left."""
        while self.pending and len(self.ready) < self.lookahead:
            self._prepare(*self.pending.popleft())
        if not self.ready:
            return None
        self.ready.sort(key=lambda r: (r[0], -r[1]))
        _, _, job, key, group = self.ready.pop()
        task = [(job, key)]
        partners = [r for r in self.ready if unit(r[2]) == unit(job)]
        for partner in partners:
            self.ready.remove(partner)
            task.append((partner[2], partner[3]))
        return task, group

    def arguments(self, task: list[tuple[Job, str]], group: tuple) -> tuple:
        """What ``render_all()`` is called with for this task."""
        translation, options, _ = self.prepared[group]
        return [job for job, _ in task], translation.leaflet, options, self.strict

    def _prepare(self, group: tuple, jobs: list[tuple[Job, str]]) -> None:
        slug, _, edition = group
        try:
            translation, options = prepare(self.library, self.sources, group, self.strict)
            options = dataclasses.replace(options, **self.settings, speech_cache=str(
                Path(self.out) / CACHE_FOLDER / "speech"))
        except Exception as exc:
            if isinstance(exc, LeafletError):
                error = str(exc)
            else:  # the parser's or translator's own bug: reported, never a crash
                rel = self.library.rel(self.library.source_file(slug, edition))
                error = f"{rel}: could not be read ({type(exc).__name__}: {exc})"
            for job, _ in jobs:
                self.record(Outcome(job, "failed", error=error))
            self._group_done(group)
            return
        self.warnings.extend(translation.warnings)
        self.warnings.extend(translation.fallbacks)
        self.prepared[group] = [translation, options, len(jobs)]
        for job, key in jobs:
            self.ready.append((self.costs[job], len(self.ready), job, key, group))

    def done(self, task: list[tuple[Job, str]], group: tuple,
             rendered: list[Result]) -> None:
        """A task's renders came back: write their files and record them."""
        for (job, key), answer in zip(task, rendered, strict=True):
            with signals_held():  # a file that has landed is in the manifest too
                if answer.data is not None:
                    self.changing(job.path(), answer.data)
                outcome = land(self.out, job, answer, key, self.prepared[group][0])
                self.record(outcome)
            # the same warning from several artifacts (of every language) once
            self.warnings.extend(w for w in outcome.warnings if w not in self.warnings)
            self._rendered(group)

    def failed(self, task: list[tuple[Job, str]], group: tuple, reason: str) -> None:
        """A task came back with no answer: its worker died or was stopped."""
        for job, _ in task:
            self._rendered(group)
            self.record(Outcome(job, "failed", error=f"{job.path()}: could not be written "
                                f"({reason})"))

    def _rendered(self, group: tuple) -> None:
        self.prepared[group][2] -= 1
        if not self.prepared[group][2]:
            del self.prepared[group]  # its translated tree is no longer needed
            self._group_done(group)

    def _group_done(self, group: tuple) -> None:
        slug, _, edition = group
        self.groups_left[(slug, edition)] -= 1
        if not self.groups_left[(slug, edition)]:
            self.sources.release(slug, edition)  # no language needs its parse any more


def run_here(schedule: Schedule) -> float:
    """Render every artifact in this process, one after another; the peak memory."""
    while (task := schedule.next()) is not None:
        jobs, group = task
        schedule.done(jobs, group, render_all(*schedule.arguments(jobs, group)))
    return peak_mb()


def run_pool(schedule: Schedule, size: int, timeout: float | None = RENDER_TIMEOUT) -> float:
    """Render in ``size`` worker processes; the peak memory of a worker."""
    from concurrent.futures import FIRST_COMPLETED, TimeoutError, wait

    from pebble import ProcessExpired, ProcessPool

    pool = ProcessPool(max_workers=size, max_tasks=MAX_TASKS_PER_WORKER,
                       initializer=worker_start, initargs=(os.getpid(),), context=_context())
    running: dict = {}
    peak = 0.0
    try:
        while True:
            while len(running) < 2 * size and (task := schedule.next()) is not None:
                jobs, group = task
                future = pool.schedule(render_all, args=schedule.arguments(jobs, group),
                                       timeout=timeout and timeout * len(jobs))
                running[future] = task
            if not running:
                break
            finished, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
            schedule.idle()
            for future in finished:
                jobs, group = running.pop(future)
                try:
                    rendered = future.result()
                except TimeoutError:
                    schedule.failed(jobs, group, f"it took longer than {timeout:g} s, so it "
                                    "was stopped; the writer may be stuck on this leaflet")
                except ProcessExpired as exc:
                    schedule.failed(jobs, group, death(exc.exitcode))
                except Exception as exc:  # it could not be sent to a worker, or back
                    schedule.failed(jobs, group, f"{type(exc).__name__}: {exc}")
                else:
                    peak = max([peak, *(r.peak_mb for r in rendered)])
                    schedule.done(jobs, group, rendered)
        pool.close()
        pool.join()
    except BaseException:  # interrupted: stop every worker before going on
        pool.stop()
        pool.join()
        raise
    return peak


def death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        why = ": out of memory?" if -exitcode == signal.SIGKILL else ""
        return f"the worker rendering it was stopped by {name}{why}"
    return f"the worker rendering it stopped (exit status {exitcode})"


def _context():
    """Fork where the system can (workers start warm); spawn elsewhere."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


# Workers that die with the builder ---------------------------------------------------------

PR_SET_PDEATHSIG = 1


def worker_start(parent: int) -> None:
    """Run first in every worker: leave hang-ups to the builder (which stops the workers
    itself) and die with the builder, even when it is killed outright, so that no worker
    is left blocked on a pipe for good."""
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    if not _ask_to_die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the builder died before the request was made
        os._exit(1)


def _ask_to_die_with_parent() -> bool:
    """Linux's PR_SET_PDEATHSIG: the kernel kills this process when its parent goes."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Elsewhere: notice that the builder is gone (this process is handed to another
    parent) and exit."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


# Stopping a build -----------------------------------------------------------------------

class Interrupted(KeyboardInterrupt):
    """The build was stopped by a signal; what it had built is kept."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class _Held:
    """The blocks that stop signals wait for, open in the main thread, and the signal that
    arrived in one of them."""

    depth = 0
    signum: int | None = None


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """A block that Ctrl-C, TERM and HUP wait for: within ``interruptible()``, one that
    arrives in the block raises ``Interrupted`` as the block ends (unless the block raised).

    It is ``interruptible()``'s handler that waits, not the system: blocking the signals
    in this thread (``pthread_sigmask``) would hold nothing back once the process has
    other threads (the pool's do), since the system then hands the signal to one of them
    and Python still runs the handler here, in the middle of the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _Held.depth += 1
    try:
        yield
    finally:
        _Held.depth -= 1
    if not _Held.depth and _Held.signum is not None:
        signum, _Held.signum = _Held.signum, None
        raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, Ctrl-C, TERM and HUP all raise ``Interrupted`` (once: the clean-up
    that follows is not interrupted again).  A signal the caller ignores stays ignored
    (``nohup``, a background job); outside the main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    _Held.signum = None

    def stop(signum, _frame):
        for number in previous:
            signal.signal(number, signal.SIG_IGN)
        if _Held.depth:  # raised as the held block ends
            _Held.signum = signum
            return
        raise Interrupted(signum)

    for number in STOP_SIGNALS:
        handler = signal.getsignal(number)
        if handler is not signal.SIG_IGN:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _Held.signum = None
