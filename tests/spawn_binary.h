// Starting the real squarebench binary from a test, its stdout and stderr captured to files.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sqb::testing {

struct BinaryResult {
  int code = -1;  // the exit code, or 128 + the signal
  std::string out, err;
};

// What the child starts with besides its arguments.
struct SpawnOptions {
  std::vector<int> ignored_signals;      // arrive ignored, as in a background job or under nohup
  long file_size_limit = -1;             // RLIMIT_FSIZE in bytes (-1: unchanged)
  std::string stdout_path;               // "" = dir/stdout
  std::vector<std::string> environment;  // "NAME=value", ahead of (so overriding) the inherited
};

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Starts `binary args...` with stdout and stderr going to dir/stdout and dir/stderr.
inline pid_t StartBinary(const char* binary, const std::vector<std::string>& args,
                         const std::filesystem::path& dir, const SpawnOptions& options = {}) {
  std::vector<std::string> all = {binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string out =
      options.stdout_path.empty() ? (dir / "stdout").string() : options.stdout_path;
  const std::string err = (dir / "stderr").string();
  unlink(err.c_str());  // a previous run's lines must not be mistaken for this one's
  std::vector<std::string> env = options.environment;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  std::vector<char*> envp;
  for (auto& v : env) envp.push_back(v.data());
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls until exec
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(126);
    for (int s : options.ignored_signals) signal(s, SIG_IGN);
    if (options.file_size_limit >= 0) {
      const rlimit limit{static_cast<rlim_t>(options.file_size_limit),
                         static_cast<rlim_t>(options.file_size_limit)};
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    execve(binary, argv.data(), envp.data());
    _exit(127);
  }
  EXPECT_GT(pid, 0);
  return pid;
}

// Waits for a binary StartBinary started with the same dir, and reads what it wrote.
inline BinaryResult WaitBinary(pid_t pid, const std::filesystem::path& dir) {
  int status = 0;
  waitpid(pid, &status, 0);
  BinaryResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(dir / "stdout");
  r.err = Slurp(dir / "stderr");
  return r;
}

// Waits until the binary's stderr holds `needle` (true), or it has exited without (false). No
// deadline of its own (ctest's applies): a test that signals at a state waits for that state,
// however slow the machine.
inline bool WaitForStderr(pid_t pid, const std::filesystem::path& dir, const std::string& needle) {
  for (;;) {
    if (Slurp(dir / "stderr").find(needle) != std::string::npos) return true;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid)
      return Slurp(dir / "stderr").find(needle) != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace sqb::testing
