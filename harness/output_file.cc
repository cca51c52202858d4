// Output files are written whole or not at all: to a temporary file beside the target, then
// renamed.
#include "harness/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace sqb {
namespace {

std::string Folder(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// Creates a unique temporary file in the target's folder; returns its fd and path.
int MakeTemporary(const std::string& path, std::string* temp) {
  *temp = Folder(path) + "/." + std::filesystem::path(path).filename().string() + ".XXXXXX";
  return mkstemp(temp->data());
}

std::string Reason(const std::string& path) {
  return "cannot write '" + path + "': " + std::strerror(errno);
}

}  // namespace

void WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string temp;
  const int fd = MakeTemporary(path, &temp);
  if (fd < 0) throw std::runtime_error(Reason(path));
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = Reason(path);
      close(fd);
      unlink(temp.c_str());
      throw std::runtime_error(why);
    }
    written += static_cast<std::size_t>(n);
  }
  fchmod(fd, 0644);
  if (close(fd) != 0 || rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = Reason(path);
    unlink(temp.c_str());
    throw std::runtime_error(why);
  }
}

std::string CheckWritable(const std::string& path) {
  if (path.empty()) return "empty output path";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return "cannot write '" + path + "': is a directory";
  std::string temp;
  const int fd = MakeTemporary(path, &temp);
  if (fd < 0) return Reason(path);
  close(fd);
  unlink(temp.c_str());
  return "";
}

}  // namespace sqb
