// The table's colour switch through the real binary: --color always|never|auto, auto being on
// a terminal (a pseudo-terminal here) unless NO_COLOR is set and off elsewhere, and a bad value
// one line with exit 2.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>

#include <string>
#include <vector>

#include "tests/cli_fixture.h"

namespace sqb::testing {
namespace {

class ColorTest : public CliTest {
 protected:
  BinaryResult RunWith(const std::vector<std::string>& extra,
                       const std::vector<std::string>& environment = {}) {
    std::vector<std::string> args = {"run",       "--backends", "serial", "--sizes",      "4096",
                                     "--no-save", "--max-time", "0.01",   "--no-ceilings"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args, {.environment = environment});
  }

  // As RunWith, with stdin, stdout and stderr on a 120x50 pseudo-terminal, as from a shell.
  BinaryResult RunOnTerminal(const std::vector<std::string>& environment) {
    std::vector<std::string> all = {SQB_BINARY, "run",          "--backends", "serial",
                                    "--sizes",  "4096",         "--no-save",  "--max-time",
                                    "0.01",     "--no-ceilings"};
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = environment;
    for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& v : env) envp.push_back(v.data());
    envp.push_back(nullptr);
    winsize size{};
    size.ws_row = 50;
    size.ws_col = 120;
    int terminal = -1;
    const pid_t pid = forkpty(&terminal, nullptr, nullptr, &size);
    if (pid == 0) {  // only async-signal-safe calls until exec
      execve(SQB_BINARY, argv.data(), envp.data());
      _exit(127);
    }
    BinaryResult r;
    EXPECT_GT(pid, 0);
    if (pid < 0) return r;
    // Read until the terminal closes (EIO once the child is gone); two minutes at most.
    char buffer[4096];
    for (;;) {
      pollfd p{terminal, POLLIN, 0};
      if (poll(&p, 1, 120'000) <= 0) {
        ADD_FAILURE() << "no end of output in 2 minutes";
        kill(pid, SIGKILL);
        break;
      }
      const ssize_t got = read(terminal, buffer, sizeof buffer);
      if (got <= 0) break;
      r.out.append(buffer, static_cast<std::size_t>(got));
    }
    close(terminal);
    int status = 0;
    waitpid(pid, &status, 0);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
  }
};

TEST_F(ColorTest, AutoColoursATerminalUnlessNoColorIsSet) {
  // no-color.org: set and not empty disables; empty counts as unset.
  const BinaryResult coloured = RunOnTerminal({"NO_COLOR="});
  EXPECT_EQ(coloured.code, 0) << coloured.out;
  EXPECT_NE(coloured.out.find("\x1b[1m"), std::string::npos) << "the fastest in bold:\n"
                                                             << coloured.out;
  const BinaryResult plain = RunOnTerminal({"NO_COLOR=1"});
  EXPECT_EQ(plain.code, 0) << plain.out;
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("serial"), std::string::npos) << plain.out;
}

TEST_F(ColorTest, AlwaysColoursNeverAndAutoOffATerminalDoNot) {
  const BinaryResult always = RunWith({"--color", "always"}, {"NO_COLOR=1"});
  EXPECT_EQ(always.code, 0) << always.err;
  EXPECT_NE(always.out.find("\x1b["), std::string::npos) << "always wins over NO_COLOR";
  for (const auto& extra : std::vector<std::vector<std::string>>{{"--color", "never"}, {}}) {
    const BinaryResult plain = RunWith(extra);
    EXPECT_EQ(plain.code, 0) << plain.err;
    EXPECT_EQ(plain.out.find('\x1b'), std::string::npos) << "stdout is a file here";
    EXPECT_NE(plain.out.find("serial"), std::string::npos) << plain.out;
  }
}

TEST_F(ColorTest, ABadValueIsOneLineAndExitTwo) {
  const BinaryResult r = RunWith({"--color", "sometimes"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "squarebench: error: --color 'sometimes': must be auto, always or never\n");
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace sqb::testing
