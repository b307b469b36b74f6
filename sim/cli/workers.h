// Worker processes for sweep, compare and shrink (design §11: "--jobs runs
// seeds in parallel processes"). Each job runs in a child made by fork(),
// so a seed that crashes, trips an assertion or runs away takes only its
// own process down, and the parent reports it and goes on (ADR 0011).
//
// Contract: the parent is single-threaded (a run is one thread, design §2),
// which makes fork() safe. The child runs `work`, writes what it returns
// to a pipe and leaves with _exit(0), so no parent stdio buffer or atexit
// handler runs twice; its stdout goes to /dev/null and its stderr to a
// second pipe whose tail the parent keeps. An exception from `work` is
// reported on stderr and exits 70.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace faultline::cli {

struct WorkerOutcome {
  enum Kind { kDone, kCrashed, kTimedOut, kKilled };
  uint64_t tag = 0;
  Kind kind = kDone;
  int exit_code = 0;       // kDone: the child's exit status
  int signal = 0;          // kCrashed by a signal
  std::string out;         // what `work` returned (complete only for kDone with exit 0)
  std::string err;         // the last 8 KiB the child wrote on stderr
  double wall_ms = 0;
  // One line for a report: "killed by signal 6 (Aborted)", "exit 70", "ran past the 60s limit".
  std::string Describe() const;
};

class WorkerPool {
 public:
  // At most `jobs` children at once; each is killed after `limit_ms` of
  // wall time (0: no limit).
  WorkerPool(int jobs, double limit_ms);
  ~WorkerPool();  // kills what still runs
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool full() const { return static_cast<int>(running_.size()) >= jobs_; }
  bool idle() const { return running_.empty(); }
  size_t running() const { return running_.size(); }

  // Starts `work` in a new child tagged `tag`. Requires !full().
  void Start(uint64_t tag, const std::function<std::string()>& work);
  // Blocks until a child finishes, times out, or `interrupted()` turns
  // true (checked at least every `poll_ms`); returns false in the last case.
  bool Next(WorkerOutcome* out, const std::function<bool()>& interrupted, int poll_ms = 200);
  // Kills every child (SIGKILL) and reaps it; their outcomes are dropped.
  void KillAll();

 private:
  struct Child {
    uint64_t tag = 0;
    pid_t pid = -1;
    int out_fd = -1, err_fd = -1;
    std::string out, err;
    double started_ms = 0;
  };
  void Finish(size_t index, WorkerOutcome::Kind kind, WorkerOutcome* out);

  int jobs_;
  double limit_ms_;
  std::vector<Child> running_;
};

// Wall time in milliseconds from a fixed point, for progress and limits.
double NowMs();

// The number of cores this process may use (the default for --jobs).
int DefaultJobs();

}  // namespace faultline::cli
