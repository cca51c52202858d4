// `squarebench list` and `squarebench info`: what this binary can run, and the machine it is on.
#pragma once

namespace sqb {

// Each returns the process exit code (cli.h); throws OutputError when standard output fails.
int ListBackends();
int ShowInfo();

}  // namespace sqb
