"""Threads that make their first calls at once all get finished model hooks.

Each model's hooks are made on first use; a thread must never see another
thread's hook half-made. The check needs a fresh process (hooks already made by
other tests would hide the race), so it runs a small script in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys, threading, typing

sys.setswitchinterval(1e-6)  # switch threads as often as possible: this process only

import tiktok.models
from tiktok._converter import structure, to_dict

MODELS = [
    cls for name in tiktok.models.__all__
    if isinstance(cls := getattr(tiktok.models, name), type)
    and issubclass(cls, tiktok.models.Model)
]


def body(cl, depth=0):
    # Every nested model and list of models filled in, so each thread needs many hooks.
    out = {"zz_unknown": 1}
    for name, hint in typing.get_type_hints(cl).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = args[0] if args else hint
        if depth < 3 and isinstance(inner, type) and issubclass(inner, tiktok.models.Model):
            out[name] = body(inner, depth + 1)
        elif depth < 3 and typing.get_origin(inner) is list:
            item = typing.get_args(inner)[0]
            if isinstance(item, type) and issubclass(item, tiktok.models.Model):
                out[name] = [body(item, depth + 1)]
    return out


THREADS = int(sys.argv[1])
jobs = [(MODELS[i % len(MODELS)], body(MODELS[i % len(MODELS)])) for i in range(THREADS)]
barrier = threading.Barrier(THREADS)
failures = []


def work(cl, data):
    barrier.wait()
    try:
        model = structure(json.loads(json.dumps(data)), cl)
        if to_dict(model) != data:
            failures.append(f"{cl.__name__}: to_dict differs")
    except BaseException as exc:
        failures.append(f"{cl.__name__}: {type(exc).__name__}: {exc}")


threads = [threading.Thread(target=work, args=job) for job in jobs]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"threads": THREADS, "models": len(MODELS), "failures": failures}))
"""


def run(threads: int) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(threads)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[1],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_many_threads_building_their_first_models_at_once_all_succeed() -> None:
    for _ in range(3):  # three fresh processes: the race, when there is one, is not every time
        result = run(96)
        assert result["models"] >= 40
        assert result["failures"] == []
