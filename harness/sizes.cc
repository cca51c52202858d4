// Sizes: element counts with binary/decimal suffixes, and the memory level a working set lives in.
#include "harness/sizes.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace sqb {
namespace {

struct Suffix {
  std::string_view text;
  std::uint64_t factor;
};
constexpr Suffix kSuffixes[] = {
    {"Ki", 1ull << 10}, {"Mi", 1ull << 20}, {"Gi", 1ull << 30},
    {"K", 1000ull},     {"M", 1000000ull},  {"G", 1000000000ull},
};

std::uint64_t LastLevel(const CacheSizes& c) { return c.l3 ? c.l3 : c.l2 ? c.l2 : c.l1d; }

}  // namespace

std::optional<std::uint64_t> ParseWholeNumber(std::string_view text, const WholeNumberRule& rule,
                                              std::string* error) {
  const auto fail = [&](std::string_view why) -> std::optional<std::uint64_t> {
    *error = fmt::format("invalid {} '{}': {}", rule.what, text, why);
    return std::nullopt;
  };
  if (text.empty()) return fail("empty");
  if (text.front() == '-') return fail(rule.min > 0 ? "must be positive" : "must not be negative");
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end == text.data())
    return fail(rule.suffixes ? "not a number (expected e.g. 4096, 4Ki, 1Mi, 2G)" : "not a number");
  if (ec == std::errc::result_out_of_range) return fail("too large");
  const std::string_view suffix(end, text.data() + text.size() - end);
  std::uint64_t factor = 1;
  if (!suffix.empty()) {
    if (!rule.suffixes) return fail("not a number");
    factor = 0;
    for (const auto& s : kSuffixes)
      if (s.text == suffix) factor = s.factor;
    if (factor == 0)
      return fail(fmt::format("unknown suffix '{}' (use Ki, Mi, Gi, K, M or G)", suffix));
  }
  // value * factor outside [min, max], tested without overflowing.
  if (value < rule.min / factor + (rule.min % factor != 0))
    return fail(rule.below_min.empty() ? fmt::format("must be at least {}", rule.min)
                                       : std::string(rule.below_min));
  if (value > rule.max / factor)
    return fail(rule.above_max.empty() ? fmt::format("must be at most {}", rule.max)
                                       : std::string(rule.above_max));
  return value * factor;
}

std::optional<std::uint64_t> ParseCount(std::string_view text, std::string* error) {
  static const std::string too_many =
      fmt::format("more than {} elements per array", FormatCount(kMaxElements));
  return ParseWholeNumber(text,
                          {.what = "size",
                           .min = 1,
                           .max = kMaxElements,
                           .suffixes = true,
                           .below_min = "must be at least 1 element",
                           .above_max = too_many},
                          error);
}

std::string FormatCount(std::uint64_t n) {
  for (int i = 2; i >= 0; --i) {  // Gi, Mi, Ki
    const Suffix& s = kSuffixes[i];
    if (n >= s.factor && n % s.factor == 0) return fmt::format("{}{}", n / s.factor, s.text);
  }
  return std::to_string(n);
}

std::string FormatBytes(std::uint64_t bytes) {
  constexpr std::string_view kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  std::uint64_t whole = bytes;
  while (unit + 1 < std::size(kUnits) && whole >= 1024) {
    whole /= 1024;
    ++unit;
  }
  const double scaled = static_cast<double>(bytes) / static_cast<double>(1ull << (10 * unit));
  if (scaled == static_cast<double>(whole)) return fmt::format("{} {}", whole, kUnits[unit]);
  return fmt::format("{:.2f} {}", scaled, kUnits[unit]);
}

std::optional<std::uint64_t> ElementsForLevel(std::string_view level, const CacheSizes& c,
                                              DType t) {
  const std::uint64_t per_element_pair = 2 * SizeOf(t);  // x and y
  std::uint64_t working_set = 0;
  if (level == "L1")
    working_set = c.l1d / 2;
  else if (level == "L2")
    working_set = c.l2 / 2;
  else if (level == "L3")
    working_set = c.l3 / 2;
  else if (level == "DRAM")
    working_set = 4 * LastLevel(c);
  if (working_set == 0) return std::nullopt;
  if (level == "DRAM") {  // round up to whole Mi elements: still >= 4x the last level
    const std::uint64_t n = (working_set + per_element_pair - 1) / per_element_pair;
    return (n + (1 << 20) - 1) >> 20 << 20;
  }
  const std::uint64_t n = working_set / per_element_pair;
  return n > 0 ? std::optional<std::uint64_t>(n) : std::nullopt;
}

std::string ClassifyLevel(std::uint64_t bytes, const CacheSizes& c) {
  const std::pair<std::string_view, std::uint64_t> levels[] = {
      {"L1", c.l1d}, {"L2", c.l2}, {"L3", c.l3}};
  std::string_view last = "";
  for (const auto& [name, size] : levels) {
    if (size == 0) continue;
    if (bytes <= size) return std::string(name);
    last = name;
  }
  if (last.empty() || bytes >= 4 * LastLevel(c)) return "DRAM";
  return std::string(last) + "+";
}

std::vector<std::uint64_t> LogSpacedCounts(std::uint64_t from, std::uint64_t to, int per_octave) {
  std::vector<std::uint64_t> out;
  const double step = std::pow(2.0, 1.0 / per_octave);
  for (int k = 0;; ++k) {
    const auto n = static_cast<std::uint64_t>(
        std::llround(static_cast<double>(from) * std::pow(step, static_cast<double>(k))));
    if (n >= to) break;
    if (out.empty() || n > out.back()) out.push_back(n);
  }
  out.push_back(to);
  return out;
}

}  // namespace sqb
