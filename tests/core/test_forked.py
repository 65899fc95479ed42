"""Finding names and quotes in a forked child gives the same comparison."""

from __future__ import annotations

import os

import pytest

from storylens.core import compare as compare_module
from storylens.core.forked import both, can_fork
from storylens.core.load import load_sources
from storylens.demo import demo_sources


def _demo():  # type: ignore[no-untyped-def]
    paths, labels = demo_sources()
    return load_sources(paths, labels=labels)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="this platform cannot fork")
def test_forked_names_and_quotes_equal_the_sequential_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _demo()
    monkeypatch.setattr(compare_module, "can_fork", lambda: False)
    alone = compare_module.compare(docs)
    calls: list[bool] = []
    real_both = compare_module.both

    def spy(here, there, *, fork):  # type: ignore[no-untyped-def]
        calls.append(fork)
        return real_both(here, there, fork=fork)

    monkeypatch.setattr(compare_module, "FORK_FROM", 0)
    monkeypatch.setattr(compare_module, "can_fork", lambda: True)
    monkeypatch.setattr(compare_module, "both", spy)
    forked = compare_module.compare(docs)
    assert calls == [True]
    assert forked.spans == alone.spans
    assert list(forked.spans) == list(alone.spans)
    assert forked.links == alone.links and forked.divergences == alone.divergences
    assert forked.entities == alone.entities and forked.quotes == alone.quotes
    assert forked.entities and forked.quotes


@pytest.mark.skipif(not hasattr(os, "fork"), reason="this platform cannot fork")
def test_a_failing_child_falls_back_to_the_parent() -> None:
    runs: list[int] = []

    def there() -> int:
        runs.append(os.getpid())
        if len(runs) == 1 and os.getpid() != parent:
            raise RuntimeError("child fails")
        return 7

    parent = os.getpid()
    # In the child the first call fails; the parent then computes it itself.
    assert both(lambda: 1, there, fork=True) == (1, 7)
    assert runs == [parent]


def test_no_fork_while_other_threads_run() -> None:
    import threading

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert can_fork() is False
    finally:
        stop.set()
        worker.join()
