// Grouping, ranking and number formatting shared by the table and Markdown reporters.
#include "harness/report_layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/scaling.h"
#include "harness/sizes.h"

namespace sqb {
namespace {

constexpr char kDash = '-';  // in place of each number a cell does not have

bool SameGroup(const CellParams& a, const CellParams& b) {
  return a.dtype == b.dtype && a.elements == b.elements && a.offset == b.offset;
}

std::string GroupTitle(const CellRecord& c) {
  const CellParams& p = c.params;
  // Default backends that cannot run here are recorded once, before any size is chosen.
  if (p.elements == 0) return "not run: cannot run on this machine";
  std::string offset = p.offset == 0 ? "" : fmt::format(", y offset {} elements", p.offset);
  return fmt::format("{}, {} elements{}: {} per array, {} working set (2 arrays), in {}",
                     Name(p.dtype), FormatElements(p.elements), offset,
                     FormatBytes(p.BytesPerArray()), FormatBytes(p.BytesPerCall()), c.level);
}

// Tables hold one line per row: the lines of a message (e.g. a build log) are joined with "; ".
std::string OneLine(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "; ";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// Fills the throughput columns (best .. samples) of a row from one timing series.
void FillNumbers(const CellParams& p, const Timing& t, ResultRow& row) {
  const SampleStats& s = t.stats;
  row.text[kBestColumn] = FormatRate(GigabytesPerSecond(p, s.best));
  row.text[kMedianColumn] = FormatRate(GigabytesPerSecond(p, s.median));
  // The slow end of the time CI is the low end of the throughput CI.
  row.text[kCiColumn] = fmt::format("[{}, {}]", FormatRate(GigabytesPerSecond(p, s.ci_high)),
                                    FormatRate(GigabytesPerSecond(p, s.ci_low)));
  row.text[kGelemsColumn] = FormatRate(GigaElementsPerSecond(p, s.median));
  row.text[kErrColumn] = fmt::format("{:.1f}%", s.err_pct);
  row.text[kSamplesColumn] = fmt::format("{}", s.n);
}

class GroupBuilder {
 public:
  GroupBuilder(const Report& r, int* next_footnote) : report_(r), next_footnote_(next_footnote) {}

  void Add(const CellRecord& c) {
    if (c.status != CellStatus::kOk) {
      AddUnmeasured(c);
      return;
    }
    ResultRow row = MeasuredRow(c);
    group_.rows.push_back(row);
    if (!c.events.empty())
      group_.events.push_back(fmt::format("{}: {}", CellLabel(c), DescribeEvents(c)));
    if (c.kernel_only) {
      ResultRow k;
      k.cell = &c;
      k.kernel_only = true;
      k.text[kBackendColumn] = CellLabel(c) + " (kernel-only)";
      k.text[kLevelColumn] = c.level;
      FillNumbers(c.params, *c.kernel_only, k);
      FillEfficiency(c, true, k);
      group_.rows.push_back(k);
    }
  }

  ResultGroup Take() { return std::move(group_); }

 private:
  ResultRow MeasuredRow(const CellRecord& c) {
    ResultRow row = Identity(c);
    if (c.operation == Operation::kSquare) row.text[kRankColumn] = fmt::format("{}", ++rank_);
    FillNumbers(c.params, c.wall, row);
    FillEfficiency(c, false, row);
    return row;
  }

  void FillEfficiency(const CellRecord& c, bool kernel_only, ResultRow& row) {
    const auto e = RateAgainstCeiling(report_, c, kernel_only);
    row.text[kEfficiencyColumn] = e ? fmt::format("{:.0f}%", e->percent) : std::string(1, kDash);
  }

  void AddUnmeasured(const CellRecord& c) {
    ResultRow row = Identity(c);
    for (std::size_t i = kBestColumn; i <= kSamplesColumn; ++i) row.text[i].assign(1, kDash);
    row.text[kEfficiencyColumn].assign(1, kDash);
    std::string marks = std::move(row.text[kNotesColumn]);
    row.text[kNotesColumn] = OneLine(c.message);
    if (!marks.empty())
      row.text[kNotesColumn] += (row.text[kNotesColumn].empty() ? "" : " ") + marks;
    group_.rows.push_back(row);
  }

  // The columns that name the cell, its verdict, and marks for its flags' footnotes.
  ResultRow Identity(const CellRecord& c) {
    ResultRow row;
    row.cell = &c;
    row.text[kBackendColumn] = CellLabel(c);
    if (c.operation == Operation::kCopy) row.text[kBackendColumn] += " (copy ceiling)";
    row.text[kThreadsColumn] = c.on_device ? Workers(c) : fmt::format("{}", c.params.threads);
    row.text[kBindingColumn] = c.on_device ? std::string(1, kDash) : Name(c.params.binding);
    row.text[kLevelColumn] = c.level;
    row.text[kVerdictColumn] = Name(c.status);
    // A flag, or a choice the cell made by measuring: a mark here, the text in a footnote.
    const auto footnote = [&](const std::string& text) {
      int n = (*next_footnote_)++;
      row.text[kNotesColumn] += fmt::format("{}[{}]", row.text[kNotesColumn].empty() ? "" : " ", n);
      group_.footnotes.push_back(fmt::format("[{}] {} {} {}: {}", n, CellLabel(c),
                                             Name(c.params.dtype), FormatCount(c.params.elements),
                                             text));
    };
    for (const std::string& flag : c.flags) footnote(OneLine(flag));
    for (const std::string& choice : c.choices) footnote("chose " + OneLine(choice));
    return row;
  }

  const Report& report_;
  int* next_footnote_;
  int rank_ = 0;
  ResultGroup group_;
};

// Ranked square cells, then copy references (each by median time), then the rest by status.
int SortClass(const CellRecord& c) {
  if (c.status != CellStatus::kOk) return 2;
  return c.operation == Operation::kSquare ? 0 : 1;
}

bool RanksBefore(const CellRecord* a, const CellRecord* b) {
  int ca = SortClass(*a), cb = SortClass(*b);
  if (ca != cb) return ca < cb;
  if (ca == 2) return a->status < b->status;
  return a->wall.stats.median < b->wall.stats.median;
}

}  // namespace

std::string ColumnLegend(const std::vector<CellRecord>& cells) {
  std::vector<std::string> ceilings;
  for (const CellRecord& c : cells) {
    const std::string& name = c.params.chunk_kernel;
    if (c.operation == Operation::kCopy &&
        std::find(ceilings.begin(), ceilings.end(), name) == ceilings.end())
      ceilings.push_back(name);
  }
  std::sort(ceilings.begin(), ceilings.end());
  return fmt::format(
      "GB/s from per-call times: best sample, median sample and the 95% CI of the median;\n"
      "err% = median absolute deviation / median; eff % = median vs its ceiling: the fastest copy\n"
      "spread the same way, measured in the same rounds ({})",
      ceilings.empty() ? "no copy ceiling was measured: eff % is -"
                       : fmt::format("copies measured: {}", fmt::join(ceilings, ", ")));
}

std::string MarkdownEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\`*_|<").find(c) != std::string_view::npos) out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string CsvQuote(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string_view OperationName(Operation op) {
  return op == Operation::kSquare ? "square" : "copy";
}

std::string FormatRate(double v) {
  if (!std::isfinite(v) || v >= 10) return fmt::format("{:.1f}", v);
  if (v >= 1 || v <= 0) return fmt::format("{:.2f}", v);
  int decimals = 1 - static_cast<int>(std::floor(std::log10(v)));
  return fmt::format("{:.{}f}", v, decimals);
}

std::string FormatElements(std::uint64_t n) {
  std::string plain = fmt::format("{}", n);
  std::string short_form = FormatCount(n);
  return short_form == plain ? plain : fmt::format("{} ({})", plain, short_form);
}

std::string DescribeEvents(const CellRecord& c) {
  std::string out;
  for (const EventCount& e : c.events) {
    if (!out.empty()) out += ", ";
    const bool whole = e.per_call == std::floor(e.per_call) && e.per_call < 1e15;
    out += whole ? fmt::format("{:.0f} {} per call", e.per_call, e.name)
                 : fmt::format("{:.3g} {} per call", e.per_call, e.name);
    if (c.wall.stats.n == 0) continue;
    const double rate = EventsPerSecond(c, e);
    const auto [scale, prefix] = rate >= 1e9   ? std::pair(1e9, "G")
                                 : rate >= 1e6 ? std::pair(1e6, "M")
                                 : rate >= 1e3 ? std::pair(1e3, "k")
                                               : std::pair(1.0, "");
    out += fmt::format(" ({} {}/s", FormatRate(rate / scale), prefix);
    if (e.cost_s > 0)
      out += fmt::format("; {:.2f} ns each: {:.2f}% of the time", e.cost_s * 1e9,
                         EventTimePercent(c, e));
    out += ")";
  }
  return out;
}

AnalysisText DescribeAnalysis(const Report& r) {
  const SizeAnalysis a = AnalyzeSizes(r);
  AnalysisText out;
  for (const SizeEfficiency& s : FastestPerSize(r)) {
    const CellRecord& c = *s.fastest;
    const CellParams& p = c.params;
    std::string line = fmt::format("{} {} ({}): fastest {} on {}, {} GB/s", Name(p.dtype),
                                   FormatCount(p.elements), c.level, CellLabel(c), Workers(c),
                                   FormatRate(GigabytesPerSecond(p, c.wall.stats.median)));
    if (s.efficiency) {
      const CellRecord& ceiling = *s.efficiency->ceiling;
      line += fmt::format(
          " = {:.0f}% of its ceiling {} ({} GB/s)", s.efficiency->percent, CellLabel(ceiling),
          FormatRate(GigabytesPerSecond(ceiling.params, ceiling.wall.stats.median)));
    } else {
      line += "; no ceiling measured";
    }
    out.efficiency.push_back(std::move(line));
  }
  for (const LevelFit& f : a.fits) {
    out.fits.push_back(fmt::format(
        "{}, {}, {}, {} sizes {}..{}: fixed {:.3g} us per call, {} GB/s sustained (max residual "
        "{:.1f}%)",
        f.series, Name(f.dtype), f.level, f.points, FormatCount(f.min_elements),
        FormatCount(f.max_elements), f.fit.fixed_s * 1e6, FormatRate(f.fit.bytes_per_s / 1e9),
        100 * f.fit.max_rel_residual));
  }
  for (const ScalingPoint& p : AnalyzeScaling(r)) {
    out.scaling.push_back(fmt::format(
        "{}, {} {} ({}), {} thread{}: {} GB/s, {:.2f}x its 1 thread ({:.0f}% efficiency), "
        "{:.2f}x the fastest 1-thread ({})",
        p.series, Name(p.dtype), FormatCount(p.elements), p.level, p.threads,
        p.threads == 1 ? "" : "s", FormatRate(p.gbps), p.speedup, 100 * p.efficiency,
        p.over_best_single, p.best_single));
  }
  for (const Crossover& c : a.crossovers) {
    out.crossovers.push_back(
        fmt::format("{} overtakes {} at ~{} {} elements (between {} and {}, {})", c.faster,
                    c.slower, FormatCount(static_cast<std::uint64_t>(std::llround(c.elements))),
                    Name(c.dtype), FormatCount(c.below), FormatCount(c.above), c.level));
  }
  return out;
}

std::string Wrap(const std::string& text, std::size_t indent) {
  std::string out, line(indent, ' ');
  std::size_t line_indent = indent;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    if (line.size() > line_indent && line.size() + 1 + word.size() > kScreenWidth) {
      out += line + "\n";
      line_indent = indent + 2;
      line = std::string(line_indent, ' ');
    }
    line += (line.size() > line_indent ? " " : "") + word;
    at = end + 1;
  }
  return out + line + "\n";
}

std::string CellLabel(const CellRecord& c) {
  return c.summary.empty() ? c.params.backend : fmt::format("{} [{}]", c.params.backend, c.summary);
}

std::string Workers(const CellRecord& c) {
  if (c.on_device) return c.params.variant.empty() ? "device" : "device " + c.params.variant;
  return fmt::format("{} thread{}", c.params.threads, c.params.threads == 1 ? "" : "s");
}

std::vector<ResultGroup> LayoutResults(const Report& r) {
  // Cells of each group, in report order; groups in order of first appearance.
  std::vector<std::vector<const CellRecord*>> members;
  for (const CellRecord& c : r.cells) {
    auto it = std::find_if(members.begin(), members.end(),
                           [&](const auto& m) { return SameGroup(m.front()->params, c.params); });
    if (it == members.end()) {
      members.push_back({&c});
    } else {
      it->push_back(&c);
    }
  }
  std::vector<ResultGroup> groups;
  int next_footnote = 1;
  for (auto& cells : members) {
    std::string title = GroupTitle(*cells.front());
    std::stable_sort(cells.begin(), cells.end(), RanksBefore);
    GroupBuilder builder(r, &next_footnote);
    for (const CellRecord* c : cells) builder.Add(*c);
    groups.push_back(builder.Take());
    groups.back().title = std::move(title);
  }
  return groups;
}

}  // namespace sqb
