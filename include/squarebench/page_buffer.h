// Page-aligned host memory from the OS, untouched until first written (so first touch decides
// which NUMA node and which core's cache it lands near).
#pragma once

#include <cstddef>
#include <string>

namespace sqb {

class PageBuffer {
 public:
  PageBuffer() = default;
  // Throws CellError when the OS refuses. With huge_pages, the buffer is 2 MiB aligned and
  // advised MADV_HUGEPAGE (transparent huge pages; the kernel may still use small pages). With
  // shared, processes forked afterwards see the same memory at the same address (MAP_SHARED);
  // without, forked processes do not get the buffer at all (MADV_DONTFORK).
  explicit PageBuffer(std::size_t bytes, bool huge_pages = false, bool shared = false);
  ~PageBuffer();
  PageBuffer(PageBuffer&& other) noexcept;
  PageBuffer& operator=(PageBuffer&& other) noexcept;
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;

  void* data() const { return data_; }
  std::size_t bytes() const { return bytes_; }

  // The share of the buffer the kernel backs with huge pages now (from /proc/self/smaps), in
  // [0, 1]; negative when it cannot be read. Meaningful after the pages were touched.
  double HugePageShare() const;

  // The kernel's transparent huge page policy for shared memory ("never", "advise", ...; "" when
  // unknown): under "never" or "deny" a shared buffer gets no huge pages, whatever it asks.
  static std::string SharedHugePagePolicy();

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;  // as mapped (rounded up to whole pages, at least one)
  bool shared_ = false;
};

}  // namespace sqb
