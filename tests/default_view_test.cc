// The default run's view on one screen: whatever default backends this build registers (so the
// test grows as backends are added), the matrix of the current default plan fits 120 columns and
// 50 lines, with a machine's usual warnings and a backend that cannot run here.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "harness/plan.h"
#include "harness/reporters.h"

namespace sqb {
namespace {

// Every planned cell measured, the slower the later it was planned, with one flag each.
Report MeasuredDefaultPlan() {
  const Plan plan = MakePlan(RunOptions{}, CurrentMachineLimits());
  Report r;
  r.tool_version = "0.1.0";
  r.started_utc = "2026-12-02T00:00:00Z";
  r.fingerprint.fields = {{"host.name", "a-host-name"},
                          {"cpu.model", std::string(48, 'x')},
                          {"cpu.cores", "64"},
                          {"build.type", "Release"}};
  r.fingerprint.warnings = {"frequency governor unavailable: clock may vary",
                            "running under a hypervisor (KVM): expect extra timing noise",
                            "machine busy: load 4.50 on 2 cores"};
  r.cells = plan.skipped;
  double seconds = 1e-6;
  for (const SizeGroup& g : plan.groups) {
    for (const PlannedCell& p : g.cells) {
      CellRecord c;
      c.params = p.params;
      c.level = p.level;
      c.ceiling_set = p.ceiling_set;
      c.on_device = p.backend->variant_is_device;
      c.operation = p.backend->operation;
      c.summary = "AVX3 x16, regular stores (auto)";
      seconds *= 1.01;
      c.wall.samples.assign(9, seconds);
      c.wall.stats = {.n = 9,
                      .best = seconds,
                      .median = seconds,
                      .ci_low = seconds,
                      .ci_high = seconds * 1.001,
                      .mean = seconds,
                      .max = seconds};
      c.flags = {"noisy: err 7.1% > 5%"};
      r.cells.push_back(std::move(c));
    }
  }
  return r;
}

TEST(DefaultView, TheCurrentDefaultPlanFitsOneScreen) {
  const Report r = MeasuredDefaultPlan();
  ASSERT_FALSE(r.cells.empty());
  const std::string view = RenderTable(r);
  std::istringstream in(view);
  std::size_t lines = 0, widest = 0;
  for (std::string line; std::getline(in, line); ++lines) widest = std::max(widest, line.size());
  EXPECT_LE(widest, 120u) << view;
  EXPECT_LE(lines, 50u) << view;
  EXPECT_NE(view.find("flags: "), std::string::npos) << "flags are counted, not listed";
  EXPECT_EQ(view.find("[1]"), std::string::npos) << "no per-cell footnotes by default";
}

}  // namespace
}  // namespace sqb
