// A sweep's progress on stderr: on a terminal, one line redrawn in place
// (seeds done, failures, seeds/s, ETA); otherwise plain lines, one every
// tenth of the seeds or every 30 s, whichever comes first, so CI logs stay
// short. Lines about single seeds (a failure) are printed above the bar.
#pragma once

#include <cstddef>
#include <string>

namespace faultline::cli {

class Progress {
 public:
  Progress(std::string label, size_t total, bool terminal);
  void Done(bool failed);                 // one seed finished
  void Note(const std::string& line);     // a line above the bar
  void Finish();                          // clears the bar; prints a final line when plain

 private:
  void Draw(bool force);
  std::string Line() const;

  std::string label_;
  size_t total_, done_ = 0, failed_ = 0;
  bool terminal_;
  double start_ms_, last_draw_ms_ = 0;
  size_t last_printed_ = 0;
};

// True when stderr is a terminal (and TERM is not "dumb").
bool StderrIsTerminal();

}  // namespace faultline::cli
