#!/usr/bin/env python3
"""The test of run_gtest_group.py, on gtest_group_selftest.cc's binary:

    run_gtest_group_test.py RUNNER SELFTEST_BINARY

A group with a failure and an abort exits non-zero naming both (the abort, alone, as CRASHED), and
the case after the abort still runs and passes in a new process; passing output is not shown; the
groups of a split are disjoint, cover every case and are the same on every run; a hang is killed
and named TIMEOUT, an exit() mid-way is CRASHED, and the group goes on after each.
"""

import os
import re
import subprocess
import sys

RUNNER, BINARY = sys.argv[1], sys.argv[2]
S = "GroupSelftest."
problems = []


def check(condition, what, output=None):
    if not condition:
        problems.append(what)
        print(f"FAIL: {what}")
        if output is not None:
            print("---- runner output:\n" + output + "---- end of runner output")


def run(*args, env=None):
    full_env = dict(os.environ)
    for name in ("SQB_SELFTEST_HANG", "SQB_SELFTEST_EXIT"):
        full_env.pop(name, None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, RUNNER, BINARY, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=full_env, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def named(out, kind):
    """The cases the summary names as kind ("FAILED: X", "CRASHED: X (...)")."""
    return {m.group(1) for m in re.finditer(rf"^{kind}: (\S+)", out, re.M)}


# The whole binary as one group, as ctest would run it.
rc, out = run("--group", "1", "--groups", "1")
check(rc == 1, f"exit status 1 with a failure and a crash, got {rc}", out)
check(named(out, "FAILED") == {S + "BFails"}, "only BFails is named FAILED", out)
check(named(out, "CRASHED") == {S + "CAbortsMidway"}, "only CAbortsMidway is named CRASHED", out)
check(re.findall(r"CRASHED: (\S+)", out) == [S + "CAbortsMidway"] * 2,
      "CRASHED appears only for CAbortsMidway (its report and its summary line)", out)
check("deliberate failure of BFails" in out, "the failing case's output is shown", out)
check("CAbortsMidway: about to abort" in out, "the crashed case's output is shown", out)
check("[       OK ] " + S + "APasses" not in out, "passing cases' output is not shown", out)
check("NO RESULT" not in out and "PROCESS ERROR" not in out, "every case reported", out)
check(re.search(r"^group 1/1: 12 cases, 8 passed, 1 failed, 1 crashed, 1 skipped, 1 disabled ",
                out, re.M) is not None, "the count line", out)

# The case after the abort ran, in a new process, and passed.
rc, out = run("--group", "1", "--groups", "1", "--show-passing-output")
crash_at = out.find("---- CRASHED: " + S + "CAbortsMidway")
after_at = out.find("[       OK ] " + S + "DPassesAfterTheCrash")
check(rc == 1 and 0 <= crash_at < after_at,
      "DPassesAfterTheCrash passes after the crash, in the next process", out)
check("[ RUN      ] " + S + "DISABLED_NeverRuns" not in out, "the disabled case does not run", out)

# Three groups: disjoint, every runnable case once, the same every time.
ran, totals = [], 0
for group in ("1", "2", "3"):
    rc, out = run("--group", group, "--groups", "3", "--show-passing-output")
    ran += re.findall(r"^\[ RUN      \] (\S+)", out, re.M)
    m = re.search(rf"^group {group}/3: (\d+) cases", out, re.M)
    check(m is not None, f"group {group}/3 has a count line", out)
    totals += int(m.group(1)) if m else 0
    check(run("--group", group, "--groups", "3")[1].splitlines()[-1].split(" (")[0]
          == [l for l in out.splitlines() if l.startswith(f"group {group}/3:")][0].split(" (")[0],
          f"group {group}/3 is the same on a second run", out)
check(len(ran) == len(set(ran)) == 11, f"11 runnable cases, each in one group once: {sorted(ran)}")
check(totals == 12, f"the groups' case counts add up to 12, got {totals}")

# A hang is killed and named TIMEOUT; an exit() mid-way is CRASHED; the group goes on after each.
rc, out = run("--group", "1", "--groups", "1", "--timeout-per-process", "3",
              "--filter", S + "APasses:" + S + "F*:" + S + "G*:" + S + "DPassesAfterTheCrash",
              env={"SQB_SELFTEST_HANG": "1", "SQB_SELFTEST_EXIT": "1"})
check(rc == 1, f"exit status 1 after a hang and an exit, got {rc}", out)
check(named(out, "TIMEOUT") == {S + "FHangsWhenAsked"}, "the hang is named TIMEOUT", out)
check(named(out, "CRASHED") == {S + "GExitsWhenAsked"}, "the exit mid-way is named CRASHED", out)
check(re.search(r"^group 1/1: 4 cases, 2 passed, 0 failed, 2 crashed, 0 skipped ", out, re.M)
      is not None, "the cases before and after the hang and the exit pass", out)

print(f"run_gtest_group_test: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
