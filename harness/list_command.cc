// `squarebench list` and `squarebench info`: what this binary can run, and the machine it is on.
#include "harness/list_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "harness/cli.h"
#include "harness/fingerprint.h"
#include "harness/plan_inputs.h"
#include "harness/registry.h"

namespace sqb {
namespace {

// The widest a line of the default form should be; only a long backend name or variant list
// makes it wider.
constexpr std::size_t kMaxLineWidth = 120;

std::size_t BackendWidth() {
  std::size_t width = 7;
  for (const auto& b : Backends()) width = std::max(width, b.name.size());
  return width;
}

std::vector<std::string> VariantsOf(const BackendInfo& b) {
  return b.variants.empty() ? std::vector<std::string>{""} : b.variants.get();
}

// `list --details`: one line per backend and variant, whether it is in the default run, whether
// it runs here.
std::string VariantLines() {
  const std::size_t width = BackendWidth();
  std::string text = fmt::format("{:<{}}  {:<8}  {:<7}  {:<8}  {}\n", "backend", width, "variants",
                                 "default", "runs", "description / why not");
  for (const auto& b : Backends()) {
    const std::string default_variant = DefaultVariant(b);
    for (const auto& v : VariantsOf(b)) {
      const std::string why = b.unavailable_reason(v);
      text += fmt::format("{:<{}}  {:<8}  {:<7}  {:<8}  {}\n", b.name, width, v.empty() ? "-" : v,
                          b.in_default_run && v == default_variant ? "yes" : "-",
                          why.empty() ? "here" : "no",
                          !why.empty()           ? why
                          : v == default_variant ? b.description
                                                 : "");
    }
  }
  return text;
}

// "auto avx3 avx2", or "-" when the backend has no variants.
std::string VariantsText(const BackendInfo& b) {
  return b.variants.empty() ? "-" : fmt::format("{}", fmt::join(b.variants.get(), " "));
}

// A composed backend's description without its executor's part: the executor's own line has it,
// and what tells the backend apart comes after it.
std::string OwnDescription(const BackendInfo& b) {
  const ExecutorInfo* e = b.name == b.executor ? nullptr : FindExecutor(b.executor);
  if (!e) return b.description;
  const std::string prefix = e->description + ", ";
  return b.description.rfind(prefix, 0) == 0 ? b.description.substr(prefix.size()) : b.description;
}

// `text` cut to at most `width` bytes, ending in "..." when cut (never inside a UTF-8 character).
std::string Shortened(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t end = width - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

// The default form: one line per backend with its variants inline, then for one that cannot
// run everywhere a line per reason naming the variants it holds back.
std::string BackendLines() {
  const std::size_t width = BackendWidth();
  std::size_t variants_width = 8;
  for (const auto& b : Backends())
    variants_width = std::max(variants_width, VariantsText(b).size());
  const auto line = [&](const std::string& name, const std::string& in_default,
                        const std::string& runs, const std::string& variants) {
    return fmt::format("{:<{}}  {:<7}  {:<4}  {:<{}}  ", name, width, in_default, runs, variants,
                       variants_width);
  };
  const std::size_t description_width = std::max<std::size_t>(
      kMaxLineWidth - std::min(kMaxLineWidth, line("", "", "", "").size()), 24);
  std::string text = line("backend", "default", "runs", "variants") + "description\n";
  for (const auto& b : Backends()) {
    // Each reason once, with the variants it holds back, in the order of the variants.
    std::vector<std::pair<std::string, std::vector<std::string>>> not_here;
    std::size_t here = 0;
    const std::vector<std::string> variants = VariantsOf(b);
    for (const auto& v : variants) {
      const std::string why = b.unavailable_reason(v);
      if (why.empty()) {
        ++here;
        continue;
      }
      const auto same = std::find_if(not_here.begin(), not_here.end(),
                                     [&](const auto& reason) { return reason.first == why; });
      if (same == not_here.end())
        not_here.push_back({why, {v}});
      else
        same->second.push_back(v);
    }
    const std::string runs = here == variants.size() ? "here" : here == 0 ? "no" : "some";
    text += line(b.name, b.in_default_run ? "yes" : "-", runs, VariantsText(b)) +
            Shortened(OwnDescription(b), description_width) + "\n";
    for (const auto& [why, held_back] : not_here)
      text += b.variants.empty()
                  ? fmt::format("    not here: {}\n", why)
                  : fmt::format("    not here: {}: {}\n", fmt::join(held_back, " "), why);
  }
  return text;
}

std::string DeviceLines() {
  std::string text;
  for (const auto& b : Backends()) {
    if (!b.list_devices || b.operation != Operation::kSquare) continue;
    text += fmt::format("\n{} devices:\n", b.name);
    for (const auto& line : b.list_devices()) text += "  " + line + "\n";
  }
  return text;
}

std::string KnobLines() {
  std::string text = "\nKnobs (list-valued: each value its own cell):\n";
  for (const KnobInfo* k : AllKnobs()) {
    const std::string values = k->values.empty() ? fmt::format("{}..{}", k->min_count, k->max_count)
                                                 : fmt::format("{}", fmt::join(k->values, "|"));
    text += fmt::format("  --{} {} (default {}): {}\n", k->name, values, k->default_value,
                        k->description);
  }
  return text;
}

}  // namespace

int ListBackends(bool details) {
  std::string text = details ? VariantLines() : BackendLines();
  text +=
      "\nName grammar: <executor>[+<chunk kernel>][@<variant>]; the serial executor and the "
      "scalar chunk kernel are implied (\"<kernel>\" = serial+<kernel>, \"<executor>\" = "
      "<executor>+scalar).\n";
  text += DeviceLines();
  text += KnobLines();
  WriteResult("", text);
  return kExitOk;
}

int ShowInfo() {
  std::vector<const BackendInfo*> all;
  for (const BackendInfo& b : Backends()) all.push_back(&b);
  const Fingerprint f = CollectFingerprint(all);
  std::size_t width = 0;
  for (const auto& [key, value] : f.fields) width = std::max(width, key.size());
  std::string text;
  for (const auto& [key, value] : f.fields) text += fmt::format("{:<{}}  {}\n", key, width, value);
  for (const auto& w : f.warnings) text += fmt::format("warning: {}\n", w);
  WriteResult("", text);
  return kExitOk;
}

}  // namespace sqb
