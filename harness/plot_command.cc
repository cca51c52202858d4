// Drawing a saved report with tools/plot.py (Python and matplotlib), when they are there.
#include "harness/plot_command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "harness/build_info.h"

namespace sqb {
namespace {

constexpr char kInstallHint[] =
    "plots need Python 3 with matplotlib: apt-get install python3-matplotlib (or pip install "
    "matplotlib)";

// Runs argv without a shell; returns its exit status (-1 when it could not start) and its stdout.
// Its stderr goes to ours, or nowhere when `quiet`.
int RunCapturing(const std::vector<std::string>& args, std::string* out, bool quiet = false) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    if (quiet) {
      const int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDERR_FILENO);
    }
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  char buf[4096];
  for (ssize_t got; (got = read(fds[0], buf, sizeof buf)) > 0;) out->append(buf, got);
  close(fds[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

constexpr const char* kSourceScript = SQB_SOURCE_DIR "/tools/plot.py";

// Where `cmake --install` puts the script: <prefix>/share/squarebench/, next to <prefix>/bin/.
std::string InstalledScript() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "<prefix>/" SQB_INSTALL_DATADIR "/squarebench/plot.py";
  return (exe.parent_path().parent_path() / SQB_INSTALL_DATADIR / "squarebench" / "plot.py")
      .string();
}

// The installed script, else the source tree's; "" when neither is there.
std::string PlotScript() {
  for (const std::string& path : {InstalledScript(), std::string(kSourceScript)})
    if (std::filesystem::is_regular_file(path)) return path;
  return "";
}

}  // namespace

PlotResult PlotReport(const std::string& report_json) {
  PlotResult r;
  const std::string script = PlotScript();
  if (script.empty()) {
    r.error = fmt::format("no plot script: neither {} nor {}", InstalledScript(), kSourceScript);
    return r;
  }
  // The first python3 on PATH may be one without matplotlib (pyenv, a venv) while Debian's has it.
  std::string python;
  for (const char* candidate : {"python3", "/usr/bin/python3"}) {
    std::string ignored;
    if (RunCapturing({candidate, "-c", "import matplotlib"}, &ignored, true) == 0) {
      python = candidate;
      break;
    }
  }
  if (python.empty()) {
    r.error = kInstallHint;
    return r;
  }
  std::string out;
  const int code = RunCapturing({python, script, report_json}, &out);
  if (code != 0) {
    r.error = fmt::format("{} exited with {} (its message is above)", script, code);
    r.failed = true;
    return r;
  }
  for (std::size_t start = 0; start < out.size();) {
    const std::size_t end = out.find('\n', start);
    const std::string line = out.substr(start, end - start);
    if (!line.empty()) r.images.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return r;
}

}  // namespace sqb
