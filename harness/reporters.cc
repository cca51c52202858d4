// Reporter selection: format names, file extensions and dispatch to the renderers.
#include "harness/reporters.h"

namespace sqb {

std::optional<Format> ParseFormat(std::string_view s) {
  if (s == "table") return Format::kTable;
  if (s == "csv") return Format::kCsv;
  if (s == "json") return Format::kJson;
  if (s == "md") return Format::kMarkdown;
  if (s == "gbench") return Format::kGbench;
  return std::nullopt;
}

std::string_view FileExtension(Format f) {
  switch (f) {
    case Format::kTable:
      return "txt";
    case Format::kCsv:
      return "csv";
    case Format::kJson:
      return "json";
    case Format::kMarkdown:
      return "md";
    case Format::kGbench:
      return "json";
  }
  return "txt";
}

std::string Render(const Report& r, Format f, const TableStyle& style) {
  switch (f) {
    case Format::kTable:
      return RenderTable(r, style);
    case Format::kCsv:
      return RenderCsv(r);
    case Format::kJson:
      return RenderJson(r);
    case Format::kMarkdown:
      return RenderMarkdown(r);
    case Format::kGbench:
      return RenderGbench(r);
  }
  return RenderTable(r, style);
}

}  // namespace sqb
