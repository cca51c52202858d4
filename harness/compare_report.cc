// Rendering a comparison of two reports as a table, Markdown or JSON.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/compare.h"
#include "harness/report_layout.h"

namespace sqb {
namespace {

std::string MatchName(MatchBy m) { return m == MatchBy::kSize ? "size" : "level"; }

std::string Ratio(const CellComparison& c) {
  return fmt::format("{:.3f} [{:.3f}, {:.3f}]", c.ratio.ratio, c.ratio.low, c.ratio.high);
}

std::string VerdictText(const CellComparison& c) {
  std::string v(Name(c.verdict));
  if (!c.reason.empty()) v += " (" + c.reason + ")";
  return v;
}

std::string Counts(const LevelSummary& s) {
  return fmt::format("{} faster, {} slower, {} within noise", s.faster, s.slower, s.same);
}

std::string SummaryLine(const LevelSummary& s) {
  return fmt::format("{}: geometric mean B/A {:.3f}; {}", s.level, s.geomean, Counts(s));
}

// "5" or "3..5": the repetitions per cell on one side.
std::string RepetitionRange(const Comparison& c, std::size_t CellComparison::*side) {
  std::size_t low = std::numeric_limits<std::size_t>::max(), high = 0;
  for (const auto& cell : c.cells) {
    low = std::min(low, cell.*side);
    high = std::max(high, cell.*side);
  }
  return low == high ? fmt::format("{}", low) : fmt::format("{}..{}", low, high);
}

std::string Header(const Comparison& c) {
  std::string text = fmt::format("A = {}\nB = {}\nmatching by {}: {}\n", c.path_a, c.path_b,
                                 MatchName(c.match), c.match_reason);
  const auto between = [](const CellComparison& x) { return x.between_repetitions; };
  const bool any_between = std::any_of(c.cells.begin(), c.cells.end(), between);
  const bool all_between = std::all_of(c.cells.begin(), c.cells.end(), between);
  text += fmt::format("repetitions per cell: A {}, B {}\n",
                      RepetitionRange(c, &CellComparison::repetitions_a),
                      RepetitionRange(c, &CellComparison::repetitions_b));
  if (any_between)
    text += fmt::format(
        "verdict rule: Mann-Whitney U on the log medians of a cell's repetitions (a report's own, "
        "or one per report where a side has several), BH-adjusted p <= {:.2f}, and B/A (their "
        "Hodges-Lehmann shift) beyond 1 +- {:.3f}; B/A > 1 means B is faster\n",
        c.options.fdr, c.options.threshold);
  if (!all_between)
    text += fmt::format(
        "{}one repetition on a side: no run-to-run variation measured, so a cell is faster or "
        "slower only beyond its level's A/A noise floor (a factor of L1 {:.2f}, L2 {:.2f}, L3 "
        "{:.2f}, DRAM {:.2f}: docs/aa-study.md), with BH-adjusted Mann-Whitney p <= {:.2f} on the "
        "samples, the whole 95% bootstrap CI of B/A beyond 1 +- {:.3f} and >= 9 samples a side; "
        "repeat the runs (several reports a side, or --repeat) for a real test\n",
        any_between ? "cells with " : "verdict rule: ", 1 + NoiseFloor("L1"), 1 + NoiseFloor("L2"),
        1 + NoiseFloor("L3"), 1 + NoiseFloor("DRAM"), c.options.fdr, c.options.threshold);
  return text;
}

// The cells' header and rows.
std::string CellRows(const std::vector<const CellComparison*>& cells, bool markdown) {
  // Capped: one long key (a knob's value may be long) would pad every row to its length.
  constexpr std::size_t kMaxKeyWidth = 120;
  std::size_t width = 4;
  for (const auto* cell : cells) width = std::max(width, std::min(cell->key.size(), kMaxKeyWidth));
  const auto row = [&](const std::string& key, const std::string& a, const std::string& b,
                       const std::string& ratio, const std::string& p, const std::string& q,
                       const std::string& verdict) {
    if (markdown)
      return fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", key, a, b, ratio, p, q, verdict);
    return fmt::format("{:<{}}  {:>9}  {:>9}  {:>24}  {:>8}  {:>8}  {}\n", key, width, a, b, ratio,
                       p, q, verdict);
  };
  std::string text = row("cell", "A GB/s", "B GB/s", "B/A [95% CI]", "p", "BH q", "verdict");
  if (markdown) text += "| :-- | --: | --: | --: | --: | --: | :-- |\n";
  for (const auto* cell : cells)
    text += row(cell->key, fmt::format("{:.2f}", cell->gbps_a), fmt::format("{:.2f}", cell->gbps_b),
                Ratio(*cell), fmt::format("{:.2g}", cell->p), fmt::format("{:.2g}", cell->q),
                VerdictText(*cell));
  return text;
}

// Every cell, the summary per level, and every cell not compared.
std::string RenderDetails(const Comparison& c, bool markdown) {
  std::string text =
      markdown ? "# squarebench comparison\n\n```\n" + Header(c) + "```\n\n" : Header(c);
  for (const auto& w : c.not_like_for_like) text += (markdown ? "- " : "warning: ") + w + "\n";
  text += "\n";
  std::vector<const CellComparison*> cells;
  for (const auto& cell : c.cells) cells.push_back(&cell);
  text += CellRows(cells, markdown);
  text += markdown ? "\n## Summary\n\n" : "\nsummary:\n";
  for (const auto& s : c.levels) text += (markdown ? "- " : "  ") + SummaryLine(s) + "\n";
  const auto list = [&](const char* title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    text += markdown ? fmt::format("\n## {}\n\n", title) : fmt::format("\n{}:\n", title);
    for (const auto& i : items) text += (markdown ? "- " : "  ") + i + "\n";
  };
  list("only in A", c.only_in_a);
  list("only in B", c.only_in_b);
  list("not compared", c.not_comparable);
  return text;
}

// The changed cells within the screen's width: the BH q the verdict uses (not the raw p), and a
// key too long to leave room for the numbers on a line of its own.
std::string ChangedRows(const std::vector<const CellComparison*>& cells) {
  const auto numbers = [](const std::string& a, const std::string& b, const std::string& ratio,
                          const std::string& q, const std::string& verdict) {
    return fmt::format("  {:>7}  {:>7}  {:>20}  {:>7}  {}", a, b, ratio, q, verdict);
  };
  const std::size_t room = kScreenWidth - numbers("", "", "", "", "slower").size();
  std::size_t width = 4;
  for (const auto* cell : cells)
    if (cell->key.size() <= room) width = std::max(width, cell->key.size());
  std::string text = fmt::format("{:<{}}{}\n", "cell", width,
                                 numbers("A GB/s", "B GB/s", "B/A [95% CI]", "BH q", "verdict"));
  for (const auto* cell : cells) {
    const std::string values =
        numbers(fmt::format("{:.2f}", cell->gbps_a), fmt::format("{:.2f}", cell->gbps_b),
                Ratio(*cell), fmt::format("{:.2g}", cell->q), VerdictText(*cell));
    text += cell->key.size() <= room ? fmt::format("{:<{}}{}\n", cell->key, width, values)
                                     : fmt::format("{}\n{:<{}}{}\n", cell->key, "", width, values);
  }
  return text;
}

// One screen: the summary per level and backend, then only the cells that changed; the cells
// not compared are counted, not listed.
std::string RenderShort(const Comparison& c) {
  std::string text;
  std::istringstream header(Header(c));
  for (std::string line; std::getline(header, line);) text += Wrap(line, 0);
  for (const auto& w : c.not_like_for_like) text += Wrap("warning: " + w, 0);
  text += "\nsummary:\n";
  std::size_t width = 0;
  for (const auto& s : c.backends) width = std::max(width, s.backend.size());
  for (const auto& level : c.levels) {
    text += "  " + SummaryLine(level) + "\n";
    for (const auto& s : c.backends)
      if (s.level == level.level)
        text += fmt::format("    {:<{}}  {:.3f}; {}\n", s.backend, width, s.geomean, Counts(s));
  }
  std::vector<const CellComparison*> changed;
  for (const auto& cell : c.cells)
    if (cell.verdict != Verdict::kWithinNoise) changed.push_back(&cell);
  text += fmt::format("\nfaster or slower: {} of {} cells (--details: every cell)\n",
                      changed.size(), c.cells.size());
  if (!changed.empty()) text += ChangedRows(changed);
  const auto count = [&](const char* title, const std::vector<std::string>& items) {
    if (!items.empty())
      text += fmt::format("{}: {} cell{} (--details lists them)\n", title, items.size(),
                          items.size() == 1 ? "" : "s");
  };
  if (!(c.only_in_a.empty() && c.only_in_b.empty() && c.not_comparable.empty())) text += "\n";
  count("only in A", c.only_in_a);
  count("only in B", c.only_in_b);
  count("not compared", c.not_comparable);
  return text;
}

std::string RenderJson(const Comparison& c) {
  nlohmann::ordered_json j;
  j["a"] = c.path_a;
  j["b"] = c.path_b;
  j["match"] = MatchName(c.match);
  j["match_reason"] = c.match_reason;
  j["threshold"] = c.options.threshold;
  j["fdr"] = c.options.fdr;
  j["not_like_for_like"] = c.not_like_for_like;
  j["cells"] = nlohmann::ordered_json::array();
  for (const auto& cell : c.cells) {
    j["cells"].push_back(
        {{"cell", cell.key},
         {"level", cell.level},
         {"a_gbps_median", cell.gbps_a},
         {"b_gbps_median", cell.gbps_b},
         {"a_samples", cell.samples_a},
         {"b_samples", cell.samples_b},
         {"a_repetitions", cell.repetitions_a},
         {"b_repetitions", cell.repetitions_b},
         {"test", cell.between_repetitions ? "mann-whitney-repetitions" : "mann-whitney-samples"},
         {"ratio", cell.ratio.ratio},
         {"ratio_ci_low", cell.ratio.low},
         {"ratio_ci_high", cell.ratio.high},
         {"p", cell.p},
         {"q", cell.q},
         {"verdict", Name(cell.verdict)},
         {"reason", cell.reason}});
  }
  j["summary"] = nlohmann::ordered_json::array();
  for (const auto& s : c.levels)
    j["summary"].push_back({{"level", s.level},
                            {"geomean_ratio", s.geomean},
                            {"faster", s.faster},
                            {"slower", s.slower},
                            {"within_noise", s.same}});
  j["only_in_a"] = c.only_in_a;
  j["only_in_b"] = c.only_in_b;
  j["not_compared"] = c.not_comparable;
  return j.dump(2) + "\n";
}

}  // namespace

std::string RenderComparison(const Comparison& c, Format format, bool details) {
  if (format == Format::kJson) return RenderJson(c);
  if (format == Format::kMarkdown) return RenderDetails(c, true);
  return details ? RenderDetails(c, false) : RenderShort(c);
}

}  // namespace sqb
