// Page-aligned host memory from the OS, untouched until first written (so first touch decides
// which NUMA node and which core's cache it lands near).
#pragma once

#include <cstddef>

namespace sqb {

class PageBuffer {
 public:
  PageBuffer() = default;
  explicit PageBuffer(std::size_t bytes);  // throws CellError when the OS refuses
  ~PageBuffer();
  PageBuffer(PageBuffer&& other) noexcept;
  PageBuffer& operator=(PageBuffer&& other) noexcept;
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;

  void* data() const { return data_; }
  std::size_t bytes() const { return bytes_; }

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;  // as mapped (rounded up to whole pages, at least one)
};

}  // namespace sqb
