// The table reporter: a report as aligned, ranked text blocks for a terminal.
#include <fmt/format.h>

#include <algorithm>

#include "harness/cell_key.h"
#include "harness/checked_json.h"
#include "harness/rank_view.h"
#include "harness/report_layout.h"
#include "harness/report_matrix.h"
#include "harness/reporters.h"
#include "squarebench/format.h"

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

// The run, the machine and what to know before reading; with the column legend for the details.
std::string Header(const Report& r, const TableStyle& style, bool legend) {
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
  if (legend) out += fmt::format("{}\n{}\n", kCountingRule, ColumnLegend(r.cells));
  for (const std::string& w : f.warnings) out += fmt::format("warning: {}\n", w);
  for (const std::string& n : r.notes) out += fmt::format("note: {}\n", n);
  return out;
}

constexpr std::size_t kMaxPerSizeLines = 8;

// One matrix as aligned text: the label column, then a column per size.
std::string MatrixText(const Report& r, const Matrix& m, const TableStyle& style) {
  std::vector<std::vector<std::string>> grid(m.rows.size() + 1);
  grid[0].push_back(std::string(Name(m.dtype)));
  // A header ends where its cells' numbers end, above their marks' column: a blank stands in.
  for (const MatrixColumn& c : m.columns)
    grid[0].push_back(fmt::format("{} {} ", c.level, FormatCount(c.elements)));
  for (std::size_t row = 0; row < m.rows.size(); ++row) {
    grid[row + 1].push_back(m.rows[row].label);
    for (std::size_t col = 0; col < m.columns.size(); ++col) {
      const Mark mark = m.marks[row][col];
      grid[row + 1].push_back(MatrixCellText(r, m.rows[row].cells[col]) +
                              (mark == Mark::kFastest ? "*"
                               : mark == Mark::kTied  ? "~"
                                                      : " "));
    }
  }
  std::vector<std::size_t> width(grid[0].size());
  for (const auto& line : grid)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  // Columns in blocks that fit the screen (a sweep has dozens of sizes), the labels on each.
  std::vector<std::pair<std::size_t, std::size_t>> blocks;
  for (std::size_t first = 1; first < width.size();) {
    std::size_t last = first, used = 2 + width[0] + 2 + width[first] + 1;
    while (last + 1 < width.size() && used + 2 + width[last + 1] + 1 <= kScreenWidth)
      used += 2 + width[++last] + 1;
    blocks.emplace_back(first, last + 1);
    first = last + 1;
  }
  std::string out;
  for (const auto& [first, end] : blocks) {
    if (first > 1) out += "\n";
    for (std::size_t row = 0; row < grid.size(); ++row) {
      std::string line = fmt::format("  {:<{}}", grid[row][0], width[0]);
      for (std::size_t col = first; col < end; ++col) {
        const std::string& cell = grid[row][col];
        const std::string pad(width[col] - cell.size(), ' ');
        const CellRecord* c = row == 0 ? nullptr : m.rows[row - 1].cells[col - 1];
        std::string_view on = "";
        if (style.color && c != nullptr && c->status != CellStatus::kOk)
          on = VerdictColor(c->status);
        if (style.color && row > 0 && m.marks[row - 1][col - 1] == Mark::kFastest) on = "\x1b[1m";
        // The colour wraps the text, not the mark's blank, so that lines end where they did.
        const std::size_t text = cell.find_last_not_of(' ') + 1;
        line += fmt::format("  {}{}", pad,
                            on.empty() ? cell
                                       : fmt::format("{}{}{}{}", on, cell.substr(0, text), kReset,
                                                     cell.substr(text)));
      }
      line.erase(line.find_last_not_of(' ') + 1);
      out += line + "\n";
      if (row == 0) out += fmt::format("  {}\n", std::string(line.size() - 2, '-'));
    }
  }
  for (const MatrixRow& row : m.rows)
    if (!row.resolved.empty())
      out += Wrap(fmt::format("{}: {}", row.label, fmt::join(row.resolved, " | ")), 4);
  // A line per size fits a run of a few sizes; a sweep's would fill the screen.
  if (m.columns.size() <= kMaxPerSizeLines) {
    for (const std::string& line : m.per_level) out += Wrap(line, 2);
  } else {
    out += "  the fastest at each size, against its ceiling: --details, or the saved Markdown\n";
  }
  for (const std::string& line : m.problems) out += Wrap(line, 2);
  return out;
}

// `t` aligned and indented by `indent`, a rule under its header; text from the report on one line.
std::string AlignedTable(const TextTable& t, std::size_t indent) {
  std::vector<std::vector<std::string>> grid = {t.header};
  for (const std::vector<std::string>& row : t.rows) {
    grid.emplace_back();
    for (const std::string& cell : row) grid.back().push_back(OneLine(cell));
  }
  std::vector<std::size_t> width(t.header.size());
  for (const auto& line : grid)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  std::string out;
  for (std::size_t row = 0; row < grid.size(); ++row) {
    std::string line(indent, ' ');
    for (std::size_t i = 0; i < grid[row].size(); ++i) {
      if (i > 0) line += kSeparator;
      const std::string pad(width[i] - grid[row][i].size(), ' ');
      line += t.right[i] ? pad + grid[row][i] : grid[row][i] + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
    if (row == 0)
      out +=
          fmt::format("{}{}\n", std::string(indent, ' '), std::string(line.size() - indent, '-'));
  }
  return out;
}

// Per cell measured across MPI ranks: the slowest host and rank in a line each and the per-host
// table; with the details, the per-rank table too. "" when no cell has ranks.
std::string RanksText(const Report& r, bool details) {
  std::string out;
  for (const CellRecord& c : r.cells) {
    if (c.ranks.empty()) continue;
    if (out.empty())
      out = fmt::format("\n{}", Wrap(fmt::format("ranks: {}", RanksLegend(r.slow_below)), 0));
    const RankView v = ViewRanks(c, r.slow_below);
    out += Wrap(fmt::format("{} ({}, {}):", CellKey(c), c.level, Name(c.status)), 2);
    for (const std::string& line : RankSummaryLines(v)) out += Wrap(OneLine(line), 4);
    if (v.compare_hosts) {
      const std::vector<std::size_t> hosts = ListedHosts(v);
      out += AlignedTable(HostTable(v, hosts), 4);
      if (const std::string line = HostsListedLine(v, hosts.size()); !line.empty())
        out += Wrap(line, 4);
    }
    if (!details) continue;
    const std::vector<std::size_t> ranks = ListedRanks(v);
    out += AlignedTable(RankTable(v, ranks), 4);
    if (const std::string line = RanksListedLine(v, ranks.size()); !line.empty())
      out += Wrap(line, 4);
  }
  if (!out.empty() && !details) out += "  each rank's row: --details, or the saved Markdown\n";
  return out;
}

// The default view: the machine, then per dtype the matrix and one line per size.
std::string RenderMatrixView(const Report& r, const TableStyle& style) {
  std::string out = Header(r, style, false);
  const std::vector<Matrix> matrices = BuildMatrices(r);
  if (matrices.empty()) return out + "\nno square cells (the cells are in --details)\n";
  out += fmt::format("\n{}", Wrap(std::string(kMatrixLegend), 0));
  for (const Matrix& m : matrices) out += fmt::format("\n{}", MatrixText(r, m, style));
  const AnalysisText analysis = DescribeAnalysis(r);
  if (!analysis.fits.empty())
    out += fmt::format("\n{}", Wrap(fmt::format("fits: {}", kFitLegend), 0));
  for (const std::string& line : analysis.fits) out += Wrap(line, 2);
  if (!analysis.scaling.empty())
    out += fmt::format("\n{}", Wrap(fmt::format("scaling: {}", kScalingLegend), 0));
  for (const std::string& line : analysis.scaling) out += Wrap(line, 2);
  if (!analysis.crossovers.empty())
    out += fmt::format("\n{}", Wrap(fmt::format("crossovers: {}", kCrossoverLegend), 0));
  for (const std::string& line : analysis.crossovers) out += Wrap(line, 2);
  out += RanksText(r, false);
  const std::string flags = FlagCounts(r);
  const std::string where = style.saved_markdown.empty()
                                ? "--details"
                                : fmt::format("{} (or --details)", style.saved_markdown);
  const std::string closing =
      flags.empty() ? fmt::format("no cell flagged; every cell, ceilings included: {}", where)
                    : fmt::format("flags: {}; each cell with its flags: {}", flags, where);
  out += fmt::format("\n{}", Wrap(closing, 0));
  return out;
}

}  // namespace

std::string RenderTable(const Report& r, const TableStyle& style) {
  if (!style.details) return RenderMatrixView(r, style);
  std::string out = Header(r, style, true);
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
  out += RanksText(r, true);
  return out;
}

}  // namespace sqb
