#include "sim/cli/workers.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>  // wall time for limits and progress; sim/cli is exempt (design §2)
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>

#include "sim/core/assert.h"
#include "sim/core/strings.h"

namespace faultline::cli {
namespace {

constexpr size_t kErrTail = 8192;

void WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent went away; nothing to report to
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void RunChild(int out_fd, int err_fd, const std::function<std::string()>& work) {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGPIPE, SIG_DFL);
  dup2(err_fd, STDERR_FILENO);
  if (int null = open("/dev/null", O_WRONLY); null >= 0) dup2(null, STDOUT_FILENO);
  try {
    WriteAll(out_fd, work());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    std::fflush(stderr);
    _exit(70);
  }
  _exit(0);
}

}  // namespace

std::string WorkerOutcome::Describe() const {
  switch (kind) {
    case kDone: return exit_code == 0 ? std::string("finished") : Cat("exited with ", exit_code);
    case kCrashed: return Cat("killed by signal ", signal, " (", strsignal(signal), ")");
    case kTimedOut: return "ran past the per-seed time limit and was killed";
    case kKilled: return "killed by the sweep";
  }
  return "?";
}

double NowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int DefaultJobs() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

WorkerPool::WorkerPool(int jobs, double limit_ms) : jobs_(std::max(1, jobs)), limit_ms_(limit_ms) {}

WorkerPool::~WorkerPool() { KillAll(); }

void WorkerPool::Start(uint64_t tag, const std::function<std::string()>& work) {
  SIM_ASSERT(!full());
  int out[2], err[2];
  SIM_ASSERT_MSG(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0, "cannot make a pipe for a worker");
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  SIM_ASSERT_MSG(pid >= 0, "cannot fork a worker");
  if (pid == 0) {
    close(out[0]);
    close(err[0]);
    for (const Child& c : running_) {  // the siblings' pipes are not this child's business
      if (c.out_fd >= 0) close(c.out_fd);
      if (c.err_fd >= 0) close(c.err_fd);
    }
    RunChild(out[1], err[1], work);
  }
  close(out[1]);
  close(err[1]);
  running_.push_back(Child{tag, pid, out[0], err[0], {}, {}, NowMs()});
}

void WorkerPool::Finish(size_t index, WorkerOutcome::Kind kind, WorkerOutcome* out) {
  Child& c = running_[index];
  if (kind == WorkerOutcome::kTimedOut || kind == WorkerOutcome::kKilled) kill(c.pid, SIGKILL);
  int status = 0;
  while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (c.out_fd >= 0) close(c.out_fd);
  if (c.err_fd >= 0) close(c.err_fd);
  if (out != nullptr) {
    out->tag = c.tag;
    out->kind = kind;
    out->exit_code = 0;
    out->signal = 0;
    if (kind == WorkerOutcome::kDone && WIFSIGNALED(status)) {
      out->kind = WorkerOutcome::kCrashed;
      out->signal = WTERMSIG(status);
    } else if (kind == WorkerOutcome::kDone) {
      out->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 70;
    }
    out->out = std::move(c.out);
    out->err = std::move(c.err);
    out->wall_ms = NowMs() - c.started_ms;
  }
  running_.erase(running_.begin() + static_cast<ptrdiff_t>(index));
}

bool WorkerPool::Next(WorkerOutcome* out, const std::function<bool()>& interrupted, int poll_ms) {
  SIM_ASSERT(!idle());
  for (;;) {
    if (interrupted()) return false;
    // A child whose pipes both closed has exited (or is about to).
    for (size_t i = 0; i < running_.size(); ++i) {
      if (running_[i].out_fd < 0 && running_[i].err_fd < 0) {
        Finish(i, WorkerOutcome::kDone, out);
        return true;
      }
    }
    const double now = NowMs();
    int timeout = poll_ms;
    for (size_t i = 0; i < running_.size(); ++i) {
      if (limit_ms_ <= 0) continue;
      const double left = running_[i].started_ms + limit_ms_ - now;
      if (left <= 0) {
        Finish(i, WorkerOutcome::kTimedOut, out);
        return true;
      }
      timeout = std::min(timeout, static_cast<int>(left) + 1);
    }
    std::vector<pollfd> fds;
    std::vector<std::pair<size_t, bool>> owner;  // child, is_err
    for (size_t i = 0; i < running_.size(); ++i) {
      if (running_[i].out_fd >= 0) {
        fds.push_back(pollfd{running_[i].out_fd, POLLIN, 0});
        owner.emplace_back(i, false);
      }
      if (running_[i].err_fd >= 0) {
        fds.push_back(pollfd{running_[i].err_fd, POLLIN, 0});
        owner.emplace_back(i, true);
      }
    }
    const int ready = poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) SIM_ASSERT_MSG(false, "poll on worker pipes failed");
    for (size_t f = 0; ready > 0 && f < fds.size(); ++f) {
      if (fds[f].revents == 0) continue;
      Child& c = running_[owner[f].first];
      int& fd = owner[f].second ? c.err_fd : c.out_fd;
      std::string& sink = owner[f].second ? c.err : c.out;
      char buf[65536];
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fd);
        fd = -1;
        continue;
      }
      sink.append(buf, static_cast<size_t>(n));
      if (owner[f].second && sink.size() > 2 * kErrTail) sink.erase(0, sink.size() - kErrTail);
    }
  }
}

void WorkerPool::KillAll() {
  while (!running_.empty()) Finish(running_.size() - 1, WorkerOutcome::kKilled, nullptr);
}

}  // namespace faultline::cli
