// Every MPI rank's fingerprint, gathered to rank 0: the fields in which ranks differ are named.
#pragma once

#include <vector>

#include "harness/ranks.h"
#include "harness/record.h"

namespace sqb {

// Collective. Rank 0 passes its report, whose fingerprint it has collected: it gains the mpi.*
// fields and a warning for each field some rank differs in (a BIOS setting, a kernel, a library:
// what makes one node slower than its peers). Other ranks pass nullptr and collect their own.
void GatherFingerprints(Ranks& ranks, const std::vector<const BackendInfo*>& backends,
                        Report* report);

}  // namespace sqb
