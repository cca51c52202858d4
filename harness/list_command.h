// `squarebench list` and `squarebench info`: what this binary can run, and the machine it is on.
#pragma once

namespace sqb {

// Each returns the process exit code (cli.h); throws OutputError when standard output fails.
// `details`: one line per backend and variant, else one per backend with its variants inline.
int ListBackends(bool details);
int ShowInfo();

}  // namespace sqb
