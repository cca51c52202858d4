// The JSON reporter: the whole report, lossless enough to be read back (docs/report-schema.md).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "harness/report_layout.h"
#include "harness/reporters.h"
#include "harness/scaling.h"

namespace sqb {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kCounting =
    "bytes = 2 * sizeof(T) * elements per call: x read once, y written once (STREAM counting)";

Json Object(const std::vector<std::pair<std::string, std::string>>& pairs) {
  Json j = Json::object();
  for (const auto& [k, v] : pairs) j[k] = v;
  return j;
}

// `gbps` and `gelems` convert a per-call time: the cell's own rates, or one rank's.
template <typename Gbps, typename Gelems>
Json TimingJson(const Timing& t, Gbps gbps, Gelems gelems) {
  Json j;
  j["samples_s"] = Json::array();
  for (double s : t.samples) j["samples_s"].push_back(s);
  const SampleStats& s = t.stats;
  if (s.n == 0) return j;
  j["stats"] = {{"n", s.n},
                {"best_s", s.best},
                {"median_s", s.median},
                {"ci_low_s", s.ci_low},
                {"ci_high_s", s.ci_high},
                {"mean_s", s.mean},
                {"max_s", s.max},
                {"err_pct", s.err_pct},
                {"outliers", s.outliers}};
  // The slow end of the time CI is the low end of the throughput CI.
  j["gbps"] = {{"best", gbps(s.best)},
               {"median", gbps(s.median)},
               {"ci_low", gbps(s.ci_high)},
               {"ci_high", gbps(s.ci_low)}};
  j["gelems_per_s"] = {{"best", gelems(s.best)}, {"median", gelems(s.median)}};
  return j;
}

Json TimingJson(const CellParams& p, const Timing& t) {
  return TimingJson(
      t, [&](double s) { return GigabytesPerSecond(p, s); },
      [&](double s) { return GigaElementsPerSecond(p, s); });
}

// One rank's part of an MPI cell, its rates for its own share of the elements.
Json RankJson(const CellRecord& c, const RankRecord& r) {
  return {{"rank", r.rank},
          {"host", r.host},
          {"cpus", r.cpus},
          {"device", r.device},
          {"elements", r.elements},
          {"status", Name(r.status)},
          {"message", r.message},
          {"wall", TimingJson(
                       r.wall, [&](double s) { return RankGigabytesPerSecond(c, r, s); },
                       [&](double s) { return static_cast<double>(r.elements) / s / 1e9; })}};
}

// The cell's efficiency against its ceiling; null when it has none.
Json EfficiencyJson(const Report& r, const CellRecord& c, bool kernel_only) {
  const auto e = RateAgainstCeiling(r, c, kernel_only);
  if (!e) return nullptr;
  const CellRecord& ceiling = *e->ceiling;
  const Timing& t = kernel_only ? *ceiling.kernel_only : ceiling.wall;
  Json knobs = Json::object();
  for (const auto& [k, v] : ceiling.params.knobs) knobs[k] = v;
  return {{"percent", e->percent},
          {"ceiling",
           {{"backend", ceiling.params.backend},
            {"knobs", knobs},
            {"median_gbps", GigabytesPerSecond(ceiling.params, t.stats.median)}}}};
}

Json CellJson(const Report& r, const CellRecord& c) {
  const CellParams& p = c.params;
  Json j;
  j["backend"] = p.backend;
  j["executor"] = p.executor;
  j["chunk_kernel"] = p.chunk_kernel;
  j["variant"] = p.variant;
  j["operation"] = OperationName(c.operation);
  j["dtype"] = Name(p.dtype);
  j["elements"] = p.elements;
  j["bytes_per_array"] = p.BytesPerArray();
  j["working_set_bytes"] = p.BytesPerCall();
  j["offset"] = p.offset;
  j["level"] = c.level;
  j["ceiling_set"] = c.ceiling_set;
  j["threads"] = p.threads;
  j["on_device"] = c.on_device;
  j["binding"] = Name(p.binding);
  j["knobs"] = Json::object();
  for (const auto& [k, v] : p.knobs) j["knobs"][k] = v;
  if (!p.mpi_mode.empty()) {
    j["ranks"] = p.ranks;
    j["mpi_mode"] = p.mpi_mode;
  }
  j["status"] = Name(c.status);
  j["message"] = c.message;
  j["placement"] = c.placement;
  j["summary"] = c.summary;
  j["calls_per_sample"] = c.calls_per_sample;
  // A record that does not split its samples holds one repetition of them.
  j["repetitions"] = c.repetitions.empty() && !c.wall.samples.empty()
                         ? std::vector<std::size_t>{c.wall.samples.size()}
                         : c.repetitions;
  j["wall"] = TimingJson(p, c.wall);
  j["efficiency"] = EfficiencyJson(r, c, false);
  if (c.kernel_only) {
    j["kernel_only"] = TimingJson(p, *c.kernel_only);
    j["kernel_only"]["efficiency"] = EfficiencyJson(r, c, true);
  }
  j["events"] = Json::array();
  for (const EventCount& e : c.events) {
    Json event = {{"name", e.name}, {"per_call", e.per_call}, {"cost_s", e.cost_s}};
    if (c.wall.stats.n > 0) {
      event["per_second"] = EventsPerSecond(c, e);
      if (e.cost_s > 0) event["time_pct"] = EventTimePercent(c, e);
    }
    j["events"].push_back(event);
  }
  j["flags"] = c.flags;
  if (!c.choices.empty()) j["choices"] = c.choices;
  if (!c.ranks.empty()) {
    j["rank_rows"] = Json::array();
    for (const RankRecord& rank : c.ranks) j["rank_rows"].push_back(RankJson(c, rank));
  }
  return j;
}

// Derived from the cells, for readers that do not refit: written, never read back.
Json AnalysisJson(const Report& r) {
  const SizeAnalysis a = AnalyzeSizes(r);
  Json j = {{"efficiency", Json::array()},
            {"fits", Json::array()},
            {"crossovers", Json::array()},
            {"scaling", Json::array()}};
  for (const SizeEfficiency& s : FastestPerSize(r)) {
    const CellRecord& c = *s.fastest;
    j["efficiency"].push_back({{"dtype", Name(c.params.dtype)},
                               {"elements", c.params.elements},
                               {"offset", c.params.offset},
                               {"level", c.level},
                               {"fastest", c.params.backend},
                               {"threads", c.params.threads},
                               {"knobs", c.params.knobs},
                               {"gbps", GigabytesPerSecond(c.params, c.wall.stats.median)},
                               {"efficiency", EfficiencyJson(r, c, false)}});
  }
  for (const ScalingPoint& p : AnalyzeScaling(r)) {
    j["scaling"].push_back({{"series", p.series},
                            {"dtype", Name(p.dtype)},
                            {"elements", p.elements},
                            {"level", p.level},
                            {"threads", p.threads},
                            {"gbps", p.gbps},
                            {"speedup", p.speedup},
                            {"efficiency", p.efficiency},
                            {"best_single", p.best_single},
                            {"over_best_single", p.over_best_single}});
  }
  for (const LevelFit& f : a.fits) {
    j["fits"].push_back({{"series", f.series},
                         {"dtype", Name(f.dtype)},
                         {"level", f.level},
                         {"min_elements", f.min_elements},
                         {"max_elements", f.max_elements},
                         {"points", f.points},
                         {"fixed_s", f.fit.fixed_s},
                         {"bytes_per_s", f.fit.bytes_per_s},
                         {"max_rel_residual", f.fit.max_rel_residual}});
  }
  for (const Crossover& c : a.crossovers) {
    j["crossovers"].push_back({{"faster", c.faster},
                               {"slower", c.slower},
                               {"dtype", Name(c.dtype)},
                               {"elements", c.elements},
                               {"level", c.level},
                               {"below", c.below},
                               {"above", c.above}});
  }
  return j;
}

}  // namespace

std::string RenderJson(const Report& r) {
  Json j;
  j["schema_version"] = r.schema_version;
  j["tool"] = "squarebench";
  j["tool_version"] = r.tool_version;
  j["complete"] = r.complete;
  j["started_utc"] = r.started_utc;
  j["wall_seconds"] = r.wall_seconds;
  j["command_line"] = r.command_line;
  j["environment"] = Object(r.environment);
  j["settings"] = Object(r.settings);
  j["fingerprint"] = {{"fields", Object(r.fingerprint.fields)},
                      {"warnings", r.fingerprint.warnings}};
  j["notes"] = r.notes;
  // Only where it applies: reports of single-process cells read as before.
  if (std::any_of(r.cells.begin(), r.cells.end(),
                  [](const CellRecord& c) { return !c.ranks.empty(); }))
    j["slow_below"] = r.slow_below;
  j["counting"] = kCounting;
  j["cells"] = Json::array();
  for (const CellRecord& c : r.cells) j["cells"].push_back(CellJson(r, c));
  j["analysis"] = AnalysisJson(r);
  return j.dump(2) + "\n";
}

}  // namespace sqb
