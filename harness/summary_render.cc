// `squarebench summary`'s matrix rendered as a table, Markdown, JSON or CSV.
#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "harness/report_layout.h"
#include "harness/summary_command.h"

namespace sqb {
namespace {

constexpr std::string_view kLegend =
    "per level, the fastest verified square backend by median GB/s; eff % = its median against "
    "its ceiling (the fastest copy spread the same way)";

// The row's first column: the level, with the dtype when the summary has several.
std::string RowName(const Summary& s, const SummaryRow& row) {
  return s.several_dtypes ? fmt::format("{} {}", row.level, Name(row.dtype)) : row.level;
}

// An entry as the three texts of its column group: backend, median GB/s, eff %.
std::array<std::string, 3> EntryText(const SummaryEntry& e) {
  if (e.best == nullptr)
    return {std::string(kMissing), std::string(kMissing), std::string(kMissing)};
  return {e.best->params.backend, FormatRate(MedianGbps(*e.best)),
          e.efficiency ? fmt::format("{:.0f}%", e.efficiency->percent) : std::string(kMissing)};
}

constexpr std::array<std::string_view, 3> kGroupHeaders = {"backend", "GB/s", "eff %"};

std::string RenderText(const Summary& s) {
  std::string text = fmt::format("squarebench summary: {}\n\n", kLegend);
  std::size_t name_width = 5;
  for (const SummaryRow& row : s.rows) name_width = std::max(name_width, RowName(s, row).size());
  // Per column group: the widths of backend, GB/s and eff %; backend widens to fit the label.
  std::vector<std::array<std::size_t, 3>> widths(s.columns.size());
  for (std::size_t m = 0; m < s.columns.size(); ++m) {
    for (std::size_t i = 0; i < 3; ++i) widths[m][i] = kGroupHeaders[i].size();
    for (const SummaryRow& row : s.rows) {
      const auto cells = EntryText(row.entries[m]);
      for (std::size_t i = 0; i < 3; ++i) widths[m][i] = std::max(widths[m][i], cells[i].size());
    }
    const std::size_t group = widths[m][0] + widths[m][1] + widths[m][2] + 4;
    if (s.columns[m].label.size() > group) widths[m][0] += s.columns[m].label.size() - group;
  }
  const auto line = [&](std::string_view name, const auto& cells_of) {
    std::string out = fmt::format("{:<{}}", name, name_width);
    for (std::size_t m = 0; m < s.columns.size(); ++m) {
      const auto cells = cells_of(m);
      out += fmt::format(" | {:<{}}  {:>{}}  {:>{}}", cells[0], widths[m][0], cells[1],
                         widths[m][1], cells[2], widths[m][2]);
    }
    while (out.ends_with(' ')) out.pop_back();
    return out + "\n";
  };
  text += fmt::format("{:<{}}", "", name_width);
  for (std::size_t m = 0; m < s.columns.size(); ++m)
    text += fmt::format(" | {:<{}}", s.columns[m].label,
                        widths[m][0] + widths[m][1] + widths[m][2] + 4);
  while (text.ends_with(' ')) text.pop_back();
  text += "\n";
  text += line("level", [](std::size_t) {
    return std::array<std::string, 3>{std::string(kGroupHeaders[0]), std::string(kGroupHeaders[1]),
                                      std::string(kGroupHeaders[2])};
  });
  for (const SummaryRow& row : s.rows)
    text += line(RowName(s, row), [&](std::size_t m) { return EntryText(row.entries[m]); });
  text += "\nmachines:\n";
  for (const SummaryColumn& c : s.columns) {
    text += fmt::format("  {}: {}\n", c.label, c.path);
    for (const auto& [k, v] : c.facts) text += fmt::format("    {}: {}\n", k, v);
  }
  return text;
}

std::string RenderMarkdown(const Summary& s) {
  std::string text = fmt::format("# squarebench summary\n\n{}\n\n| level |", kLegend);
  std::string align = "| :-- |";
  for (const SummaryColumn& c : s.columns) {
    text += fmt::format(" {}: backend | GB/s | eff % |", MarkdownEscape(c.label));
    align += " :-- | --: | --: |";
  }
  text += "\n" + align + "\n";
  for (const SummaryRow& row : s.rows) {
    text += fmt::format("| {} |", RowName(s, row));
    for (const SummaryEntry& e : row.entries) {
      const auto cells = EntryText(e);
      text += fmt::format(" {} | {} | {} |", MarkdownEscape(cells[0]), cells[1], cells[2]);
    }
    text += "\n";
  }
  text += "\n## Machines\n\n";
  for (const SummaryColumn& c : s.columns) {
    text += fmt::format("- **{}**: {}\n", MarkdownEscape(c.label), MarkdownEscape(c.path));
    for (const auto& [k, v] : c.facts) text += fmt::format("  - {}: {}\n", k, MarkdownEscape(v));
  }
  return text;
}

// Calls f(column, row, entry) for every record, machine-major.
template <typename F>
void ForEachRecord(const Summary& s, F&& f) {
  for (std::size_t m = 0; m < s.columns.size(); ++m)
    for (const SummaryRow& row : s.rows) f(s.columns[m], row, row.entries[m]);
}

std::string RenderJson(const Summary& s) {
  using Json = nlohmann::ordered_json;
  Json j = {{"legend", kLegend}, {"machines", Json::array()}, {"records", Json::array()}};
  for (const SummaryColumn& c : s.columns) {
    Json facts = Json::object();
    for (const auto& [k, v] : c.facts) facts[k] = v;
    j["machines"].push_back({{"label", c.label}, {"report", c.path}, {"fingerprint", facts}});
  }
  ForEachRecord(s, [&](const SummaryColumn& c, const SummaryRow& row, const SummaryEntry& e) {
    Json r = {{"machine", c.label}, {"level", row.level},     {"dtype", Name(row.dtype)},
              {"backend", nullptr}, {"median_gbps", nullptr}, {"efficiency_pct", nullptr}};
    if (e.best != nullptr) {
      r["backend"] = e.best->params.backend;
      r["median_gbps"] = MedianGbps(*e.best);
      if (e.efficiency) r["efficiency_pct"] = e.efficiency->percent;
    }
    j["records"].push_back(r);
  });
  return j.dump(2) + "\n";
}

// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
std::string RenderCsv(const Summary& s) {
  std::string text = "machine,level,dtype,backend,median_gbps,efficiency_pct,report\n";
  ForEachRecord(s, [&](const SummaryColumn& c, const SummaryRow& row, const SummaryEntry& e) {
    std::string backend, gbps, eff;
    if (e.best != nullptr) {
      backend = e.best->params.backend;
      gbps = fmt::format("{}", MedianGbps(*e.best));
      if (e.efficiency) eff = fmt::format("{}", e.efficiency->percent);
    }
    text += fmt::format("{},{},{},{},{},{},{}\n", CsvQuote(c.label), row.level, Name(row.dtype),
                        CsvQuote(backend), gbps, eff, CsvQuote(c.path));
  });
  return text;
}

}  // namespace

std::string RenderSummary(const Summary& s, Format format) {
  switch (format) {
    case Format::kMarkdown:
      return RenderMarkdown(s);
    case Format::kJson:
      return RenderJson(s);
    case Format::kCsv:
      return RenderCsv(s);
    default:
      return RenderText(s);
  }
}

}  // namespace sqb
