// The table's colour switch through the real binary: --color always|never|auto, auto being off
// when stdout is not a terminal, and a bad value one line with exit 2.
#include <gtest/gtest.h>

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
};

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
