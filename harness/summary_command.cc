// `squarebench summary`: reading reports and folders, and one column per machine.
#include "harness/summary_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include "harness/cli.h"
#include "harness/merge_reports.h"
#include "harness/plan.h"
#include "harness/report_inputs.h"

namespace sqb {
namespace {

// Every level a report may name, smallest first.
constexpr std::string_view kLevelOrder[] = {"L1", "L1+", "L2", "L2+", "L3", "L3+", "DRAM"};
constexpr std::string_view kFactKeys[] = {"cpu.model", "cpu.cores", "cache.l1d",
                                          "cache.l2",  "cache.l3",  "host.name"};

// A file is taken as given; a folder contributes each machine's latest complete default run.
std::vector<SavedReport> ReadInputs(std::vector<std::string> inputs) {
  if (inputs.empty()) inputs.push_back("results");
  std::vector<SavedReport> reports;
  for (const std::string& input : inputs) {
    if (!IsFolder(input)) {
      reports.push_back(ReadSavedReport(input));
      continue;
    }
    std::vector<SavedReport> found;
    for (const std::string& file : JsonFilesUnder(input)) found.push_back(ReadSavedReport(file));
    if (found.empty()) throw UsageError(input + ": no report (*.json) in this folder");
    found = LatestDefaultRuns(std::move(found));
    if (found.empty())
      throw UsageError(input + ": no complete report of a default run (backends=default) here");
    for (SavedReport& r : found) reports.push_back(std::move(r));
  }
  return reports;
}

bool IsDefaultRun(const Report& r) {
  return std::any_of(r.settings.begin(), r.settings.end(),
                     [](const auto& s) { return s.first == "backends" && s.second == "default"; });
}

std::string Fact(const MachineFacts& facts, std::string_view key) {
  for (const auto& [k, v] : facts)
    if (k == key) return v;
  return std::string(kMissing);
}

// "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz" -> "Xeon Platinum 8481C",
// "AMD EPYC 7763 64-Core Processor" -> "EPYC 7763".
std::string ShortCpu(std::string model) {
  model = model.substr(0, model.find('@'));
  for (std::string_view mark : {"(R)", "(r)", "(TM)", "(tm)"}) {
    for (auto at = model.find(mark); at != std::string::npos; at = model.find(mark))
      model.erase(at, mark.size());
  }
  std::istringstream words(model);
  std::string word, out;
  while (words >> word) {
    const bool noise = word == "Intel" || word == "AMD" || word == "CPU" || word == "Processor" ||
                       word.ends_with("-Core");
    if (!noise) out += (out.empty() ? "" : " ") + word;
  }
  return out.empty() ? "?" : out;
}

// FormatBytes' spelling shortened: "48 KiB" -> "48K", "1.50 GiB" -> "1.50G", "512 B" -> "512".
std::string ShortBytes(const std::string& bytes) {
  const auto space = bytes.find(' ');
  if (space == std::string::npos || space == 0) return "?";
  const std::string unit = bytes.substr(space + 1);
  if (unit == "B") return bytes.substr(0, space);
  if (unit.size() == 3 && unit.ends_with("iB")) return bytes.substr(0, space) + unit[0];
  return "?";
}

std::string Label(const MachineFacts& f) {
  const std::string cores = Fact(f, "cpu.cores");
  return fmt::format("{} ({} {}c {}/{}/{})", Fact(f, "host.name"), ShortCpu(Fact(f, "cpu.model")),
                     cores == kMissing ? "?" : cores, ShortBytes(Fact(f, "cache.l1d")),
                     ShortBytes(Fact(f, "cache.l2")), ShortBytes(Fact(f, "cache.l3")));
}

// Reports of one machine (equal FactsOf) merged into one, as repetitions of one run, in the
// order of the machines' first appearance; the path names every report merged.
std::vector<SavedReport> MergeByMachine(std::vector<SavedReport> reports) {
  std::vector<std::pair<MachineFacts, std::vector<SavedReport>>> machines;
  for (SavedReport& r : reports) {
    MachineFacts facts = FactsOf(r.report);
    auto it = std::find_if(machines.begin(), machines.end(),
                           [&](const auto& m) { return m.first == facts; });
    if (it == machines.end()) it = machines.insert(machines.end(), {std::move(facts), {}});
    it->second.push_back(std::move(r));
  }
  std::vector<SavedReport> out;
  for (auto& [facts, group] : machines) {
    if (group.size() == 1) {
      out.push_back(std::move(group.front()));
      continue;
    }
    std::vector<Report> same;
    std::vector<std::string> paths;
    for (SavedReport& r : group) {
      same.push_back(std::move(r.report));
      paths.push_back(r.path);
    }
    out.push_back({fmt::format("{}", fmt::join(paths, " + ")), MergeReports(same)});
  }
  return out;
}

std::size_t LevelRank(const std::string& level) {
  return static_cast<std::size_t>(std::find(std::begin(kLevelOrder), std::end(kLevelOrder), level) -
                                  std::begin(kLevelOrder));
}

}  // namespace

double MedianGbps(const CellRecord& c) { return GigabytesPerSecond(c.params, c.wall.stats.median); }

MachineFacts FactsOf(const Report& r) {
  MachineFacts facts;
  for (std::string_view key : kFactKeys) {
    const std::string* v = r.fingerprint.Find(std::string(key));
    facts.emplace_back(std::string(key), v != nullptr ? *v : std::string(kMissing));
  }
  return facts;
}

std::vector<SavedReport> LatestDefaultRuns(std::vector<SavedReport> reports) {
  std::vector<std::pair<MachineFacts, SavedReport>> latest;
  for (SavedReport& r : reports) {
    if (!r.report.complete || !IsDefaultRun(r.report)) continue;
    MachineFacts facts = FactsOf(r.report);
    auto it =
        std::find_if(latest.begin(), latest.end(), [&](const auto& l) { return l.first == facts; });
    if (it == latest.end()) {
      latest.emplace_back(std::move(facts), std::move(r));
    } else if (std::tie(r.report.started_utc, r.path) >
               std::tie(it->second.report.started_utc, it->second.path)) {
      it->second = std::move(r);
    }
  }
  std::vector<SavedReport> out;
  for (auto& l : latest) out.push_back(std::move(l.second));
  return out;
}

Summary BuildSummary(const std::vector<SavedReport>& reports) {
  Summary s;
  std::map<std::string, int> seen;
  for (const SavedReport& r : reports) {
    SummaryColumn c{"", FactsOf(r.report), r.path};
    c.label = Label(c.facts);
    if (const int n = ++seen[c.label]; n > 1) c.label += fmt::format(" #{}", n);
    s.columns.push_back(std::move(c));
  }
  // Every (dtype, level) some cell of some report has, in order.
  std::vector<std::pair<DType, std::string>> keys;
  for (const SavedReport& r : reports)
    for (const CellRecord& c : r.report.cells)
      if (!c.level.empty()) keys.emplace_back(c.params.dtype, c.level);
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return std::tuple(a.first, LevelRank(a.second), a.second) <
           std::tuple(b.first, LevelRank(b.second), b.second);
  });
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  s.several_dtypes = !keys.empty() && keys.front().first != keys.back().first;

  std::vector<std::vector<SizeEfficiency>> fastest;
  for (const SavedReport& r : reports) fastest.push_back(FastestPerSize(r.report));
  for (const auto& [dtype, level] : keys) {
    SummaryRow row{dtype, level, {}};
    for (const auto& sizes : fastest) {
      SummaryEntry entry;
      for (const SizeEfficiency& size : sizes) {
        const CellRecord& c = *size.fastest;
        if (c.params.dtype != dtype || c.level != level) continue;
        if (entry.best == nullptr || MedianGbps(c) > MedianGbps(*entry.best))
          entry = {&c, size.efficiency};
      }
      row.entries.push_back(entry);
    }
    s.rows.push_back(std::move(row));
  }
  return s;
}

int SummarizeReports(const SummaryCommand& command) {
  const auto format = ParseFormat(command.format);
  if (!format || *format == Format::kGbench)
    throw UsageError(
        fmt::format("unknown format '{}' (valid: table, md, json, csv)", command.format));
  const std::vector<SavedReport> reports = MergeByMachine(ReadInputs(command.inputs));
  WriteResult(command.out, RenderSummary(BuildSummary(reports), *format));
  return kExitOk;
}

}  // namespace sqb
