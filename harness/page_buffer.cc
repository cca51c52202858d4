// Page-aligned host memory straight from mmap, so every cell gets fresh, untouched pages.
#include "squarebench/page_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

#include "squarebench/backend.h"

namespace sqb {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;

[[noreturn]] void ThrowMapError(std::size_t bytes) {
  throw CellError("cannot map " + std::to_string(bytes) + " bytes: " + std::strerror(errno));
}
}  // namespace

PageBuffer::PageBuffer(std::size_t bytes, bool huge_pages, bool shared) {
  const std::size_t page = huge_pages ? kHugePage : static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t size = bytes == 0 ? page : (bytes + page - 1) / page * page;
  // Over-map by one huge page to find a 2 MiB aligned start, then unmap the slack on both sides.
  const std::size_t mapped = huge_pages ? size + kHugePage : size;
  const int sharing = shared ? MAP_SHARED : MAP_PRIVATE;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, sharing | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) ThrowMapError(bytes);
  char* start = static_cast<char*>(p);
  if (huge_pages) {
    const auto address = reinterpret_cast<std::uintptr_t>(start);
    char* aligned = start + (kHugePage - address % kHugePage) % kHugePage;
    if (aligned > start) munmap(start, static_cast<std::size_t>(aligned - start));
    const std::size_t tail = mapped - static_cast<std::size_t>(aligned - start) - size;
    if (tail > 0) munmap(aligned + size, tail);
    start = aligned;
    madvise(start, size, MADV_HUGEPAGE);
  }
  // A private buffer is never a forked child's business: fork then neither copies its page table
  // nor makes its pages copy-on-write, which would charge the next writes here for the copies.
  if (!shared) madvise(start, size, MADV_DONTFORK);
  data_ = start;
  bytes_ = size;
  shared_ = shared;
}

std::string PageBuffer::SharedHugePagePolicy() {
  std::ifstream file("/sys/kernel/mm/transparent_hugepage/shmem_enabled");
  std::string word;
  while (file >> word)
    if (word.size() > 2 && word.front() == '[' && word.back() == ']')
      return word.substr(1, word.size() - 2);
  return "";
}

double PageBuffer::HugePageShare() const {
  std::ifstream smaps("/proc/self/smaps");
  const auto begin = reinterpret_cast<std::uintptr_t>(data_);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) == 2 &&
        line.find(':') > line.find(' ')) {
      inside = lo <= begin && begin < hi;  // a mapping header: "lo-hi perms offset ..."
      continue;
    }
    unsigned long long kib = 0;
    const char* field = shared_ ? "ShmemPmdMapped: %llu kB" : "AnonHugePages: %llu kB";
    if (inside && std::sscanf(line.c_str(), field, &kib) == 1)
      return std::min(1.0, static_cast<double>(kib) * 1024.0 / static_cast<double>(bytes_));
  }
  return -1;
}

PageBuffer::~PageBuffer() {
  if (data_) munmap(data_, bytes_);
}

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)),
      shared_(other.shared_) {}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept {
  if (this != &other) {
    if (data_) munmap(data_, bytes_);
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
    shared_ = other.shared_;
  }
  return *this;
}

}  // namespace sqb
