"""Run ``async def`` tests in this folder with :func:`asyncio.run` (no async plugin needed).

Textual's ``App.run_test()`` is an async context manager; the project does not
depend on pytest-asyncio or anyio's plugin, so this hook runs coroutine tests
itself. It only applies to tests collected under ``tests/ui``.
"""

from __future__ import annotations

import asyncio
import inspect

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run a coroutine test function to completion on a fresh event loop."""
    function = pyfuncitem.obj
    if not inspect.iscoroutinefunction(function):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(function(**kwargs))
    return True
