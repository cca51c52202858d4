// The output writer in-process: what each kind of path gets, and names that never collide.
#include "harness/output_file.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace sqb {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sqb_output_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Names() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

TEST_F(OutputFileTest, ANewFileGetsTheUmaskModeAndNoTemporaryIsLeft) {
  const mode_t old = umask(027);
  WriteOutput((dir_ / "a.txt").string(), "hello");
  umask(old);
  struct stat st {};
  ASSERT_EQ(stat((dir_ / "a.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(Slurp(dir_ / "a.txt"), "hello");
  EXPECT_EQ(Names(), std::vector<std::string>{"a.txt"});
}

TEST_F(OutputFileTest, AChainOfRelativeSymlinksIsFollowedToItsEnd) {
  fs::create_directories(dir_ / "sub");
  fs::create_symlink("sub/b", dir_ / "a");
  fs::create_symlink("c", dir_ / "sub" / "b");  // relative to sub/
  WriteOutput((dir_ / "a").string(), "through two links");
  EXPECT_TRUE(fs::is_symlink(dir_ / "a"));
  EXPECT_TRUE(fs::is_symlink(dir_ / "sub" / "b"));
  EXPECT_EQ(Slurp(dir_ / "sub" / "c"), "through two links");
}

TEST_F(OutputFileTest, RefusesADirectoryASocketAndASymlinkLoopInOneLine) {
  fs::create_directories(dir_ / "folder");
  fs::create_symlink("loop2", dir_ / "loop1");
  fs::create_symlink("loop1", dir_ / "loop2");
  const int s = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socket_path = (dir_ / "socket").string();
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
  ASSERT_EQ(bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  for (const auto& [name, reason] :
       std::vector<std::pair<std::string, std::string>>{{"folder", "Is a directory"},
                                                        {"socket", "a socket"},
                                                        {"loop1", "Too many levels"},
                                                        {"nofolder/x", "No such file"}}) {
    const std::string path = (dir_ / name).string();
    EXPECT_NE(CheckWritable(path).find(reason), std::string::npos) << name;
    try {
      WriteOutput(path, "x");
      ADD_FAILURE() << name << " was written";
    } catch (const OutputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("'" + path + "'"), std::string::npos) << what;
      EXPECT_NE(what.find(reason), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
  close(s);
  EXPECT_TRUE(fs::is_socket(dir_ / "socket"));
  EXPECT_TRUE(fs::is_directory(dir_ / "folder"));
}

TEST_F(OutputFileTest, ANewFileNeverReplacesOneThatExists) {
  std::ofstream(dir_ / "r.json") << "first";
  fs::create_symlink("nowhere", dir_ / "r-2.json");  // even a dangling link is a taken name
  EXPECT_EQ(WriteNewOutput((dir_ / "r").string(), ".json", "third"), (dir_ / "r-3").string());
  EXPECT_EQ(Slurp(dir_ / "r.json"), "first");
  EXPECT_EQ(Slurp(dir_ / "r-3.json"), "third");
  EXPECT_FALSE(fs::exists(dir_ / "nowhere"));
}

// Runs that start in the same second race for one name: each gets its own file.
TEST_F(OutputFileTest, WritersRacingForOneNameEachGetTheirOwnFile) {
  constexpr int kWriters = 4, kEach = 10;
  std::vector<std::thread> writers;
  std::vector<std::vector<std::string>> stems(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i)
        stems[w].push_back(
            WriteNewOutput((dir_ / "same").string(), ".json", std::to_string(w * kEach + i)));
    });
  }
  for (auto& t : writers) t.join();
  std::set<std::string> contents, distinct;
  for (int w = 0; w < kWriters; ++w) {
    for (const std::string& stem : stems[w]) {
      distinct.insert(stem);
      contents.insert(Slurp(stem + ".json"));
    }
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kWriters * kEach));
  EXPECT_EQ(contents.size(), static_cast<std::size_t>(kWriters * kEach));
  EXPECT_EQ(Names().size(), static_cast<std::size_t>(kWriters * kEach));
}

}  // namespace
}  // namespace sqb
