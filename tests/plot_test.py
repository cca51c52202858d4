# tools/plot.py on the committed small report: its images exist and are non-trivial; bad input exits 2.

import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("SQB_SOURCE_DIR") or Path(__file__).resolve().parent.parent)
PLOT = SOURCE_DIR / "tools" / "plot.py"
REPORT = SOURCE_DIR / "tests" / "data" / "small_report.json"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_BYTES = 10 * 1024


def has_matplotlib(python):
    return Path(python).is_file() and subprocess.run(
        [python, "-c", "import matplotlib"], capture_output=True, timeout=60).returncode == 0


def plot_interpreter():
    """This interpreter, or Debian's python3 when this one lacks matplotlib: python3-matplotlib
    installs it for /usr/bin/python3 only, while another python3 may come first on PATH."""
    for python in (sys.executable, "/usr/bin/python3"):
        if has_matplotlib(python):
            return python
    return sys.executable  # the script then says how to install matplotlib


PYTHON = plot_interpreter()


def run_plot(*args):
    env = dict(os.environ, MPLBACKEND="Agg")
    return subprocess.run([PYTHON, str(PLOT), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=100)


class PlotScriptTest(unittest.TestCase):
    def test_writes_throughput_and_scaling_images(self):
        with tempfile.TemporaryDirectory() as out_dir:
            result = run_plot(REPORT, "--out-dir", out_dir)
            self.assertEqual(result.returncode, 0, result.stderr)
            printed = result.stdout.splitlines()
            for plot in ("throughput", "scaling"):
                png = Path(out_dir) / f"small_report.{plot}.png"
                svg = Path(out_dir) / f"small_report.{plot}.svg"
                for image in (png, svg):
                    self.assertIn(str(image), printed)
                    self.assertGreater(image.stat().st_size, MIN_BYTES, image)
                self.assertTrue(png.read_bytes().startswith(PNG_SIGNATURE), png)
                self.assertIn("<svg", svg.read_text(encoding="utf-8"), svg)
            self.assertEqual(len(printed), 4, result.stdout)
            self.assertEqual(sorted(os.listdir(out_dir)), sorted(Path(p).name for p in printed))

    def test_writes_through_a_symlink_and_keeps_it_and_the_mode(self):
        with tempfile.TemporaryDirectory() as out_dir, tempfile.TemporaryDirectory() as elsewhere:
            real = Path(elsewhere) / "real.png"
            real.write_bytes(b"old")
            os.chmod(real, 0o640)
            link = Path(out_dir) / "small_report.throughput.png"
            link.symlink_to(real)
            result = run_plot(REPORT, "--out-dir", out_dir, "--formats", "png")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(link.is_symlink())
            self.assertTrue(real.read_bytes().startswith(PNG_SIGNATURE))
            self.assertEqual(stat.S_IMODE(real.stat().st_mode), 0o640)
            self.assertEqual(os.listdir(elsewhere), ["real.png"])  # no temporary file left

    def test_a_full_disk_is_one_line_exit_1_and_the_link_kept(self):
        # A symlink to /dev/full in a temporary folder: never a device node named as the output.
        with tempfile.TemporaryDirectory() as out_dir:
            link = Path(out_dir) / "small_report.throughput.png"
            link.symlink_to("/dev/full")
            result = run_plot(REPORT, "--out-dir", out_dir, "--formats", "png")
            self.assertEqual(result.returncode, 1, result.stderr)
            lines = result.stderr.splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertIn("No space left on device", lines[0])
            self.assertTrue(link.is_symlink())
            self.assertEqual(os.listdir(out_dir), [link.name])

    def assert_bad_input(self, report):
        result = run_plot(report, "--out-dir", Path(report).parent)
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("plot.py: error:"), lines[0])
        self.assertEqual(result.stdout, "")

    def test_missing_file_exits_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_bad_input(Path(tmp) / "no_such_report.json")

    def test_hostile_json_exits_2_in_one_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            nested = Path(tmp) / "nested.json"
            nested.write_text("[" * 100000, encoding="utf-8")
            self.assert_bad_input(nested)
            malformed = Path(tmp) / "malformed.json"
            report = json.loads(REPORT.read_text(encoding="utf-8"))
            for cell in report["cells"]:
                cell["threads"] = "two"
                cell["level"] = []
            report["fingerprint"] = []
            malformed.write_text(json.dumps(report), encoding="utf-8")
            self.assert_bad_input(malformed)
            self.assert_bad_input(Path(tmp))  # a folder

    def test_json_that_is_not_a_report_exits_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "other.json"
            report.write_text('{"tool": "something else", "cells": []}\n', encoding="utf-8")
            self.assert_bad_input(report)
            self.assertEqual(os.listdir(tmp), ["other.json"])


if __name__ == "__main__":
    unittest.main()
