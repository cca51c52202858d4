// The google/benchmark JSON reporter: what tools/compare.py and benchmark dashboards read.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "harness/cell_key.h"
#include "harness/reporters.h"
#include "harness/sizes.h"

namespace sqb {
namespace {

using Json = nlohmann::ordered_json;

// "openmp+highway/f32/3Ki/threads:2/bind:cores" plus offset and knobs: one name per cell.
std::string BenchmarkName(const CellRecord& c) {
  return CellKey(c, KeySize::kElements, kBenchmarkKey);
}

// One entry; seconds per call become nanoseconds (time_unit "ns"). squarebench times wall clock
// only, so cpu_time repeats real_time.
Json Entry(const CellRecord& c, int family, const std::string& name, double seconds) {
  const CellParams& p = c.params;
  Json j;
  j["name"] = name;
  j["family_index"] = family;
  j["per_family_instance_index"] = 0;
  j["run_name"] = BenchmarkName(c);
  j["repetitions"] = c.wall.samples.size();
  j["threads"] = p.threads;
  j["iterations"] = c.calls_per_sample;
  j["real_time"] = seconds * 1e9;
  j["cpu_time"] = seconds * 1e9;
  j["time_unit"] = "ns";
  j["bytes_per_second"] = static_cast<double>(p.BytesPerCall()) / seconds;
  j["items_per_second"] = static_cast<double>(p.elements) / seconds;
  // Counted events as user counters, per call (google/benchmark's kAvgIterations).
  for (const EventCount& e : c.events) j[e.name + "_per_call"] = e.per_call;
  return j;
}

Json Context(const Report& r) {
  const auto field = [&](const char* key) {
    const std::string* v = r.fingerprint.Find(key);
    return v ? *v : std::string();
  };
  std::string not_a_count;
  const std::uint64_t cores =
      ParseWholeNumber(field("cpu.cores"), {.what = "cpu.cores"}, &not_a_count).value_or(0);
  return {{"date", r.started_utc},
          {"host_name", field("host.name")},
          {"executable", r.command_line.empty() ? "squarebench" : r.command_line[0]},
          {"num_cpus", cores},
          {"library_build_type", field("build.type") == "Release" ? "release" : "debug"},
          {"squarebench_version", r.tool_version},
          {"squarebench_counting", "bytes_per_second: 2 * sizeof(T) * elements per call"}};
}

// A measured cell's entries: one per sample (repetition), then mean, median, stddev and cv.
void AddEntries(const CellRecord& c, int family, Json* benchmarks) {
  const std::string name = BenchmarkName(c);
  const auto& s = c.wall.samples;
  for (std::size_t i = 0; i < s.size(); ++i) {
    Json e = Entry(c, family, name, s[i]);
    e["run_type"] = "iteration";
    e["repetition_index"] = i;
    benchmarks->push_back(e);
  }
  const double n = static_cast<double>(s.size());
  const double mean = std::accumulate(s.begin(), s.end(), 0.0) / n;
  double squares = 0;
  for (double v : s) squares += (v - mean) * (v - mean);
  const double stddev = s.size() > 1 ? std::sqrt(squares / (n - 1)) : 0;
  for (const auto& [aggregate, value] : {std::pair<const char*, double>{"mean", mean},
                                         {"median", c.wall.stats.median},
                                         {"stddev", stddev}}) {
    Json e = Entry(c, family, name + "_" + aggregate, value);
    e["run_type"] = "aggregate";
    e["aggregate_name"] = aggregate;
    e["aggregate_unit"] = "time";
    if (std::string(aggregate) == "stddev") {  // a spread, not a rate
      e.erase("bytes_per_second");
      e.erase("items_per_second");
    }
    benchmarks->push_back(e);
  }
  Json cv = Entry(c, family, name + "_cv", mean > 0 ? stddev / mean : 0);
  cv["run_type"] = "aggregate";
  cv["aggregate_name"] = "cv";
  cv["aggregate_unit"] = "percentage";
  cv["real_time"] = cv["cpu_time"] = mean > 0 ? stddev / mean : 0;
  cv.erase("bytes_per_second");
  cv.erase("items_per_second");
  benchmarks->push_back(cv);
}

}  // namespace

std::string RenderGbench(const Report& r) {
  Json j;
  j["context"] = Context(r);
  j["benchmarks"] = Json::array();
  int family = 0;
  for (const CellRecord& c : r.cells) {
    if (c.status != CellStatus::kOk || c.wall.samples.empty()) continue;
    AddEntries(c, family++, &j["benchmarks"]);
  }
  return j.dump(2) + "\n";
}

}  // namespace sqb
