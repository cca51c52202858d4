#!/usr/bin/env python3
# Plots a squarebench JSON report: throughput against array size, and thread scaling.

import argparse
import errno
import json
import math
import os
import re
import stat
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

PROG = "plot.py"
NEWEST_SCHEMA = 1
CACHE_FIELDS = (("cache.l1d", "L1d"), ("cache.l2", "L2"), ("cache.l3", "L3"))
UNIT_BYTES = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
CEILING_GREYS = ("0.35", "0.65", "0.5", "0.8")
MARKERS = "osD^vPX"  # 7 against 10 colours: 70 series before a pair repeats
MAX_REPORT_BYTES = 64 << 20  # as squarebench compare reads


def fail(message, code=2):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(code)


def load_report(path):
    """Returns the report at path with only its OK cells (at least one); exits 2 otherwise."""
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
    except (json.JSONDecodeError, RecursionError) as e:
        fail(f"{path} is not JSON (or nested too deep): {str(e).splitlines()[0]}")
    if not isinstance(report, dict) or report.get("tool") != "squarebench":
        fail(f"{path} is not a squarebench report (no \"tool\": \"squarebench\")")
    version = report.get("schema_version")
    if isinstance(version, int) and version > NEWEST_SCHEMA:
        fail(f"{path} has schema_version {version}; this script reads up to {NEWEST_SCHEMA}")
    cells = [c for c in report.get("cells") or [] if isinstance(c, dict) and c.get("status") == "OK"]
    if not cells:
        fail(f"{path} has no cells with status OK")
    try:
        for c in cells:
            gbps(c), c["backend"], c["operation"], c["dtype"], c["bytes_per_array"] // c["elements"]
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        fail(f"{path}: an OK cell lacks a field this script reads")
    report["cells"] = cells
    return report


def import_pyplot():
    try:
        import matplotlib
    except ImportError:
        fail(f"matplotlib is not installed for {sys.executable}: install it with "
             "`apt-get install python3-matplotlib` (Debian's python3) or `pip install matplotlib`", 3)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker
    return plt, ticker


def parse_bytes(text):
    """'48 KiB' -> 49152; None for 'unavailable' or anything else unreadable."""
    m = re.fullmatch(r"\s*([0-9.]+)\s*(B|KiB|MiB|GiB|TiB)\s*", text or "")
    return int(float(m.group(1)) * UNIT_BYTES[m.group(2)]) if m else None


def elements_text(n):
    for suffix, shift in (("Gi", 30), ("Mi", 20), ("Ki", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):g}{suffix}"
    return str(int(n))


def cache_boundaries(report, elem_bytes):
    """[(elements per array, label)] where x + y fill each cache, and DRAM at 4x the last level."""
    fields = fingerprint_fields(report)
    found = [(parse_bytes(fields.get(key)), name, fields.get(key)) for key, name in CACHE_FIELDS]
    marks = [(size / (2 * elem_bytes), f"{name} {text}") for size, name, text in found if size]
    last = [(size, name) for size, name, _ in found if size][-1:]
    return marks + [(4 * size / (2 * elem_bytes), f"DRAM (4 × {name})") for size, name in last]


def gbps(cell):
    return float(cell["wall"]["gbps"]["median"])


def knobs_key(cell):
    return tuple(sorted((cell.get("knobs") or {}).items()))


def series_key(cell):
    return (cell["backend"], int(cell["threads"]), cell.get("binding", ""), knobs_key(cell),
            int(cell.get("offset", 0)))


def series_labels(cells):
    """Label per series key: the backend, plus only the parameters that vary within it."""
    by_backend = defaultdict(set)
    for c in cells:
        by_backend[c["backend"]].add(series_key(c))
    labels = {}
    for backend, keys in by_backend.items():
        knob_names = {name for key in keys for name, _ in key[3]}
        varying_knobs = {n for n in knob_names if len({dict(k[3]).get(n) for k in keys}) > 1}
        for key in keys:
            _, threads, binding, knobs, offset = key
            parts = []
            if len({k[1] for k in keys}) > 1:
                parts.append(f"{threads} thread{'s' if threads != 1 else ''}")
            if len({k[2] for k in keys}) > 1:
                parts.append(f"bind {binding}")
            parts += [f"{k}={v}" for k, v in knobs if k in varying_knobs]
            if len({k[4] for k in keys}) > 1:
                parts.append(f"offset {offset}")
            labels[key] = backend + (f" ({', '.join(parts)})" if parts else "")
    return labels


def fingerprint_fields(report):
    return (report.get("fingerprint") or {}).get("fields") or {}


def title_of(report, what):
    host = fingerprint_fields(report).get("host.name", "unknown host")
    return f"squarebench {what} on {host}, {report.get('started_utc', 'unknown time')}"


def style_size_axis(ax, ticker, sizes):
    lo, hi = min(sizes) / 1.4, max(sizes) * 1.4
    ax.set_xscale("log", base=2)
    ax.set_xlim(lo, hi)
    powers = list(range(math.ceil(math.log2(lo)), math.floor(math.log2(hi)) + 1))
    step = max(1, math.ceil(len(powers) / 14))
    ax.xaxis.set_major_locator(ticker.FixedLocator([2.0 ** p for p in powers[::step]]))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda n, _: elements_text(n)))
    ax.xaxis.set_minor_locator(ticker.NullLocator())
    ax.set_xlabel("elements per array")


def draw_throughput(ax, ticker, report, dtype, cells, labels, colors):
    elem_bytes = cells[0]["bytes_per_array"] // cells[0]["elements"]
    style_size_axis(ax, ticker, [int(c["elements"]) for c in cells])
    ceilings, series = defaultdict(dict), defaultdict(dict)
    for c in cells:
        n = int(c["elements"])
        if c["operation"] == "copy":
            best = ceilings[int(c["threads"])]
            best[n] = max(best.get(n, 0.0), gbps(c))
        else:
            series[series_key(c)][n] = gbps(c)
    for i, (threads, best) in enumerate(sorted(ceilings.items())):
        xs = sorted(best)
        ax.plot(xs, [best[x] for x in xs], linestyle="--", linewidth=3.5, alpha=0.8, zorder=1,
                color=CEILING_GREYS[i % len(CEILING_GREYS)],
                label=f"copy ceiling (best, {threads} thread{'s' if threads != 1 else ''})")
    for key in sorted(series, key=lambda k: labels[k]):
        xs = sorted(series[key])
        ax.plot(xs, [series[key][x] for x in xs], marker=MARKERS[colors[key] % len(MARKERS)],
                markersize=4, linewidth=1.6, zorder=3, color=f"C{colors[key] % 10}",
                label=labels[key])
    lo, hi = ax.get_xlim()
    for n, label in cache_boundaries(report, elem_bytes):
        if lo <= n <= hi:
            ax.axvline(n, linestyle=":", color="0.3", linewidth=1.2, zorder=2)
            ax.text(n, 1.01, label, transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom", fontsize=8, color="0.25")
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1, 2, 5)))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _: f"{y:g}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_ylabel("median GB/s (log scale)")
    ax.set_title(f"{dtype} ({elem_bytes} bytes per element)", pad=18)
    ax.grid(True, which="major", alpha=0.3)


def figure_legend(fig, axes, ncol):
    """One legend below all axes (kept clear of the data), each label once."""
    handles = {}
    for ax in axes:
        for handle, name in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(name, handle)
    fig.tight_layout()
    fig.legend(handles.values(), handles.keys(), loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=ncol, fontsize=9, frameon=False)


def plot_throughput(plt, ticker, report):
    cells = report["cells"]
    dtypes = sorted({c["dtype"] for c in cells})
    labels = series_labels([c for c in cells if c["operation"] != "copy"])
    colors = {key: i for i, key in enumerate(sorted(labels, key=labels.get))}
    fig, axes = plt.subplots(1, len(dtypes), figsize=(11 * len(dtypes) ** 0.5, 6), squeeze=False)
    for ax, dtype in zip(axes[0], dtypes):
        draw_throughput(ax, ticker, report, dtype, [c for c in cells if c["dtype"] == dtype],
                        labels, colors)
    fig.suptitle(title_of(report, "throughput"))
    figure_legend(fig, axes.flat, ncol=3 * len(dtypes))
    return fig


def scaling_groups(cells):
    """{(dtype, elements): {series label key: {threads: GB/s}}} for square cells measured at
    two or more thread counts with all other parameters equal."""
    groups = defaultdict(lambda: defaultdict(dict))
    for c in cells:
        if c["operation"] == "square":
            key = (c["backend"], c.get("binding", ""), knobs_key(c), int(c.get("offset", 0)))
            groups[(c["dtype"], int(c["elements"]))][key][int(c["threads"])] = gbps(c)
    return {size: {k: t for k, t in by_key.items() if len(t) >= 2}
            for size, by_key in sorted(groups.items())
            if any(len(t) >= 2 for t in by_key.values())}


def plot_scaling(plt, report):
    groups = scaling_groups(report["cells"])
    if not groups:
        return None
    rep_cells = [c for c in report["cells"] if c["operation"] == "square"]
    # Threads are the x axis here, so they are never part of a label.
    labels = series_labels([dict(c, threads=1) for c in rep_cells])
    keys = sorted({k for by_key in groups.values() for k in by_key})
    colors = {k: i for i, k in enumerate(keys)}
    levels = {(c["dtype"], int(c["elements"])): c.get("level", "") for c in rep_cells}
    several_dtypes = len({d for d, _ in groups}) > 1
    cols = min(3, len(groups))
    rows = math.ceil(len(groups) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(11, 3.4 * rows + 1), squeeze=False)
    not_from_one = False
    for ax, ((dtype, n), by_key) in zip(axes.flat, groups.items()):
        for key, by_threads in by_key.items():
            ts, base = sorted(by_threads), min(by_threads)
            not_from_one |= base != 1
            ax.plot(ts, [by_threads[t] / by_threads[base] for t in ts], marker="o",
                    color=f"C{colors[key] % 10}", label=labels[(key[0], 1, *key[1:])])
        ts = sorted({t for by_threads in by_key.values() for t in by_threads})
        ax.plot(ts, [t / ts[0] for t in ts], linestyle="--", color="black", linewidth=1,
                label="ideal")
        ax.set_xticks(ts)
        level = f" ({levels[(dtype, n)]})" if levels.get((dtype, n)) else ""
        ax.set_title(f"{dtype + ' ' if several_dtypes else ''}{elements_text(n)} elements{level}")
        ax.set_xlabel("threads")
        ax.grid(True, alpha=0.3)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    fig.supylabel("speedup vs the fewest threads measured (no 1-thread cell)" if not_from_one
                  else "speedup vs 1 thread")
    fig.suptitle(title_of(report, "thread scaling"))
    figure_legend(fig, axes.flat, ncol=4)
    return fig


def save(fig, path, fmt):
    """Writes fig to path as squarebench writes its outputs: a regular file (or a new one) whole or
    not at all, through a temporary file in the final target's own folder (fsync, rename), so a
    symlink is written through and kept and an existing file keeps its mode; anything else (a
    device, a FIFO) directly, never renamed over. Exits 1 with one line when it cannot."""
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
                fig.savefig(out, format=fmt, dpi=120, bbox_inches="tight")
        else:
            write_atomically(fig, target, fmt, st)
    except OSError as e:
        fail(f"cannot write {path}: {e.strerror or e}", 1)
    print(path)


def write_atomically(fig, target, fmt, st):
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            fig.savefig(out, format=fmt, dpi=120, bbox_inches="tight")
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog=PROG, description="Plots a squarebench JSON report.")
    parser.add_argument("report", help="a JSON report written by squarebench")
    parser.add_argument("--out-dir", help="where the images go (default: the report's folder)")
    parser.add_argument("--formats", default="png,svg",
                        help="comma-separated image formats (default: png,svg)")
    args = parser.parse_args(argv)
    report = load_report(args.report)
    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    plt, ticker = import_pyplot()
    supported = plt.figure().canvas.get_supported_filetypes()
    plt.close("all")
    if not formats or not set(formats) <= set(supported):
        fail(f"--formats {args.formats!r}: matplotlib writes {', '.join(sorted(supported))}")
    out_dir = Path(args.out_dir) if args.out_dir else Path(args.report).resolve().parent
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"cannot create {out_dir}: {e.strerror}", 1)
    stem = Path(args.report).stem
    try:
        figures = (("throughput", plot_throughput(plt, ticker, report)),
                   ("scaling", plot_scaling(plt, report)))
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError, OverflowError) as e:
        fail(f"{args.report}: a field this script reads is missing or malformed "
             f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})")
    for name, fig in figures:
        if fig is None:
            continue
        for fmt in formats:
            save(fig, out_dir / f"{stem}.{name}.{fmt}", fmt)
        plt.close(fig)


if __name__ == "__main__":
    main()
