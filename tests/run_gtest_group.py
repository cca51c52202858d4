#!/usr/bin/env python3
"""Runs one share of a GoogleTest binary's cases in a few processes instead of one process per case.

    run_gtest_group.py BINARY --group I --groups N [--timeout-per-process S] [--total-timeout S]
                       [--filter PATTERN] [--show-passing-output] [-- EXTRA GTEST ARGS...]

The binary's cases (--gtest_list_tests) are sorted by full name and dealt round-robin into N groups;
this run takes group I (1-based). Cases whose suite or name starts with DISABLED_ are counted as
disabled and not run (as gtest_discover_tests registered them: DISABLED, not run). The rest run
through --gtest_filter in chunks whose filter stays under 30,000 characters, one process per chunk.

Each case's result comes from the process's --gtest_output=json report, or, when the process died
before writing one, from its "[ RUN ]" / "[ OK ]" / "[ FAILED ]" / "[ SKIPPED ]" lines: the case
that had started and not finished is CRASHED (abort, signal, sanitizer report, exit() mid-way, or
a timeout: TIMEOUT), that process's output is printed, and the cases it never reached run in a new
process. A process that fails after all of its cases reported (a LeakSanitizer report
at exit, say) is an error of its own, with its output.

Output of passing and skipped cases is not shown (unless --show-passing-output); that of failed and
crashed ones is. At the end: one line per failed, crashed or unreported case, then
    group I/N: C cases, P passed, F failed, X crashed, S skipped[, D disabled]
where the categories are disjoint (a GTEST_SKIP case is skipped, and counts as a success).
Exit status: 0 when every case passed or was skipped, 1 when any failed, crashed, timed out or
never reported a result (or a process failed after its cases), 2 on a usage or listing error.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

MAX_FILTER_CHARS = 30_000  # one argv string may be up to 128 KiB on Linux; stay well under it
# ctest keeps ~300 KB of a failed test's output: past this much of failing cases' output, only their
# names, so that the summary at the end is never cut off.
OUTPUT_BUDGET = 150_000
LIST_TIMEOUT_S = 120

# gtest's progress markers. A test may print without a final newline, so the marker need not start
# its line. Names are identifiers joined by '/' and '.'; a FAILED line may go on with ", where ...".
MARKER = re.compile(r"\[ +(RUN|OK|FAILED|SKIPPED) +\] ([A-Za-z0-9_/.]+)")

current_child = None  # the running gtest process, killed with its process group on SIGTERM/SIGINT
budget_left = OUTPUT_BUDGET


def emit(text):
    """Prints a failing case's or process's output, within what is left of the budget."""
    global budget_left
    if budget_left <= 0:
        return False
    if len(text) > budget_left:
        text = text[:budget_left] + (f"\n[... {OUTPUT_BUDGET} characters of failures' output shown;"
                                     " no more: the summary below names them all ...]")
    budget_left -= len(text)
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    return True


def die(message):
    print(f"run_gtest_group: {message}", flush=True)
    sys.exit(2)


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def on_signal(signum, _frame):
    if current_child is not None and current_child.poll() is None:
        kill_group(current_child)
    sys.stdout.flush()
    os._exit(128 + signum)


def child_env():
    env = dict(os.environ)
    # Our own filter, output and sharding: none from the environment.
    for name in ("GTEST_FILTER", "GTEST_OUTPUT", "GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX",
                 "GTEST_SHARD_STATUS_FILE", "GTEST_REPEAT", "GTEST_FAIL_FAST"):
        env.pop(name, None)
    return env


def list_cases(binary, extra_filter):
    """The binary's cases, as full names, in its order."""
    cmd = [binary, "--gtest_list_tests"]
    if extra_filter:
        cmd.append("--gtest_filter=" + extra_filter)
    try:
        # stdout alone: what the binary says on stderr (a warning, say) is no list.
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=child_env(), timeout=LIST_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        die(f"listing the cases of {binary} took over {LIST_TIMEOUT_S} s")
    except OSError as e:
        die(f"cannot run {binary}: {e}")
    text = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.stdout.write(text + proc.stderr.decode("utf-8", "replace"))
        die(f"{binary} --gtest_list_tests ended with {describe_status(proc.returncode)}")
    cases = []
    suite = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("  "):
            # "  Name" or "  Name/param  # GetParam() = ..."
            if suite is None:
                continue
            cases.append(suite + "." + line.split()[0])
        else:
            # "Suite." or "Prefix/Suite/0.  # TypeParam = ...": a suite. Anything else (a banner
            # such as "Running main() from gtest_main.cc") is not.
            first = line.split()[0]
            suite = first[:-1] if first.endswith(".") and len(first) > 1 else None
    return cases


def is_disabled(case):
    suite, _, name = case.partition(".")
    return name.startswith("DISABLED_") or any(p.startswith("DISABLED_") for p in suite.split("/"))


def chunks(cases):
    chunk, size = [], 0
    for case in cases:
        if chunk and size + len(case) + 1 > MAX_FILTER_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.append(case)
        size += len(case) + 1
    if chunk:
        yield chunk


def describe_status(code):
    if code is None:
        return "no status"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def json_results(path, wanted):
    """{case: (result, failure text)} from a gtest JSON report; None when there is none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            report = json.load(f)
    except (OSError, ValueError):
        return None
    results = {}
    for suite in report.get("testsuites", []):
        for case in suite.get("testsuite", []):
            full = suite.get("name", "") + "." + case.get("name", "")
            if full not in wanted or case.get("status") == "NOTRUN":
                continue
            failures = case.get("failures") or []
            if failures:
                text = "\n".join(f.get("failure", "") for f in failures)
                results[full] = ("FAILED", text)
            elif case.get("result") == "SKIPPED":
                results[full] = ("SKIPPED", "")
            else:
                results[full] = ("PASSED", "")
    return results


def scan_output(text, wanted):
    """From the progress markers: {case: result}, each case's output span, the unfinished case."""
    results, spans = {}, {}
    running, start = None, 0
    for m in MARKER.finditer(text):
        kind, name = m.group(1), m.group(2)
        if name not in wanted:
            continue  # gtest's own summary lines ("[  FAILED  ] 2 tests, listed below:"), etc.
        if kind == "RUN":
            running, start = name, m.start()
            continue
        if name == running:
            end = text.find("\n", m.end())
            spans[name] = (start, len(text) if end < 0 else end + 1)
            running = None
        if name not in results:
            results[name] = {"OK": "PASSED", "FAILED": "FAILED", "SKIPPED": "SKIPPED"}[kind]
    if running is not None:
        spans[running] = (start, len(text))
    return results, spans, running


def shown(text):
    """The output as printed: gtest's echo of a long filter shortened."""
    return re.sub(r"^(Note: Google Test filter = .{160}).+", r"\1...", text, flags=re.M)


def without_passing(text, spans, got):
    """The output less the spans of the cases that passed or were skipped."""
    keep, at, omitted = [], 0, 0
    for start, end in sorted(spans[c] for c in spans if got.get(c) in ("PASSED", "SKIPPED")):
        keep.append(text[at:start])
        at, omitted = end, omitted + 1
    keep.append(text[at:])
    note = f"[... the output of {omitted} passing case(s) left out ...]\n" if omitted else ""
    return note + shown("".join(keep))


def run_process(binary, cases, extra_args, timeout_s):
    """Runs the cases in one process; returns (status or None on timeout, output, json path)."""
    global current_child
    fd, json_path = tempfile.mkstemp(prefix="gtest_group_", suffix=".json")
    os.close(fd)
    os.unlink(json_path)  # gtest writes it only when the run finishes
    cmd = [binary, "--gtest_filter=" + ":".join(cases), "--gtest_output=json:" + json_path,
           "--gtest_color=no"] + extra_args
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env=child_env(), start_new_session=True)
        current_child = proc
        try:
            status = proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            proc.wait()
            status = None
        current_child = None
        # Grandchildren left behind (a test's own subprocesses) go with the group.
        kill_group(proc)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return status, text, json_path


def main():
    parser = argparse.ArgumentParser(
        description="Runs one group of a GoogleTest binary's cases in a few processes.",
        epilog="Arguments after -- go to every gtest process.")
    parser.add_argument("binary")
    parser.add_argument("--group", type=int, required=True, help="this group, 1..N")
    parser.add_argument("--groups", type=int, required=True, help="N, the number of groups")
    parser.add_argument("--timeout-per-process", type=float, default=None, metavar="S",
                        help="kill a gtest process after S seconds; its running case is TIMEOUT")
    parser.add_argument("--total-timeout", type=float, default=None, metavar="S",
                        help="stop after S seconds in all: the running case is TIMEOUT, the cases "
                             "not yet run never report (set it below ctest's TIMEOUT)")
    parser.add_argument("--filter", default=None,
                        help="a gtest filter applied to the listing before grouping")
    parser.add_argument("--show-passing-output", action="store_true",
                        help="print every process's whole output, passing cases' too")
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    args = parser.parse_args(argv)
    if args.groups < 1 or not 1 <= args.group <= args.groups:
        parser.error(f"need 1 <= --group <= --groups, got {args.group} of {args.groups}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    binary = os.path.abspath(args.binary)
    label = f"group {args.group}/{args.groups}"
    started = time.monotonic()
    every = sorted(set(list_cases(binary, args.filter)))
    if not every:
        die(f"{binary} lists no cases" + (f" matching {args.filter}" if args.filter else ""))
    share = every[args.group - 1::args.groups]
    disabled = [c for c in share if is_disabled(c)]
    to_run = [c for c in share if not is_disabled(c)]
    for case in every:
        if any(ch in case for ch in "-:*?"):
            die(f"a case name that a gtest filter cannot name exactly: {case}")

    results = {}      # case -> PASSED / FAILED / SKIPPED / CRASHED / TIMEOUT
    details = {}      # case -> why, for the summary
    process_errors = []
    deadline = None if args.total_timeout is None else started + args.total_timeout
    out_of_time = False
    pending = list(to_run)
    while pending and not out_of_time:
        for chunk in chunks(pending):
            wanted = set(chunk)
            timeout_s = args.timeout_per_process
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    out_of_time = True
                    break
                timeout_s = left if timeout_s is None else min(timeout_s, left)
            process_started = time.monotonic()
            status, text, json_path = run_process(binary, chunk, extra, timeout_s)
            from_json = json_results(json_path, wanted)
            if os.path.exists(json_path):
                os.unlink(json_path)
            from_text, spans, unfinished = scan_output(text, wanted)
            got = dict(from_text)
            if from_json is not None:
                got.update({c: r for c, (r, _) in from_json.items()})
            if args.show_passing_output:
                sys.stdout.write(shown(text))

            for case, result in got.items():
                results[case] = result
                if result == "FAILED":
                    if args.show_passing_output:
                        print(f"---- FAILED: {case}")
                    elif case in spans:
                        emit(f"---- FAILED: {case}\n" + text[slice(*spans[case])])
                    else:
                        emit(f"---- FAILED: {case}\n" + from_json.get(case, ("", ""))[1]
                             if from_json else f"---- FAILED: {case}\n")

            died = status is None or from_json is None
            # gtest itself exits 1 when a case failed; anything else after a finished run (a
            # LeakSanitizer report at exit, a crash in a static destructor) is the process's.
            failed_after = not died and not (status == 0 or (status == 1 and "FAILED" in got.values()))
            if died and unfinished is not None and unfinished not in got:
                kind = "TIMEOUT" if status is None else "CRASHED"
                how = (f"killed after {time.monotonic() - process_started:.0f} s" if status is None
                       else describe_status(status))
                results[unfinished] = kind
                details[unfinished] = how
                header = f"---- {kind}: {unfinished} ({how}); the process's output from the case on:\n"
                before = text[:text.find("[ RUN ")] if "[ RUN " in text else ""
                if args.show_passing_output:
                    print(header, end="")
                if args.show_passing_output or emit(
                        header + shown(before) + text[spans[unfinished][0]:]):
                    print(f"---- end of {unfinished}'s output")
            elif died or failed_after:
                # Died between cases, or failed with no case failing: not any one case's fault.
                what = "timed out" if status is None else f"ended with {describe_status(status)}"
                reported = sum(1 for c in chunk if c in got)
                note = (f"a gtest process of {len(chunk)} cases {what} after {reported} reported"
                        + ("" if from_json is not None else " and wrote no JSON report"))
                process_errors.append(note)
                header = f"---- PROCESS ERROR: {note}; its output:\n"
                if args.show_passing_output:
                    print(header, end="")
                if args.show_passing_output or emit(header + without_passing(text, spans, got)):
                    print("---- end of that process's output")
            sys.stdout.flush()  # what a killed runner had printed still reaches ctest

        remaining = [c for c in pending if c not in results]
        if len(remaining) == len(pending):
            break  # no progress: a process that dies before any case starts would loop forever
        pending = remaining

    never = [c for c in to_run if c not in results]
    counts = {k: sum(1 for r in results.values() if r == k)
              for k in ("PASSED", "FAILED", "CRASHED", "TIMEOUT", "SKIPPED")}
    for case in to_run:
        result = results.get(case)
        if result in ("FAILED", "CRASHED", "TIMEOUT"):
            why = f" ({details[case]})" if case in details else ""
            print(f"{result}: {case}{why}")
    for case in never:
        print(f"NO RESULT: {case}" + (" (out of time)" if out_of_time else ""))
    for note in process_errors:
        print(f"PROCESS ERROR: {note}")
    crashed = counts["CRASHED"] + counts["TIMEOUT"]
    line = (f"{label}: {len(share)} cases, {counts['PASSED']} passed, {counts['FAILED']} failed, "
            f"{crashed} crashed, {counts['SKIPPED']} skipped")
    if disabled:
        line += f", {len(disabled)} disabled"
    if never:
        line += f", {len(never)} never reported"
    print(f"{line} ({time.monotonic() - started:.1f} s, {os.path.basename(binary)})")
    return 1 if counts["FAILED"] or crashed or never or process_errors else 0


if __name__ == "__main__":
    sys.exit(main())
