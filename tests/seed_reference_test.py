# tools/seed_reference.py on a tiny hand-written report: every size timed or skipped with a reason,
# every figure positive; bad input exits 2, an unwritable output 1, a wrong result 3.

import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("SQB_SOURCE_DIR") or Path(__file__).resolve().parent.parent)
TOOL = SOURCE_DIR / "tools" / "seed_reference.py"
SIZES = [0, 1, 100, 5000]
MODELS = ["serial", "pool_program", "pool_map_warm", "thread_per_item"]
FAST = ("--max-thread-items", "1000", "--repeat", "1", "--processes", "2")


def write_report(folder, sizes=SIZES, name="tiny.json", **cell_fields):
    cells = [dict({"backend": "serial", "dtype": "f32", "status": "OK", "elements": n},
                  **cell_fields) for n in sizes + sizes[:1]]  # a repeated size is listed once
    path = Path(folder) / name
    path.write_text(json.dumps({"schema_version": 1, "tool": "squarebench", "cells": cells}),
                    encoding="utf-8")
    return path


def run_tool(*args, python_code=None):
    command = [sys.executable, "-c", python_code, str(TOOL)] if python_code else [
        sys.executable, str(TOOL)]
    return subprocess.run(command + list(map(str, args)), capture_output=True, text=True,
                          timeout=60)


class SeedReferenceTest(unittest.TestCase):
    def test_times_every_size_and_skips_threads_above_the_cap(self):
        with tempfile.TemporaryDirectory() as tmp:
            report = write_report(tmp)
            result = run_tool(report, *FAST, "--format", "json")
            self.assertEqual(result.returncode, 0, result.stderr)
            out = Path(tmp) / "tiny.seed.json"  # next to the report by default
            self.assertEqual(result.stdout.splitlines()[-1], str(out))
            doc = json.loads(out.read_text(encoding="utf-8"))
            self.assertEqual(doc["schema_version"], 1)
            self.assertEqual(doc["report"], str(report))
            self.assertEqual(doc["sizes"], SIZES)
            self.assertEqual(doc["processes"], 2)
            self.assertIn(doc["start_method"], ("fork", "spawn", "forkserver"))
            for key in ("python", "platform", "cpu_count", "chunksize_rule", "models"):
                self.assertIn(key, doc)
            got = {(r["n"], r["model"]): r for r in doc["results"]}
            self.assertEqual(len(got), len(doc["results"]))
            self.assertEqual(set(got), {(n, m) for n in SIZES for m in MODELS})
            for (n, model), r in got.items():
                if model == "thread_per_item" and n > 1000:
                    self.assertEqual(r["status"], "skipped", r)
                    self.assertIn("--max-thread-items 1000", r["reason"])
                    continue
                self.assertEqual(r["status"], "ok", r)
                seconds = r["seconds"]
                self.assertEqual(len(seconds["calls"]), 1)
                self.assertTrue(0 < seconds["min"] <= seconds["median"] < 30, r)
                for figure in r["elements_per_second"].values():
                    if n == 0:
                        self.assertIsNone(figure, r)  # no rate for zero elements
                    else:
                        self.assertGreater(figure, 0, r)
                if model.startswith("pool"):
                    self.assertEqual(r["chunksize"], -(-n // 8), r)  # ceil(n / (4 * 2))
            rows = {line.split()[0]: line for line in result.stdout.splitlines()[2:6]}
            self.assertEqual(sorted(rows, key=int), list(map(str, SIZES)), result.stdout)
            self.assertTrue(rows["5000"].endswith("skip: cap"), rows)
            self.assertIn("not timed (1): more than --max-thread-items 1000 threads",
                          result.stdout.splitlines())
            self.assertEqual(sorted(os.listdir(tmp)), ["tiny.json", "tiny.seed.json"])

    def test_writes_markdown_next_to_the_report_by_default(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = run_tool(write_report(tmp), *FAST)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(sorted(os.listdir(tmp)), ["tiny.json", "tiny.seed.md"])
            rows = [line for line in (Path(tmp) / "tiny.seed.md").read_text(
                encoding="utf-8").splitlines() if line.startswith("| ") and line[2].isdigit()]
            self.assertEqual([int(r.split("|")[1]) for r in rows], SIZES)
            self.assertIn("skipped: more than --max-thread-items 1000 threads", rows[-1])

    def test_a_tiny_budget_skips_with_a_reason_never_silently(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = run_tool(write_report(tmp), *FAST, "--budget", "0.001", "--format", "json")
            self.assertEqual(result.returncode, 0, result.stderr)
            doc = json.loads((Path(tmp) / "tiny.seed.json").read_text(encoding="utf-8"))
            self.assertEqual(len(doc["results"]), len(SIZES) * len(MODELS))
            budget = [r for r in doc["results"] if "--budget" in r.get("reason", "")]
            self.assertTrue(budget, doc["results"])
            self.assertTrue(all(r["status"] == "skipped" for r in budget))

    def test_a_wrong_result_is_failed_and_exit_3_not_a_figure(self):
        # The expected squares corrupted in the tool's process: every model's check must fail.
        code = ("import importlib.util, sys; sys.argv = sys.argv[1:]; "
                "spec = importlib.util.spec_from_file_location('seed_reference', sys.argv[0]); "
                "tool = sys.modules['seed_reference'] = importlib.util.module_from_spec(spec); "
                "spec.loader.exec_module(tool); tool.SQUARES[7] = 50; tool.main()")
        with tempfile.TemporaryDirectory() as tmp:
            result = run_tool(write_report(tmp), *FAST, "--format", "json", python_code=code)
            self.assertEqual(result.returncode, 3, result.stderr)
            doc = json.loads((Path(tmp) / "tiny.seed.json").read_text(encoding="utf-8"))
            failed = [r for r in doc["results"] if r["status"] == "failed"]
            self.assertTrue(failed)
            self.assertTrue(all("elements_per_second" not in r for r in failed))
            self.assertEqual({r["n"] for r in failed}, {100, 5000})  # 0 and 1 square right

    def test_writes_through_a_symlink_and_keeps_it_and_the_mode(self):
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as elsewhere:
            real = Path(elsewhere) / "real.json"
            real.write_text("old", encoding="utf-8")
            os.chmod(real, 0o640)
            link = Path(tmp) / "out.json"
            link.symlink_to(real)
            result = run_tool(write_report(tmp), *FAST, "--out", link, "--format", "json")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(link.is_symlink())
            self.assertEqual(json.loads(real.read_text(encoding="utf-8"))["sizes"], SIZES)
            self.assertEqual(stat.S_IMODE(real.stat().st_mode), 0o640)
            self.assertEqual(os.listdir(elsewhere), ["real.json"])  # no temporary file left
            self.assertEqual(sorted(os.listdir(tmp)), ["out.json", "tiny.json"])

    def test_a_full_disk_is_one_line_exit_1_and_the_link_kept(self):
        # A symlink to /dev/full in a temporary folder: never a device node named as the output.
        with tempfile.TemporaryDirectory() as tmp:
            link = Path(tmp) / "out.json"
            link.symlink_to("/dev/full")
            result = run_tool(write_report(tmp, sizes=[0, 1]), *FAST, "--out", link)
            self.assertEqual(result.returncode, 1, result.stderr)
            lines = result.stderr.splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertTrue(lines[0].startswith("seed_reference.py: error:"), lines[0])
            self.assertIn("No space left on device", lines[0])
            self.assertTrue(link.is_symlink())
            self.assertEqual(sorted(os.listdir(tmp)), ["out.json", "tiny.json"])

    def assert_bad_input(self, report, *args):
        result = run_tool(report, *FAST, *args)
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("seed_reference.py: error:"), lines[0])
        self.assertEqual(result.stdout, "")

    def test_bad_input_exits_2_in_one_line_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_bad_input(Path(tmp) / "no_such_report.json")
            self.assert_bad_input(Path(tmp))  # a folder
            not_json = Path(tmp) / "not_json.json"
            not_json.write_text("{\"tool\": \"squarebench\", ", encoding="utf-8")
            self.assert_bad_input(not_json)
            nested = Path(tmp) / "nested.json"
            nested.write_text("[" * 100000, encoding="utf-8")
            self.assert_bad_input(nested)
            digits = Path(tmp) / "digits.json"
            digits.write_text('{"tool": "squarebench", "cells": [{"elements": 1%s}]}'
                              % ("0" * 5000), encoding="utf-8")
            self.assert_bad_input(digits)
            other = Path(tmp) / "other.json"
            other.write_text('{"tool": "something else", "cells": []}', encoding="utf-8")
            self.assert_bad_input(other)
            for i, elements in enumerate(["5000", -1, 2**48 + 1, 10**30, 3.0, True, None]):
                self.assert_bad_input(write_report(tmp, name=f"bad{i}.json", elements=elements))
            no_cells = write_report(tmp, sizes=[], name="no_cells.json")
            self.assert_bad_input(no_cells)
            self.assert_bad_input(write_report(tmp, name="repeat.json"), "--repeat", "0")
            self.assertFalse([f for f in os.listdir(tmp) if "seed" in f], os.listdir(tmp))


if __name__ == "__main__":
    unittest.main()
