#include "sim/cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sim/cli/workers.h"
#include "sim/core/strings.h"

namespace faultline::cli {
namespace {

std::string Eta(double seconds) {
  if (seconds < 0 || seconds > 360000) return "?";
  const long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return Cat(s / 3600, "h", (s % 3600) / 60, "m");
  if (s >= 60) return Cat(s / 60, "m", s % 60, "s");
  return Cat(s, "s");
}

}  // namespace

bool StderrIsTerminal() {
  // tidy:allow(environment) the terminal's kind decides how progress is drawn, never what a run does
  const char* term = getenv("TERM");
  return isatty(STDERR_FILENO) == 1 && (term == nullptr || std::strcmp(term, "dumb") != 0);
}

Progress::Progress(std::string label, size_t total, bool terminal)
    : label_(std::move(label)), total_(total), terminal_(terminal), start_ms_(NowMs()) {}

std::string Progress::Line() const {
  const double elapsed = (NowMs() - start_ms_) / 1000.0;
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : -1;
  char buf[200];
  std::snprintf(buf, sizeof buf, "%s%zu/%zu seeds, %zu failing, %.1f seeds/s, ETA %s", label_.c_str(), done_, total_,
                failed_, rate, done_ == total_ ? "0s" : Eta(eta).c_str());
  std::string line = buf;
  if (terminal_ && total_ > 0) {
    constexpr size_t kWidth = 24;
    const size_t filled = done_ * kWidth / total_;
    line = Cat("[", std::string(filled, '#'), std::string(kWidth - filled, '.'), "] ", line);
  }
  return line;
}

void Progress::Draw(bool force) {
  const double now = NowMs();
  if (terminal_) {
    if (!force && now - last_draw_ms_ < 100) return;  // at most ten redraws a second
    std::fprintf(stderr, "\r\033[K%s", Line().c_str());
    std::fflush(stderr);
    last_draw_ms_ = now;
    return;
  }
  const size_t step = total_ >= 10 ? total_ / 10 : 1;
  if (force || done_ >= last_printed_ + step || now - last_draw_ms_ >= 30000) {
    std::fprintf(stderr, "%s\n", Line().c_str());
    last_printed_ = done_;
    last_draw_ms_ = now;
  }
}

void Progress::Done(bool failed) {
  ++done_;
  failed_ += failed;
  Draw(false);
}

void Progress::Note(const std::string& line) {
  if (terminal_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "%s\n", line.c_str());
  if (terminal_) Draw(true);
}

void Progress::Finish() {
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K");
  } else if (last_printed_ != done_) {
    Draw(true);
  }
  std::fflush(stderr);
}

}  // namespace faultline::cli
