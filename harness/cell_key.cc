// A cell's identity as one line of text: compare's keys, gbench names, CSV knobs, plan and fit.
#include "harness/cell_key.h"

#include <fmt/format.h>

#include "harness/sizes.h"

namespace sqb {

std::string CellKey(const CellParams& p, std::string_view level, KeySize size, KeyStyle style) {
  const auto [sep, assign] = style;
  std::string key = fmt::format("{}{}{}", p.backend, sep, Name(p.dtype));
  if (size == KeySize::kElements) key += fmt::format("{}{}", sep, FormatCount(p.elements));
  if (size == KeySize::kLevel) key += fmt::format("{}{}", sep, level);
  key +=
      fmt::format("{}threads{}{}{}bind{}{}", sep, assign, p.threads, sep, assign, Name(p.binding));
  if (p.offset != 0) key += fmt::format("{}offset{}{}", sep, assign, p.offset);
  if (!p.knobs.empty()) key += fmt::format("{}{}", sep, KnobsKey(p, sep, assign));
  if (!p.mpi_mode.empty())
    key += fmt::format("{}ranks{}{}{}mpi{}{}", sep, assign, p.ranks, sep, assign, p.mpi_mode);
  return key;
}

std::string CellKey(const CellRecord& c, KeySize size, KeyStyle style) {
  return CellKey(c.params, c.level, size, style);
}

std::string KnobsKey(const CellParams& p, std::string_view separator, std::string_view assign) {
  std::string key;
  std::string_view before = "";
  for (const auto& [k, v] : p.knobs) {
    key += fmt::format("{}{}{}{}", before, k, assign, v);
    before = separator;
  }
  return key;
}

}  // namespace sqb
