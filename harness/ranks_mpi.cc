// Ranks over MPI: MPI_Init when a launcher started this process, collectives on MPI_COMM_WORLD.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "harness/ranks.h"

namespace sqb {
namespace {

class MpiRanks final : public Ranks {
 public:
  MpiRanks() {
    int provided = 0;
    // Only the main thread calls MPI; backends' threads never do.
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      throw std::runtime_error("MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local_);
    MPI_Comm_rank(local_, &local_rank_);
    MPI_Comm_size(local_, &local_size_);
    MPI_Allreduce(&local_size_, &max_local_size_, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  }
  ~MpiRanks() override {
    MPI_Comm_free(&local_);
    MPI_Finalize();
  }

  int Rank() const override { return rank_; }
  int Size() const override { return size_; }
  int LocalRank() const override { return local_rank_; }
  int LocalSize() const override { return local_size_; }
  int MaxLocalSize() const override { return max_local_size_; }

  std::string Library() const override {
    char version[MPI_MAX_LIBRARY_VERSION_STRING] = {};
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string line(version, static_cast<std::size_t>(std::max(0, length)));
    line = line.substr(0, line.find_first_of("\n,"));
    return line;
  }

  void Barrier() override { MPI_Barrier(MPI_COMM_WORLD); }

  void SleepingBarrier() override {
    MPI_Request request;
    MPI_Ibarrier(MPI_COMM_WORLD, &request);
    Sleep(request);
  }

  void Max(std::vector<double>& values) override { Reduce(values, MPI_MAX); }
  void Sum(std::vector<double>& values) override { Reduce(values, MPI_SUM); }

  // Sleeps while it waits: the other ranks wait here while rank 0 probes its caches and plans.
  std::string Broadcast(const std::string& text, int root) override {
    unsigned long long n = text.size();
    MPI_Request request;
    MPI_Ibcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, MPI_COMM_WORLD, &request);
    Sleep(request);
    std::string out = rank_ == root ? text : std::string(n, '\0');
    for (unsigned long long at = 0; at < n;) {  // in pieces an int can count
      const int piece = static_cast<int>(std::min<unsigned long long>(n - at, 1 << 30));
      MPI_Bcast(out.data() + at, piece, MPI_CHAR, root, MPI_COMM_WORLD);
      at += static_cast<unsigned long long>(piece);
    }
    return out;
  }

  std::vector<std::string> Gather(const std::string& text) override {
    const int n = static_cast<int>(std::min<std::size_t>(text.size(), 1 << 30));
    std::vector<int> sizes(rank_ == 0 ? size_ : 0), offsets;
    MPI_Request request;
    MPI_Igather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD, &request);
    Sleep(request);
    std::string all;
    if (rank_ == 0) {
      long long total = 0;
      for (int s : sizes) {
        offsets.push_back(static_cast<int>(total));
        total += s;
      }
      if (total > (1LL << 31) - 1) Abort(1);  // rank rows are small: never reached
      all.resize(static_cast<std::size_t>(total));
    }
    MPI_Igatherv(text.data(), n, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, 0,
                 MPI_COMM_WORLD, &request);
    Sleep(request);
    std::vector<std::string> texts;
    for (int r = 0; rank_ == 0 && r < size_; ++r)
      texts.push_back(
          all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(sizes[r])));
    return texts;
  }

  [[noreturn]] void Abort(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
  }

 private:
  // Waits for `request` without spinning: polls often at first (the wait may be short), then every
  // 200 us, a lag that is never inside a timed batch.
  static void Sleep(MPI_Request& request) {
    auto pause = std::chrono::microseconds(5);
    for (int done = 0;;) {
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      if (done) return;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(200));
    }
  }

  void Reduce(std::vector<double>& values, MPI_Op op) {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, op,
                  MPI_COMM_WORLD);
  }

  int rank_ = 0, size_ = 1, local_rank_ = 0, local_size_ = 1, max_local_size_ = 1;
  MPI_Comm local_ = MPI_COMM_NULL;
};

}  // namespace

bool BuiltWithMpi() { return true; }

std::unique_ptr<Ranks> JoinRanks() {
  if (!LaunchFromEnvironment().launched()) return std::make_unique<Ranks>();
  return std::make_unique<MpiRanks>();
}

}  // namespace sqb
