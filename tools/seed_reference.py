#!/usr/bin/env python3
# Times the seed post's two Python programs (Pool.map, a thread per item) at a report's sizes.

import argparse
import errno
import json
import math
import multiprocessing
import os
import platform
import signal
import stat
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

PROG = "seed_reference.py"
SCHEMA = 1
NEWEST_REPORT_SCHEMA = 1
MAX_REPORT_BYTES = 64 << 20  # as squarebench compare and tools/plot.py read
MAX_ELEMENTS = 1 << 48
# Measured on the 2-core VM: one threading.Thread start + join costs ~145 µs idle and 0.3 to 1 ms
# while other work runs, so 2**13 items take ~1.2 s a call idle and a few seconds busy (2**16
# would take 10 s to a minute a call). --budget also ends a model's repeats once it is spent.
DEFAULT_THREAD_CAP = 1 << 13
# The post squares small ints ([2, 4, 6, 8, 10]). Element i is i % 1000, so every square stays a
# one-digit CPython int (< 2**30) at any size: the work is the post's small-int squaring, not
# big-int arithmetic that grows with n (list(range(n)) would square up to 48-bit ints). The list
# repeats 1000 int objects, so it costs 8 bytes an element.
BASE = list(range(1000))
SQUARES = [v * v for v in BASE]  # the expected results, computed apart from the timed code
# Pessimistic first guesses (seconds a call: fixed, per element) until a model has been measured.
PRIOR = {"serial": (0.0, 100e-9), "pool_program": (0.2, 1e-6), "pool_map_warm": (0.02, 1e-6),
         "thread_per_item": (1e-3, 300e-6)}
MODELS = {
    "serial": "[num ** 2 for num in lst] in this process: the same-run denominator",
    "pool_program": "the post's program as written: with Pool(processes) as pool: pool.map(...) "
                    "(pool start, map, teardown)",
    "pool_map_warm": "pool.map(...) alone, on a pool started before the timing",
    "thread_per_item": "the post's threading program: one threading.Thread per item, all "
                       "started, then all joined (under the GIL)",
}
JSON_TYPES = {str: "a string", float: "a number", bool: "a boolean", list: "an array",
              dict: "an object"}
BYTES_PER_ELEMENT = 120  # input, expected and result lists plus Pool.map's pickles in flight


def fail(message, code=2):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(code)


def load_sizes(path):
    """The distinct cell sizes of the squarebench report at path, ascending; exits 2 otherwise."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            fail(f"cannot read {path}: not a regular file")
        if os.stat(path).st_size > MAX_REPORT_BYTES:
            fail(f"cannot read {path}: larger than {MAX_REPORT_BYTES >> 20} MiB")
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read {path}: {getattr(e, 'strerror', None) or e}")
    try:
        report = json.loads(text)
    except (ValueError, RecursionError) as e:  # ValueError: also an int over 4300 digits
        fail(f"{path} is not JSON (or nested too deep): {str(e).splitlines()[0]}")
    if not isinstance(report, dict) or report.get("tool") != "squarebench":
        fail(f"{path} is not a squarebench report (no \"tool\": \"squarebench\")")
    version = report.get("schema_version")
    if type(version) is not int or not 1 <= version <= NEWEST_REPORT_SCHEMA:
        fail(f"{path}: schema_version {version!r}; this script reads 1 to {NEWEST_REPORT_SCHEMA}")
    cells = report.get("cells")
    if not isinstance(cells, list) or not cells:
        fail(f"{path}: \"cells\" is not a non-empty list")
    sizes = set()
    for i, cell in enumerate(cells):
        n = cell.get("elements") if isinstance(cell, dict) else None
        if type(n) is not int:  # type(): true is no size
            fail(f"{path}: cells[{i}].elements is {JSON_TYPES.get(type(n), 'missing or null')}, "
                 "not an integer")
        if not 0 <= n <= MAX_ELEMENTS:
            fail(f"{path}: cells[{i}].elements is {str(n)[:24]}, not from 0 to 2**48")
        sizes.add(n)
    return sorted(sizes)


def square(num):
    """The post's process_func, its print removed and its result returned."""
    return num ** 2


def ignore_sigint():
    # Pool workers leave Ctrl-C to the parent, whose `with` then terminates them: one message,
    # no traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def thread_func(num, results, i):
    """The post's thread_func, its print removed and its result stored."""
    results[i] = num ** 2


def run_serial(lst, processes):
    start = time.perf_counter()
    results = [num ** 2 for num in lst]
    return time.perf_counter() - start, results


def run_pool_program(lst, processes):
    start = time.perf_counter()
    with multiprocessing.Pool(processes, initializer=ignore_sigint) as pool:
        results = pool.map(square, lst)
    return time.perf_counter() - start, results


def run_threads(lst, processes):
    start = time.perf_counter()
    results = [None] * len(lst)
    thread_pool = []
    for i, num in enumerate(lst):
        thread = threading.Thread(target=thread_func, args=(num, results, i))
        thread_pool.append(thread)
        thread.start()
    for thread in thread_pool:
        thread.join()
    return time.perf_counter() - start, results


def time_calls(model, lst, repeat, processes, expected, deadline):
    """Per-call seconds of repeat calls (fewer once past deadline, at least one), or a reason
    string when a result is wrong."""
    seconds = []
    if model == "pool_map_warm":
        with multiprocessing.Pool(processes, initializer=ignore_sigint) as pool:
            pool.map(square, range(processes))  # every worker up and answering
            for _ in range(repeat):
                start = time.perf_counter()
                results = pool.map(square, lst)
                seconds.append(time.perf_counter() - start)
                if results != expected:
                    return "a result is not the square of its element"
                if time.monotonic() > deadline:
                    break
        return seconds
    run = {"serial": run_serial, "pool_program": run_pool_program,
           "thread_per_item": run_threads}[model]
    for _ in range(repeat):
        took, results = run(lst, processes)
        seconds.append(took)
        if results != expected:
            return "a result is not the square of its element"
        if time.monotonic() > deadline:
            break
    return seconds


def chunksize(n, processes):
    """Pool.map's default chunksize, as CPython computes it."""
    size, extra = divmod(n, processes * 4)
    return 0 if n == 0 else size + bool(extra)


class Estimator:
    """Predicts a model's seconds at a size from its calls measured so far (or PRIOR)."""

    def __init__(self):
        self.seen = {}

    def add(self, model, n, call_s):
        self.seen.setdefault(model, []).append((n, call_s))

    def call_seconds(self, model, n):
        fixed, per_element = PRIOR[model]
        seen = self.seen.get(model)
        if seen:
            (n0, t0), (n1, t1) = seen[0], seen[-1]
            fixed = t0
            if n1 - n0 >= 1000 and t1 > t0:
                per_element = (t1 - t0) / (n1 - n0)
        return fixed + per_element * n


def memory_bytes():
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None


def rate(n, seconds):
    return n / seconds if n > 0 and seconds > 0 else None  # no rate for zero elements


def measure(sizes, args, started):
    results, estimator, memory = [], Estimator(), memory_bytes()
    for n in sizes:
        lst = expected = None
        for model in MODELS:
            entry = {"n": n, "model": model}
            if model.startswith("pool"):
                entry["chunksize"] = chunksize(n, args.processes)
            predicted = ((args.repeat + (model == "pool_map_warm"))
                         * (estimator.call_seconds(model, n) + 20e-9 * n))
            used = time.monotonic() - started
            # Reasons without figures, so that the table's footnotes list each once.
            if model == "thread_per_item" and n > args.max_thread_items:
                reason = f"more than --max-thread-items {args.max_thread_items} threads"
            elif memory is not None and BYTES_PER_ELEMENT * n > memory // 2:
                reason = f"needs over half the memory available ({memory >> 20} MiB)"
                entry["needs_bytes"] = BYTES_PER_ELEMENT * n
            elif used + predicted > args.budget:
                reason = f"--budget {args.budget:g} s would be passed"
                entry.update(used_s=round(used, 3), predicted_s=round(predicted, 3))
            else:
                reason = None
            if reason:
                results.append(dict(entry, status="skipped", reason=reason))
                continue
            if lst is None:
                copies = -(-n // len(BASE))
                lst, expected = (BASE * copies)[:n], (SQUARES * copies)[:n]
            seconds = time_calls(model, lst, args.repeat, args.processes, expected,
                                 started + args.budget)
            if isinstance(seconds, str):
                results.append(dict(entry, status="failed", reason=seconds))
                continue
            if len(seconds) < args.repeat:
                entry["note"] = f"{len(seconds)} of {args.repeat} calls: --budget reached"
            median = statistics.median(seconds)
            estimator.add(model, n, median)
            results.append(dict(entry, status="ok",
                                seconds={"median": median, "min": min(seconds),
                                         "calls": seconds},
                                elements_per_second={"median": rate(n, median),
                                                     "best": rate(n, min(seconds))}))
        print_row(n, results[-len(MODELS):])
    return results


def rate_text(entry):
    if entry["status"] == "failed":
        return "FAILED"
    if entry["status"] == "skipped":
        reason = entry["reason"]
        return "skip: " + ("budget" if "--budget" in reason else
                           "cap" if "--max-thread-items" in reason else "memory")
    eps = entry["elements_per_second"]["median"]
    return f"{eps:.3g}" if eps else f"{entry['seconds']['median'] * 1e3:.3g} ms"


def print_row(n, entries):
    print(f"{n:>12}" + "".join(f"{rate_text(e):>17}" for e in entries), flush=True)


def markdown(document):
    """The document as a Markdown page: what ran, then elements per second by size and model."""
    lines = [f"# The seed post's Python programs at the sizes of {document['report']}", ""]
    python = document["python"]
    lines += [f"- {python['implementation']} {python['version']} on {document['platform']}, "
              f"{document['cpu_count']} CPUs; Pool start method {document['start_method']}, "
              f"{document['processes']} processes, chunksize {document['chunksize_rule']}",
              f"- elements: {document['element_values']}; {document['repeat']} calls per size "
              f"and model, median (best); budget {document['budget_s']:g} s, took "
              f"{document['wall_seconds']:.1f} s", ""]
    lines += [f"- `{model}`: {text}" for model, text in document["models"].items()] + [""]
    lines += ["| elements | " + " | ".join(f"`{m}` elements/s" for m in MODELS) + " |",
              "|---:|" + "---:|" * len(MODELS)]
    by_key = {(r["n"], r["model"]): r for r in document["results"]}
    for n in document["sizes"]:
        cells = []
        for model in MODELS:
            r = by_key[(n, model)]
            if r["status"] != "ok":
                cells.append(f"{r['status']}: {r['reason']}")
                continue
            eps = r["elements_per_second"]
            cells.append(f"{eps['median']:.3g} ({eps['best']:.3g})" if eps["median"]
                         else f"{r['seconds']['median'] * 1e3:.3g} ms a call")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def save(document, path, fmt):
    """Writes document to path as squarebench writes its outputs: a regular file (or a new one)
    whole or not at all, through a temporary file in the final target's own folder (fsync,
    rename), so a symlink is written through and kept and an existing file keeps its mode;
    anything else (a device, a FIFO) directly, never renamed over. Exits 1 with one line when it
    cannot."""
    text = markdown(document) if fmt == "md" else json.dumps(document, indent=1, allow_nan=False)
    data = (text.rstrip("\n") + "\n").encode("utf-8")
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        fail(f"cannot write {path}: {e.strerror or e}", 1)
    try:
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if st is not None and not stat.S_ISREG(st.st_mode):
            with open(target, "wb") as out:
                out.write(data)
        else:
            write_atomically(data, target, st)
    except OSError as e:
        fail(f"cannot write {path}: {e.strerror or e}", 1)
    print(path)


def write_atomically(data, target, st):
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            if st is not None:
                os.fchmod(out.fileno(), stat.S_IMODE(st.st_mode))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(out.fileno(), 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=PROG, description="Times the seed post's Python programs (multiprocessing "
        "Pool.map, a threading.Thread per item) and a serial baseline at a report's sizes.")
    parser.add_argument("report", help="a JSON report written by squarebench")
    parser.add_argument("--out", help="the file written (default: <report stem>.seed.md in the "
                        "report's folder: a .json there would be read as a report)")
    parser.add_argument("--format", choices=("md", "json"), default="md",
                        help="Markdown (default) or JSON")
    parser.add_argument("--max-thread-items", type=int, default=DEFAULT_THREAD_CAP,
                        help="largest size timed a thread per item "
                        f"(default: {DEFAULT_THREAD_CAP})")
    parser.add_argument("--repeat", type=int, default=3,
                        help="calls per size and model, 1 to 100 (default: 3)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="Pool worker processes (default: os.cpu_count(), as Pool() has)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds after which sizes and models are skipped (default: 60)")
    args = parser.parse_args(argv)
    if not 1 <= args.repeat <= 100:
        fail(f"--repeat {args.repeat}: from 1 to 100")
    if not 1 <= args.processes <= 1024:
        fail(f"--processes {args.processes}: from 1 to 1024")
    if not 0 <= args.max_thread_items <= MAX_ELEMENTS:
        fail(f"--max-thread-items {args.max_thread_items}: from 0 to 2**48")
    if not (math.isfinite(args.budget) and args.budget > 0):
        fail(f"--budget {args.budget}: a positive number of seconds")
    return args


def main(argv=None):
    args = parse_args(argv)
    sizes = load_sizes(args.report)
    report = Path(args.report)
    out = Path(args.out) if args.out else report.resolve().parent / f"{report.stem}.seed.{args.format}"
    if not Path(os.path.realpath(out)).parent.is_dir():  # before the minutes of timing
        fail(f"cannot write {out}: {Path(os.path.realpath(out)).parent} is not a folder", 1)
    started = time.monotonic()
    print(f"{'elements':>12}" + "".join(f"{m:>17}" for m in MODELS))
    print(f"{'':>12}" + "".join(f"{'elements/s':>17}" for _ in MODELS), flush=True)
    results = measure(sizes, args, started)
    reasons = sorted({r["reason"] for r in results if r["status"] != "ok"})
    for reason in reasons:
        count = sum(r.get("reason") == reason for r in results)
        print(f"not timed ({count}): {reason}")
    for note in sorted({r["note"] for r in results if "note" in r}):
        print(f"fewer calls: {note}")
    save({
        "schema_version": SCHEMA,
        "tool": PROG,
        "source": "the seed blog post's two programs: multiprocessing.Pool().map(process_func, "
                  "process_list) and a threading.Thread per item; print removed, result kept",
        "report": str(args.report),
        "python": {"implementation": platform.python_implementation(),
                   "version": platform.python_version(), "executable": sys.executable},
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "start_method": multiprocessing.get_start_method(),
        "processes": args.processes,
        "chunksize_rule": "Pool.map's default: ceil(n / (4 * processes)), 0 for no elements",
        "element_values": "element i is i % 1000 (the post's small ints), an int",
        "repeat": args.repeat,
        "max_thread_items": args.max_thread_items,
        "budget_s": args.budget,
        "wall_seconds": time.monotonic() - started,
        "models": MODELS,
        "sizes": sizes,
        "results": results,
    }, out, args.format)
    if any(r["status"] == "failed" for r in results):
        print(f"{PROG}: error: a model's results were wrong (status \"failed\" in {out})",
              file=sys.stderr)
        sys.exit(3)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        sys.exit(130)
