// Reporters: one Report rendered as an aligned table, CSV, JSON or Markdown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "harness/record.h"

namespace sqb {

enum class Format { kTable, kCsv, kJson, kMarkdown, kGbench };
std::optional<Format> ParseFormat(std::string_view s);
std::string_view FileExtension(Format f);  // "txt", "csv", "json", "md", "json"

struct TableStyle {
  bool color = false;          // ANSI colours and bold (only when writing to a terminal)
  bool details = false;        // every cell with its ceilings and flags, not the matrix
  std::string saved_markdown;  // where this report was saved with every cell; "" when it was not
};

std::string RenderTable(const Report& r, const TableStyle& style = {});
std::string RenderCsv(const Report& r);
std::string RenderJson(const Report& r);
std::string RenderMarkdown(const Report& r);
// google/benchmark's JSON schema (context + per-repetition entries + aggregates).
std::string RenderGbench(const Report& r);
std::string Render(const Report& r, Format f, const TableStyle& style = {});

}  // namespace sqb
