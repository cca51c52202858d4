// The machine and build fingerprint (`squarebench info`), embedded in every report.
#pragma once

#include <vector>

#include "harness/record.h"
#include "squarebench/backend.h"

namespace sqb {

// Gathers CPU, caches, memory, THP, compiler and flags, the harness's library versions, build type,
// git revision, hypervisor, governor, load average, timer resolution and overhead, plus the
// warnings they imply; then the lines each of `backends` contributes (Provenance::fingerprint),
// the first of each key kept. Takes ~50 ms (timer calibration). Never fails: what cannot be read
// is "unavailable".
Fingerprint CollectFingerprint(const std::vector<const BackendInfo*>& backends);

}  // namespace sqb
