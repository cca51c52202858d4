// The table reporter: a report as aligned, ranked text blocks for a terminal.
#include <fmt/format.h>

#include <algorithm>

#include "harness/report_layout.h"
#include "harness/reporters.h"

namespace sqb {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kSeparator = "  ";

using Cells = std::array<std::string, kColumnCount>;
using Widths = std::array<std::size_t, kColumnCount>;

std::string_view VerdictColor(CellStatus s) {
  switch (s) {
    case CellStatus::kOk:
      return "\x1b[32m";
    case CellStatus::kFailed:
    case CellStatus::kError:
      return "\x1b[31m";
    case CellStatus::kSkipped:
      return "\x1b[33m";
  }
  return "";
}

std::string FieldOr(const Fingerprint& f, const std::string& key) {
  const std::string* v = f.Find(key);
  return v != nullptr ? *v : "unknown";
}

Cells HeaderCells() {
  Cells cells;
  for (std::size_t i = 0; i < kColumns.size(); ++i) cells[i] = kColumns[i].header;
  return cells;
}

// Widths are shared by all groups so that every block lines up with the others.
Widths ColumnWidths(const std::vector<ResultGroup>& groups) {
  Widths w{};
  auto widen = [&](const Cells& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) w[i] = std::max(w[i], cells[i].size());
  };
  widen(HeaderCells());
  for (const ResultGroup& g : groups) {
    for (const ResultRow& row : g.rows) widen(row.text);
  }
  return w;
}

// One aligned line; `color` (an ANSI escape, or empty) wraps the verdict only.
std::string Line(const Cells& cells, const Widths& w, std::string_view color) {
  std::string line = "  ";
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += kSeparator;
    std::string pad(w[i] - cells[i].size(), ' ');
    if (kColumns[i].align == Align::kRight) {
      line += pad + cells[i];
    } else if (i == kVerdictColumn && !color.empty() && !cells[i].empty()) {
      line += fmt::format("{}{}{}{}", color, cells[i], kReset, pad);
    } else {
      line += cells[i] + pad;
    }
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return line + "\n";
}

std::string Header(const Report& r, const TableStyle& style) {
  std::string out;
  if (!r.complete) {
    std::string_view on = style.color ? "\x1b[1;31m" : "";
    std::string_view off = style.color ? kReset : "";
    out += fmt::format("{}INCOMPLETE: interrupted -- only the cells below were measured{}\n\n", on,
                       off);
  }
  const Fingerprint& f = r.fingerprint;
  out += fmt::format("squarebench {} on {}, started {}, ran {:.1f} s\n", r.tool_version,
                     FieldOr(f, "host.name"), r.started_utc, r.wall_seconds);
  out += fmt::format("cpu: {} ({} cores); build: {}\n", FieldOr(f, "cpu.model"),
                     FieldOr(f, "cpu.cores"), FieldOr(f, "build.type"));
  out += fmt::format("{}\n{}\n", kCountingRule, ColumnLegend(r.cells));
  for (const std::string& w : f.warnings) out += fmt::format("warning: {}\n", w);
  for (const std::string& n : r.notes) out += fmt::format("note: {}\n", n);
  return out;
}

}  // namespace

std::string RenderTable(const Report& r, const TableStyle& style) {
  std::string out = Header(r, style);
  std::vector<ResultGroup> groups = LayoutResults(r);
  Widths w = ColumnWidths(groups);
  std::size_t rule_width = 0;
  for (std::size_t i = 0; i + 1 < w.size(); ++i) rule_width += w[i] + kSeparator.size();
  rule_width += kColumns.back().header.size();
  for (const ResultGroup& g : groups) {
    out += fmt::format("\n{}\n", g.title);
    out += Line(HeaderCells(), w, "");
    out += fmt::format("  {}\n", std::string(rule_width, '-'));
    for (const ResultRow& row : g.rows) {
      bool colored = style.color && !row.kernel_only;
      out += Line(row.text, w, colored ? VerdictColor(row.cell->status) : "");
    }
    for (const std::string& line : g.events) out += fmt::format("  events: {}\n", line);
    for (const std::string& note : g.footnotes) out += fmt::format("  {}\n", note);
  }
  if (groups.empty()) out += "\nno cells\n";
  const AnalysisText analysis = DescribeAnalysis(r);
  if (!analysis.efficiency.empty()) out += fmt::format("\nefficiency: {}\n", kEfficiencyLegend);
  for (const std::string& line : analysis.efficiency) out += fmt::format("  {}\n", line);
  if (!analysis.fits.empty()) out += fmt::format("\nfits: {}\n", kFitLegend);
  for (const std::string& line : analysis.fits) out += fmt::format("  {}\n", line);
  if (!analysis.scaling.empty()) out += fmt::format("\nscaling: {}\n", kScalingLegend);
  for (const std::string& line : analysis.scaling) out += fmt::format("  {}\n", line);
  if (!analysis.crossovers.empty()) out += fmt::format("\ncrossovers: {}\n", kCrossoverLegend);
  for (const std::string& line : analysis.crossovers) out += fmt::format("  {}\n", line);
  return out;
}

}  // namespace sqb
