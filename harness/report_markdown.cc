// The Markdown reporter: a self-contained report with GitHub tables, for results/ and reviews.
#include <fmt/format.h>

#include "harness/cell_key.h"
#include "harness/rank_view.h"
#include "harness/report_layout.h"
#include "harness/report_matrix.h"
#include "harness/reporters.h"
#include "squarebench/format.h"

namespace sqb {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// A code span that survives backticks in s; `in_table` escapes '|', which GFM splits cells on even
// inside code spans.
std::string Code(std::string_view s, bool in_table) {
  std::string body;
  for (char c : s) {
    if (in_table && c == '|') body += '\\';
    body += c == '\n' ? ' ' : c;
  }
  if (body.find('`') == std::string::npos) return fmt::format("`{}`", body);
  return fmt::format("`` {} ``", body);
}

// The command line as a shell would accept it back.
std::string ShellJoin(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_not_of(
                                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789_./=,:@+-%") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string TableRow(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += fmt::format(" {} |", c);
  return out + "\n";
}

std::string PairsTable(std::string_view key_header, const Pairs& pairs) {
  if (pairs.empty()) return "None.\n";
  std::string out = TableRow({std::string(key_header), "value"}) + "|:--|:--|\n";
  for (const auto& [k, v] : pairs) out += TableRow({Code(k, true), MarkdownEscape(v)});
  return out;
}

std::string ResultsTable(const ResultGroup& g) {
  std::vector<std::string> header, rule;
  for (const Column& c : kColumns) {
    header.push_back(std::string(c.header));
    rule.push_back(c.align == Align::kRight ? "--:" : ":--");
  }
  std::string out = TableRow(header);
  out += TableRow(rule);
  for (const ResultRow& row : g.rows) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < row.text.size(); ++i) {
      bool alarm = i == kVerdictColumn && !row.kernel_only && row.cell->status != CellStatus::kOk;
      cells.push_back(alarm ? fmt::format("**{}**", row.text[i]) : MarkdownEscape(row.text[i]));
    }
    out += TableRow(cells);
  }
  if (!g.events.empty() || !g.footnotes.empty()) out += "\n";
  for (const std::string& line : g.events)
    out += fmt::format("- events: {}\n", MarkdownEscape(line));
  for (const std::string& note : g.footnotes) out += fmt::format("- {}\n", MarkdownEscape(note));
  return out;
}

// The matrices of the terminal's default view, as Markdown tables with their per-size lines.
std::string SummarySection(const Report& r) {
  const std::vector<Matrix> matrices = BuildMatrices(r);
  if (matrices.empty()) return "";
  std::string out = fmt::format("\n## Summary\n\n{}.\n", MarkdownEscape(kMatrixLegend));
  for (const Matrix& m : matrices) {
    out += fmt::format("\n| {} |", Name(m.dtype));
    for (const MatrixColumn& c : m.columns)
      out += fmt::format(" {} {} |", c.level, FormatCount(c.elements));
    out += "\n|:--|";
    for (std::size_t col = 0; col < m.columns.size(); ++col) out += "--:|";
    out += "\n";
    for (std::size_t row = 0; row < m.rows.size(); ++row) {
      out += fmt::format("| {} |", Code(m.rows[row].label, true));
      for (std::size_t col = 0; col < m.columns.size(); ++col) {
        const std::string text = MatrixCellText(r, m.rows[row].cells[col]);
        const Mark mark = m.marks[row][col];
        out += mark == Mark::kFastest ? fmt::format(" **{}** * |", text)
               : mark == Mark::kTied  ? fmt::format(" {} ~ |", text)
                                      : fmt::format(" {} |", text);
      }
      out += "\n";
    }
    out += "\n";
    for (const MatrixRow& row : m.rows)
      if (!row.resolved.empty())
        out += fmt::format("- {}: {}\n", Code(row.label, false),
                           MarkdownEscape(fmt::format("{}", fmt::join(row.resolved, " | "))));
    for (const std::string& line : m.per_level) out += fmt::format("- {}\n", MarkdownEscape(line));
    for (const std::string& line : m.problems) out += fmt::format("- {}\n", MarkdownEscape(line));
  }
  if (const std::string flags = FlagCounts(r); !flags.empty())
    out +=
        fmt::format("\nFlags: {}; each cell's are in the results below.\n", MarkdownEscape(flags));
  return out;
}

// A table of plain text as a GitHub table, every cell escaped.
std::string MarkdownTable(const TextTable& t) {
  std::string out = TableRow(t.header);
  std::vector<std::string> rule;
  for (bool right : t.right) rule.push_back(right ? "--:" : ":--");
  out += TableRow(rule);
  for (const std::vector<std::string>& row : t.rows) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) cells.push_back(MarkdownEscape(cell));
    out += TableRow(cells);
  }
  return out;
}

// Per cell measured across MPI ranks: the slowest host and rank in a line each, then the per-host
// and per-rank tables (cut to the slow and telling rows when long). "" when no cell has ranks.
std::string RanksSection(const Report& r) {
  std::string out;
  for (const CellRecord& c : r.cells) {
    if (c.ranks.empty()) continue;
    if (out.empty())
      out = fmt::format("\n## Ranks and hosts\n\n{}.\n", MarkdownEscape(RanksLegend(r.slow_below)));
    const RankView v = ViewRanks(c, r.slow_below);
    out += fmt::format("\n### {} ({}, {})\n\n", Code(CellKey(c), false), c.level, Name(c.status));
    for (const std::string& line : RankSummaryLines(v))
      out += fmt::format("- {}\n", MarkdownEscape(line));
    if (v.compare_hosts) {
      const std::vector<std::size_t> hosts = ListedHosts(v);
      out += fmt::format("\n{}", MarkdownTable(HostTable(v, hosts)));
      if (const std::string line = HostsListedLine(v, hosts.size()); !line.empty())
        out += fmt::format("\n{}.\n", MarkdownEscape(line));
    }
    const std::vector<std::size_t> ranks = ListedRanks(v);
    out += fmt::format("\n{}", MarkdownTable(RankTable(v, ranks)));
    if (const std::string line = RanksListedLine(v, ranks.size()); !line.empty())
      out += fmt::format("\n{}.\n", MarkdownEscape(line));
  }
  return out;
}

}  // namespace

std::string RenderMarkdown(const Report& r) {
  const Fingerprint& f = r.fingerprint;
  const std::string* host = f.Find("host.name");
  std::string out = fmt::format("# squarebench report: {}, {}\n\n",
                                MarkdownEscape(host != nullptr ? *host : "unknown host"),
                                MarkdownEscape(r.started_utc));
  if (!r.complete) {
    out += "> **Incomplete:** the run was interrupted; only the cells below were measured.\n\n";
  }
  out += fmt::format("squarebench {}, ran {:.1f} s: {}\n", MarkdownEscape(r.tool_version),
                     r.wall_seconds, Code(ShellJoin(r.command_line), false));

  if (!f.warnings.empty() || !r.notes.empty()) {
    out += "\n## Warnings and notes\n\n";
    for (const std::string& w : f.warnings)
      out += fmt::format("- **warning:** {}\n", MarkdownEscape(w));
    for (const std::string& n : r.notes) out += fmt::format("- note: {}\n", MarkdownEscape(n));
  }

  if (!r.images.empty()) out += "\n## Plots\n\n";
  for (const std::string& image : r.images) {
    const bool png = image.size() > 4 && image.compare(image.size() - 4, 4, ".png") == 0;
    out += png ? fmt::format("![{}]({})\n\n", MarkdownEscape(image), image)
               : fmt::format("- [{}]({})\n", MarkdownEscape(image), image);
  }

  out += SummarySection(r);
  out += "\n## Results\n";
  std::vector<ResultGroup> groups = LayoutResults(r);
  for (const ResultGroup& g : groups) {
    out += fmt::format("\n### {}\n\n{}", MarkdownEscape(g.title), ResultsTable(g));
  }
  if (groups.empty()) out += "\nNo cells.\n";
  out += RanksSection(r);
  const AnalysisText analysis = DescribeAnalysis(r);
  if (!analysis.efficiency.empty() || !analysis.fits.empty() || !analysis.crossovers.empty() ||
      !analysis.scaling.empty())
    out += "\n## Analysis\n";
  if (!analysis.efficiency.empty())
    out += fmt::format("\n### Efficiency\n\n{}.\n\n", MarkdownEscape(kEfficiencyLegend));
  for (const std::string& line : analysis.efficiency)
    out += fmt::format("- {}\n", MarkdownEscape(line));
  if (!analysis.scaling.empty())
    out += fmt::format("\n### Thread scaling\n\n{}.\n\n", MarkdownEscape(kScalingLegend));
  for (const std::string& line : analysis.scaling)
    out += fmt::format("- {}\n", MarkdownEscape(line));
  if (!analysis.fits.empty())
    out += fmt::format("\n### Fits\n\n{}.\n\n", MarkdownEscape(kFitLegend));
  for (const std::string& line : analysis.fits) out += fmt::format("- {}\n", MarkdownEscape(line));
  if (!analysis.crossovers.empty())
    out += fmt::format("\n### Crossovers\n\n{}.\n\n", MarkdownEscape(kCrossoverLegend));
  for (const std::string& line : analysis.crossovers)
    out += fmt::format("- {}\n", MarkdownEscape(line));

  out += fmt::format("\n## Counting\n\n{}.\n{}.\n", MarkdownEscape(kCountingRule),
                     MarkdownEscape(ColumnLegend(r.cells)));
  out += fmt::format("\n## Machine and build\n\n{}", PairsTable("field", f.fields));
  out += fmt::format("\n## Environment\n\n{}", PairsTable("variable", r.environment));
  out += fmt::format("\n## Settings\n\n{}", PairsTable("setting", r.settings));
  return out;
}

}  // namespace sqb
