// Page buffers: fresh zeroed pages, huge-page alignment, and the share THP actually backs.
#include "squarebench/page_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace sqb {
namespace {

TEST(PageBuffer, FreshPagesAreZeroAndRoundedUp) {
  PageBuffer b(10);
  ASSERT_NE(b.data(), nullptr);
  EXPECT_GE(b.bytes(), 4096u);
  const char zeros[10] = {};
  EXPECT_EQ(std::memcmp(b.data(), zeros, sizeof zeros), 0);
  EXPECT_NE(PageBuffer(0).data(), nullptr) << "an empty array still has a valid address";
}

TEST(PageBuffer, HugePagesAreTwoMebibyteAligned) {
  PageBuffer b(5 << 20, /*huge_pages=*/true);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b.data()) % (2u << 20), 0u);
  EXPECT_EQ(b.bytes(), 6u << 20);
  std::memset(b.data(), 1, b.bytes());
  const double share = b.HugePageShare();  // how much THP gave depends on the system: a range
  EXPECT_TRUE(share == -1 || (share >= 0 && share <= 1)) << share;
}

TEST(PageBuffer, MovesOwnership) {
  PageBuffer a(1 << 20);
  void* p = a.data();
  PageBuffer b(std::move(a));
  EXPECT_EQ(b.data(), p);
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from state is defined
}

}  // namespace
}  // namespace sqb
