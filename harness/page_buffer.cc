// Page-aligned host memory straight from mmap, so every cell gets fresh, untouched pages.
#include "harness/page_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "harness/backend.h"

namespace sqb {

PageBuffer::PageBuffer(std::size_t bytes) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  bytes_ = bytes == 0 ? page : (bytes + page - 1) / page * page;
  void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    const int err = errno;
    bytes_ = 0;
    throw CellError("cannot map " + std::to_string(bytes) + " bytes: " + std::strerror(err));
  }
  data_ = p;
}

PageBuffer::~PageBuffer() {
  if (data_) munmap(data_, bytes_);
}

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept {
  if (this != &other) {
    if (data_) munmap(data_, bytes_);
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

}  // namespace sqb
