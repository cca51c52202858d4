// The google/benchmark JSON reporter: what tools/compare.py and benchmark dashboards read.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "harness/reporters.h"
#include "harness/sizes.h"

namespace sqb {
namespace {

using Json = nlohmann::ordered_json;

// "openmp+highway/f32/3Ki/threads:2/bind:cores" plus offset and knobs: one name per cell.
std::string BenchmarkName(const CellParams& p) {
  std::string name = fmt::format("{}/{}/{}/threads:{}/bind:{}", p.backend, Name(p.dtype),
                                 FormatCount(p.elements), p.threads, Name(p.binding));
  if (p.offset != 0) name += fmt::format("/offset:{}", p.offset);
  for (const auto& [k, v] : p.knobs) name += fmt::format("/{}:{}", k, v);
  return name;
}

// One entry; seconds per call become nanoseconds (time_unit "ns"). squarebench times wall clock
// only, so cpu_time repeats real_time.
Json Entry(const CellRecord& c, int family, const std::string& name, double seconds) {
  const CellParams& p = c.params;
  Json j;
  j["name"] = name;
  j["family_index"] = family;
  j["per_family_instance_index"] = 0;
  j["run_name"] = BenchmarkName(p);
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

}  // namespace

std::string RenderGbench(const Report& r) {
  Json j;
  const auto field = [&](const char* key) {
    const std::string* v = r.fingerprint.Find(key);
    return v ? *v : std::string();
  };
  const std::string cores = field("cpu.cores");
  j["context"] = {{"date", r.started_utc},
                  {"host_name", field("host.name")},
                  {"executable", r.command_line.empty() ? "squarebench" : r.command_line[0]},
                  {"num_cpus", cores.empty() ? 0 : std::stoi(cores)},
                  {"library_build_type", field("build.type") == "Release" ? "release" : "debug"},
                  {"squarebench_version", r.tool_version},
                  {"squarebench_counting", "bytes_per_second: 2 * sizeof(T) * elements per call"}};
  j["benchmarks"] = Json::array();
  int family = 0;
  for (const CellRecord& c : r.cells) {
    if (c.status != CellStatus::kOk || c.wall.samples.empty()) continue;
    const std::string name = BenchmarkName(c.params);
    const auto& s = c.wall.samples;
    for (std::size_t i = 0; i < s.size(); ++i) {
      Json e = Entry(c, family, name, s[i]);
      e["run_type"] = "iteration";
      e["repetition_index"] = i;
      j["benchmarks"].push_back(e);
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
      j["benchmarks"].push_back(e);
    }
    Json cv = Entry(c, family, name + "_cv", mean > 0 ? stddev / mean : 0);
    cv["run_type"] = "aggregate";
    cv["aggregate_name"] = "cv";
    cv["aggregate_unit"] = "percentage";
    cv["real_time"] = cv["cpu_time"] = mean > 0 ? stddev / mean : 0;
    cv.erase("bytes_per_second");
    cv.erase("items_per_second");
    j["benchmarks"].push_back(cv);
    ++family;
  }
  return j.dump(2) + "\n";
}

}  // namespace sqb
