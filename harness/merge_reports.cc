// Several reports of one setup read as one: each report's cells become a repetition of one cell.
#include "harness/merge_reports.h"

#include <algorithm>
#include <map>
#include <string>

#include "harness/cell_key.h"

namespace sqb {
namespace {

template <typename T>
void AddOnce(std::vector<T>& to, const std::vector<T>& from) {
  for (const T& x : from)
    if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
}

void Append(std::vector<double>& to, const std::vector<double>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

void MergeCell(CellRecord& into, const CellRecord& from) {
  if (into.status == CellStatus::kOk && from.status != CellStatus::kOk) {
    into.status = from.status;
    into.message = from.message;
  }
  Append(into.wall.samples, from.wall.samples);
  if (!from.wall.samples.empty()) into.repetitions.push_back(from.wall.samples.size());
  if (from.kernel_only) {
    if (!into.kernel_only) into.kernel_only.emplace();
    Append(into.kernel_only->samples, from.kernel_only->samples);
  }
  into.calls_per_sample = std::max(into.calls_per_sample, from.calls_per_sample);
  AddOnce(into.flags, from.flags);
  // Rank rows stay only while every report has them, so that each splits as wall does.
  if (into.ranks.size() != from.ranks.size()) {
    into.ranks.clear();
    return;
  }
  for (std::size_t r = 0; r < into.ranks.size(); ++r) {
    Append(into.ranks[r].wall.samples, from.ranks[r].wall.samples);
    if (into.ranks[r].status == CellStatus::kOk) into.ranks[r].status = from.ranks[r].status;
  }
}

}  // namespace

Report MergeReports(const std::vector<Report>& reports) {
  Report merged = reports.front();
  if (reports.size() == 1) return merged;
  for (CellRecord& c : merged.cells)
    c.repetitions = c.wall.samples.empty() ? std::vector<std::size_t>{}
                                           : std::vector<std::size_t>{c.wall.samples.size()};
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < merged.cells.size(); ++i) index.emplace(CellKey(merged.cells[i]), i);
  for (std::size_t r = 1; r < reports.size(); ++r) {
    const Report& other = reports[r];
    merged.complete = merged.complete && other.complete;
    merged.wall_seconds += other.wall_seconds;
    AddOnce(merged.fingerprint.warnings, other.fingerprint.warnings);
    AddOnce(merged.notes, other.notes);
    for (const CellRecord& c : other.cells) {
      const auto [it, added] = index.emplace(CellKey(c), merged.cells.size());
      if (added) {
        merged.cells.push_back(c);
      } else {
        MergeCell(merged.cells[it->second], c);
      }
    }
  }
  // A kernel-only series is kept only where every repetition has one: it must split as wall does.
  for (CellRecord& c : merged.cells) {
    if (c.kernel_only && c.kernel_only->samples.size() != c.wall.samples.size())
      c.kernel_only.reset();
    if (!c.wall.samples.empty()) c.wall.stats = Summarize(c.wall.samples);
    for (RankRecord& row : c.ranks)
      if (!row.wall.samples.empty()) row.wall.stats = Summarize(row.wall.samples);
    if (c.kernel_only && !c.kernel_only->samples.empty())
      c.kernel_only->stats = Summarize(c.kernel_only->samples);
  }
  return merged;
}

}  // namespace sqb
