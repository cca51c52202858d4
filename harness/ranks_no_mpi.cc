// Ranks in a build without MPI: this process alone, and an error when a launcher started it.
#include <fmt/format.h>

#include <stdexcept>

#include "harness/ranks.h"

namespace sqb {

bool BuiltWithMpi() { return false; }

std::unique_ptr<Ranks> JoinRanks() {
  const Launch launch = LaunchFromEnvironment();
  if (launch.launched())
    throw std::runtime_error(fmt::format(
        "started as rank {} of {} by an MPI launcher, but this squarebench was built without "
        "MPI (install libopenmpi-dev and rebuild)",
        launch.rank, launch.size));
  return std::make_unique<Ranks>();
}

}  // namespace sqb
