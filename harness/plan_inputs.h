// The planner's inputs checked against the registry: backends as named, the default ones, knobs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/record.h"
#include "squarebench/backend.h"

namespace sqb {

// A backend with the variant it runs ("" when it has none).
struct ResolvedBackend {
  const BackendInfo* info;
  std::string variant;
};

// Knob values by knob name, e.g. "stores" -> {"regular", "streaming"}.
using KnobValues = std::map<std::string, std::vector<std::string>>;

// <executor>[+<chunk kernel>][@<variant>], the default variant when none is named. Throws
// UsageError for an unknown backend or variant.
ResolvedBackend ResolveBackend(const std::string& text);

// Every default backend at its default variant; each that cannot run here is added to *skipped
// as a SKIPPED record with the reason.
std::vector<ResolvedBackend> DefaultBackends(std::vector<CellRecord>* skipped);

// The backends asked for by name; throws UsageError when one is unknown, cannot run here, or
// repeats one before it.
std::vector<ResolvedBackend> NamedBackends(const std::vector<std::string>& names);

// The knob values the user gave, checked against every backend's declaration of that knob
// (whether or not a backend run uses it) and written the way cell keys record them (a count in
// decimal); a value given twice, in any spelling (`--tasks 1024,1Ki`), is refused. Throws
// UsageError.
KnobValues CanonicalKnobs(const KnobValues& given);

// The names a user may type, for error messages: "memcpy, openmp, openmp+memcpy, serial, ...".
std::string ValidBackendNames();

// The variant a backend runs when none is named (its first); "" when it has none.
std::string DefaultVariant(const BackendInfo& b);

// Every knob the registered backends declare, each name once (its first declaration), in the
// order of Backends(): the command line's knob options, `list`'s knobs, the planner's checks.
std::vector<const KnobInfo*> AllKnobs();

}  // namespace sqb
