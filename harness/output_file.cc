// The one output writer: every file the program writes, and standard output, go through it.
#include "harness/output_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/stop_signals.h"

namespace sqb {
namespace {

[[noreturn]] void Fail(const std::string& path, int error) {
  throw OutputError(fmt::format("cannot write '{}': {}", path, std::strerror(error)));
}

std::string FolderOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string NameOf(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// What a path names once every symlink in its last component is followed (a dangling link gives
// the path it points to, which does not exist yet).
struct Target {
  std::string path;
  bool exists = false;
  struct stat st {};
};

Target Resolve(const std::string& path) {
  if (path.empty()) throw OutputError("empty output path");
  Target t{path};
  for (int hops = 0;; ++hops) {
    if (lstat(t.path.c_str(), &t.st) != 0) {
      if (errno != ENOENT) Fail(path, errno);
      return t;
    }
    if (!S_ISLNK(t.st.st_mode)) break;
    if (hops == 40) Fail(path, ELOOP);
    char link[PATH_MAX];
    const ssize_t n = readlink(t.path.c_str(), link, sizeof link - 1);
    if (n < 0) Fail(path, errno);
    const std::string to(link, static_cast<std::size_t>(n));
    t.path = to.front() == '/' ? to : FolderOf(t.path) + "/" + to;
  }
  t.exists = true;
  if (S_ISDIR(t.st.st_mode)) Fail(path, EISDIR);
  if (S_ISSOCK(t.st.st_mode)) throw OutputError(fmt::format("cannot write '{}': a socket", path));
  return t;
}

// Writes all of `content` to fd; errno-style error number, or 0.
int WriteAll(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {  // a non-blocking pipe or terminal that is full
      pollfd p{fd, POLLOUT, 0};
      poll(&p, 1, -1);
    } else {
      return n < 0 ? errno : EIO;
    }
  }
  return 0;
}

// fsync, where the file can be synced at all (pipes, terminals and some devices cannot).
int Sync(int fd) {
  if (fsync(fd) == 0 || errno == EINVAL || errno == EROFS || errno == ENOTSUP) return 0;
  return errno;
}

mode_t NewFileMode() {
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

// A temporary file in `folder`, removed (also by a second stop signal) unless Keep() is called.
class Temporary {
 public:
  Temporary(const std::string& folder, const std::string& name, const std::string& for_path)
      : path_(folder + "/." + name + ".XXXXXX") {
    fd_ = mkostemp(path_.data(), O_CLOEXEC);
    if (fd_ < 0) Fail(for_path, errno);
    SetPendingTemporary(path_);
  }
  ~Temporary() {
    if (fd_ >= 0) close(fd_);
    if (!kept_) unlink(path_.c_str());
    SetPendingTemporary("");
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int Close() {
    const int result = close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }
  void Keep() { kept_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool kept_ = false;
};

// Renames `from` to `to` unless `to` exists; false when it does.
bool RenameNoReplace(const std::string& from, const std::string& to, const std::string& for_path) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) Fail(for_path, errno);
  // A file system without the flag: a hard link fails the same way on an existing name.
  if (link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return false;
    Fail(for_path, errno);
  }
  unlink(from.c_str());
  return true;
}

// The atomic path: false when `replace` is off and the target exists.
bool WriteRegular(const Target& t, const std::string& path, std::string_view content,
                  bool replace) {
  const std::string folder = FolderOf(t.path);
  Temporary temp(folder, NameOf(t.path), path);
  if (const int e = WriteAll(temp.fd(), content)) Fail(path, e);
  if (const int e = Sync(temp.fd())) Fail(path, e);
  if (t.exists) {
    if (fchmod(temp.fd(), t.st.st_mode & 07777) != 0) Fail(path, errno);
    [[maybe_unused]] const int ignored = fchown(temp.fd(), t.st.st_uid, t.st.st_gid);  // root only
  } else if (fchmod(temp.fd(), NewFileMode()) != 0) {
    Fail(path, errno);
  }
  if (const int e = temp.Close()) Fail(path, e);
  if (replace) {
    if (rename(temp.path().c_str(), t.path.c_str()) != 0) Fail(path, errno);
  } else if (!RenameNoReplace(temp.path(), t.path, path)) {
    return false;
  }
  temp.Keep();
  // The rename itself survives a crash only once the folder is synced.
  const int dir = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
  return true;
}

void WriteDirectly(const std::string& target, const std::string& path, std::string_view content) {
  const int fd = open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) Fail(path, errno);
  int e = WriteAll(fd, content);
  if (e == 0) e = Sync(fd);
  if (close(fd) != 0 && e == 0) e = errno;
  if (e != 0) Fail(path, e);
}

}  // namespace

void WriteOutput(const std::string& path, std::string_view content) {
  const Target t = Resolve(path);
  if (t.exists && !S_ISREG(t.st.st_mode))
    WriteDirectly(t.path, path, content);
  else
    WriteRegular(t, path, content, true);
}

std::string WriteNewOutput(const std::string& stem, const std::string& suffix,
                           std::string_view content) {
  for (int i = 1; i < 1000; ++i) {
    const std::string candidate = i == 1 ? stem : fmt::format("{}-{}", stem, i);
    const std::string path = candidate + suffix;
    Target t{path};
    if (lstat(path.c_str(), &t.st) == 0) continue;
    if (errno != ENOENT) Fail(path, errno);
    if (WriteRegular(t, path, content, false)) return candidate;
  }
  throw OutputError(fmt::format("cannot write '{}{}': 999 files of that name exist", stem, suffix));
}

void WriteStdout(std::string_view content) {
  if (const int e = WriteAll(STDOUT_FILENO, content))
    throw OutputError(fmt::format("cannot write to standard output: {}", std::strerror(e)));
}

std::string CheckWritable(const std::string& path) {
  try {
    const Target t = Resolve(path);
    if (t.exists && !S_ISREG(t.st.st_mode)) return "";  // a device or FIFO: opened when written
    Temporary probe(FolderOf(t.path), NameOf(t.path), path);
    return "";
  } catch (const OutputError& e) {
    return e.what();
  }
}

}  // namespace sqb
