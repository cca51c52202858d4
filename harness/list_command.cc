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

// One line per backend and variant: whether it is in the default run, whether it runs here.
std::string BackendLines() {
  std::size_t width = 7;
  for (const auto& b : Backends()) width = std::max(width, b.name.size());
  std::string text = fmt::format("{:<{}}  {:<8}  {:<7}  {:<8}  {}\n", "backend", width, "variants",
                                 "default", "runs", "description / why not");
  for (const auto& b : Backends()) {
    const std::string default_variant = DefaultVariant(b);
    const std::vector<std::string> variants =
        b.variants.empty() ? std::vector<std::string>{""} : b.variants.get();
    for (const auto& v : variants) {
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

int ListBackends() {
  std::string text = BackendLines();
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
