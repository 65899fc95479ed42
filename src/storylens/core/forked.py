"""Run one half of a job in a forked child while the parent does the other half.

The engine is single-threaded Python; on a machine with a second core, a large
comparison's names and quotes (which need only the documents) are found in a
child while the parent aligns and classifies. A fork shares the parent's objects
copy-on-write, so nothing is sent to the child; only its result comes back,
pickled through a pipe. Where forking is not safe
or not worth it (no fork on the platform, one core, other threads running as in
the reader, a small job) the work runs in the parent, with the same result.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")


def can_fork() -> bool:
    """True when a child process can take half of the work safely."""
    if not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platforms without affinity
        cores = os.cpu_count() or 1
    # Forking a process with other threads can leave locks held in the child.
    return cores >= 2 and threading.active_count() == 1


def both(here: Callable[[], T], there: Callable[[], U], *, fork: bool) -> tuple[T, U]:
    """Return ``(here(), there())``, running *there* in a child when *fork* allows.

    If the child fails for any reason, *there* runs again in the parent: the
    result never depends on whether the fork worked.
    """
    if not fork:
        return here(), there()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running cleanup
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(there(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    mine = here()
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return mine, there()
    theirs: U = pickle.loads(data)
    return mine, theirs
