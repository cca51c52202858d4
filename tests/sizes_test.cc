// Size parsing and formatting, and choosing sizes and levels from given cache sizes.
#include "harness/sizes.h"

#include <gtest/gtest.h>

namespace sqb {
namespace {

std::optional<std::uint64_t> Parse(const char* s) {
  std::string error;
  auto n = ParseCount(s, &error);
  if (!n) {
    EXPECT_FALSE(error.empty()) << s;
  }
  return n;
}

TEST(ParseCount, AcceptsPlainAndSuffixedCounts) {
  EXPECT_EQ(Parse("4096"), 4096u);
  EXPECT_EQ(Parse("4Ki"), 4096u);
  EXPECT_EQ(Parse("1Mi"), 1u << 20);
  EXPECT_EQ(Parse("2Gi"), 2ull << 30);
  EXPECT_EQ(Parse("4K"), 4000u);
  EXPECT_EQ(Parse("1M"), 1000000u);
  EXPECT_EQ(Parse("3G"), 3000000000u);
  EXPECT_EQ(Parse("1000003"), 1000003u);
}

TEST(ParseCount, RejectsBadInputWithAReason) {
  for (const char* bad : {"", "0", "0Ki", "-5", "-1Mi", "abc", "4Xi", "4ki", "4 Ki", "1.5M", "4KiB",
                          "Ki", "99999999999999999999", "300000Gi"}) {
    std::string error;
    EXPECT_FALSE(ParseCount(bad, &error).has_value()) << bad;
    EXPECT_NE(error.find("invalid size"), std::string::npos) << bad << ": " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one line";
  }
}

TEST(ParseWholeNumber, TheWholeTextWithinTheLimits) {
  std::string error;
  const WholeNumberRule rule{.what = "offset", .max = 1 << 20};
  EXPECT_EQ(ParseWholeNumber("0", rule, &error), 0u);
  EXPECT_EQ(ParseWholeNumber("1048576", rule, &error), 1u << 20);
  EXPECT_EQ(ParseWholeNumber("007", rule, &error), 7u);
  EXPECT_EQ(ParseWholeNumber("4Ki", {.what = "count", .suffixes = true}, &error), 4096u);
  EXPECT_EQ(ParseWholeNumber("18446744073709551615", {.what = "n"}, &error), ~std::uint64_t{0});
}

TEST(ParseWholeNumber, OneLineNamingTheTextAndWhatIsWrong) {
  const auto error_of = [](std::string_view text, const WholeNumberRule& rule) {
    std::string error;
    EXPECT_FALSE(ParseWholeNumber(text, rule, &error).has_value()) << text;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    return error;
  };
  const WholeNumberRule offset{.what = "offset", .max = 1 << 20};
  EXPECT_EQ(error_of("", offset), "invalid offset '': empty");
  EXPECT_EQ(error_of("x", offset), "invalid offset 'x': not a number");
  EXPECT_EQ(error_of("+3", offset), "invalid offset '+3': not a number");
  EXPECT_EQ(error_of(" 3", offset), "invalid offset ' 3': not a number");
  EXPECT_EQ(error_of("1.5", offset), "invalid offset '1.5': not a number");
  EXPECT_EQ(error_of("1Ki", offset), "invalid offset '1Ki': not a number");  // no suffixes here
  EXPECT_EQ(error_of("-1", offset), "invalid offset '-1': must not be negative");
  EXPECT_EQ(error_of("1048577", offset), "invalid offset '1048577': must be at most 1048576");
  EXPECT_EQ(error_of("18446744073709551616", offset),
            "invalid offset '18446744073709551616': too large");
  const WholeNumberRule tasks{.what = "tasks", .min = 2, .max = 8, .suffixes = true};
  EXPECT_EQ(error_of("1", tasks), "invalid tasks '1': must be at least 2");
  EXPECT_EQ(error_of("-1", tasks), "invalid tasks '-1': must be positive");
  EXPECT_EQ(error_of("1Ki", tasks), "invalid tasks '1Ki': must be at most 8");
  EXPECT_EQ(error_of("2X", tasks),
            "invalid tasks '2X': unknown suffix 'X' (use Ki, Mi, Gi, K, M or G)");
  const WholeNumberRule worded{
      .what = "n", .min = 1, .max = 9, .below_min = "low", .above_max = "high"};
  EXPECT_EQ(error_of("0", worded), "invalid n '0': low");
  EXPECT_EQ(error_of("10", worded), "invalid n '10': high");
}

TEST(ParseWholeNumber, SuffixedLimitsDoNotOverflow) {
  std::string error;
  const WholeNumberRule rule{.what = "n", .min = 1500, .max = ~std::uint64_t{0}, .suffixes = true};
  EXPECT_FALSE(ParseWholeNumber("1K", rule, &error).has_value());  // 1000 < 1500
  EXPECT_EQ(ParseWholeNumber("2K", rule, &error), 2000u);
  EXPECT_FALSE(ParseWholeNumber("17179869184Gi", rule, &error).has_value());  // 2^64
  EXPECT_EQ(ParseWholeNumber("17179869183Gi", rule, &error), 17179869183ull << 30);
}

TEST(ParseCount, ReasonsAsBefore) {
  std::string error;
  ParseCount("0", &error);
  EXPECT_EQ(error, "invalid size '0': must be at least 1 element");
  ParseCount("300000Gi", &error);
  EXPECT_EQ(error, "invalid size '300000Gi': more than 262144Gi elements per array");
  ParseCount("-5", &error);
  EXPECT_EQ(error, "invalid size '-5': must be positive");
  ParseCount("abc", &error);
  EXPECT_EQ(error, "invalid size 'abc': not a number (expected e.g. 4096, 4Ki, 1Mi, 2G)");
}

TEST(FormatCount, ShortestExactSpelling) {
  EXPECT_EQ(FormatCount(3072), "3Ki");
  EXPECT_EQ(FormatCount(251658240), "240Mi");
  EXPECT_EQ(FormatCount(2ull << 30), "2Gi");
  EXPECT_EQ(FormatCount(1000003), "1000003");
  EXPECT_EQ(FormatCount(1000), "1000");
}

TEST(FormatBytes, BinaryUnits) {
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(48 << 10), "48 KiB");
  EXPECT_EQ(FormatBytes(3ull << 29), "1.50 GiB");
}

constexpr CacheSizes kThisMachine{48 << 10, 2 << 20, 480ull << 20};

TEST(ElementsForLevel, HalfOfEachCacheAndFourTimesTheLast) {
  EXPECT_EQ(ElementsForLevel("L1", kThisMachine, DType::kF32), 3072u);  // 24 KiB of x + y
  EXPECT_EQ(ElementsForLevel("L1", kThisMachine, DType::kF64), 1536u);
  EXPECT_EQ(ElementsForLevel("L2", kThisMachine, DType::kF32), 131072u);
  EXPECT_EQ(ElementsForLevel("L3", kThisMachine, DType::kF32), 31457280u);
  EXPECT_EQ(ElementsForLevel("DRAM", kThisMachine, DType::kF32), 251658240u);  // 1920 MiB
  EXPECT_EQ(ElementsForLevel("DRAM", kThisMachine, DType::kF64), 125829120u);
}

TEST(ElementsForLevel, DramIsAtLeastFourTimesTheLastLevelAfterRounding) {
  const CacheSizes odd{32 << 10, 1280 << 10, 35ull << 20};  // 35 MiB L3
  const auto n = ElementsForLevel("DRAM", odd, DType::kF32);
  ASSERT_TRUE(n);
  EXPECT_GE(*n * 8, 4 * odd.l3);
  EXPECT_EQ(*n % (1 << 20), 0u);
}

TEST(ElementsForLevel, MissingLevels) {
  const CacheSizes no_l3{32 << 10, 1 << 20, 0};
  EXPECT_FALSE(ElementsForLevel("L3", no_l3, DType::kF32).has_value());
  EXPECT_EQ(ElementsForLevel("DRAM", no_l3, DType::kF32), 1u << 20);  // 4 x L2 = 8 MiB of x + y
  EXPECT_FALSE(ElementsForLevel("L9", no_l3, DType::kF32).has_value());
}

TEST(ClassifyLevel, WorkingSetAgainstCaches) {
  EXPECT_EQ(ClassifyLevel(24 << 10, kThisMachine), "L1");
  EXPECT_EQ(ClassifyLevel(48 << 10, kThisMachine), "L1");
  EXPECT_EQ(ClassifyLevel(1 << 20, kThisMachine), "L2");
  EXPECT_EQ(ClassifyLevel(240ull << 20, kThisMachine), "L3");
  EXPECT_EQ(ClassifyLevel(1ull << 30, kThisMachine), "L3+");
  EXPECT_EQ(ClassifyLevel(1920ull << 20, kThisMachine), "DRAM");
  EXPECT_EQ(ClassifyLevel(1 << 20, CacheSizes{}), "DRAM");
}

TEST(LogSpacedCounts, EvenInLogSizeAndEndingAtTo) {
  EXPECT_EQ(LogSpacedCounts(256, 4096, 1),
            (std::vector<std::uint64_t>{256, 512, 1024, 2048, 4096}));
  EXPECT_EQ(LogSpacedCounts(256, 1024, 2), (std::vector<std::uint64_t>{256, 362, 512, 724, 1024}));
  EXPECT_EQ(LogSpacedCounts(256, 1000, 1), (std::vector<std::uint64_t>{256, 512, 1000}));
  EXPECT_EQ(LogSpacedCounts(100, 100, 4), (std::vector<std::uint64_t>{100}));
  // Small counts round onto each other: no repeats.
  EXPECT_EQ(LogSpacedCounts(1, 4, 8), (std::vector<std::uint64_t>{1, 2, 3, 4}));
}

}  // namespace
}  // namespace sqb
