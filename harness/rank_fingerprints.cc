// Every MPI rank's fingerprint, gathered to rank 0: the fields in which ranks differ are named.
#include "harness/rank_fingerprints.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "harness/fingerprint.h"
#include "harness/rank_messages.h"
#include "harness/rank_view.h"

namespace sqb {
namespace {

// Fields that differ between any two processes, or from one moment to the next.
bool Volatile(const std::string& key) {
  return key == "host.name" || key.rfind("load.", 0) == 0 || key == "memory.available" ||
         key == "timer.overhead_ns" || key == "cache.l3_effective";
}

}  // namespace

void GatherFingerprints(Ranks& ranks, const std::vector<const BackendInfo*>& backends,
                        Report* report) {
  const std::vector<std::string> texts =
      ranks.Gather(report == nullptr ? FieldsToText(CollectFingerprint(backends).fields) : "[]");
  if (report == nullptr) return;
  Fingerprint& f = report->fingerprint;
  std::set<std::string> hosts;
  // key -> value -> ranks with it; rank 0's from the report.
  std::map<std::string, std::map<std::string, std::vector<int>>> values;
  for (const auto& [k, v] : f.fields) values[k][v].push_back(0);
  for (int r = 1; r < static_cast<int>(texts.size()); ++r)
    for (const auto& [k, v] : FieldsFromText(texts[r]))
      if (values.count(k)) values[k][v].push_back(r);
  for (const auto& [key, by_value] : values) {
    if (Volatile(key) || by_value.size() < 2) continue;
    std::vector<std::string> parts;
    for (const auto& [value, with] : by_value)
      parts.push_back(fmt::format("'{}' on ranks {}", value, RankList(with)));
    f.warnings.push_back(fmt::format("ranks differ in {}: {}", key, fmt::join(parts, "; ")));
  }
  for (const auto& [value, with] : values["host.name"]) hosts.insert(value);
  f.fields.emplace_back("mpi.library", ranks.Library());
  f.fields.emplace_back("mpi.ranks", std::to_string(ranks.Size()));
  f.fields.emplace_back("mpi.hosts", std::to_string(std::max<std::size_t>(1, hosts.size())));
  f.fields.emplace_back("mpi.ranks_per_host", std::to_string(ranks.MaxLocalSize()) + " at most");
}

}  // namespace sqb
