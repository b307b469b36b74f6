// Session guarantees per client (design §7; Terry et al., 1994), each
// reported separately. A session is a client process: after an `info` the
// client continues as a new process, and a new session.
//
// Pure, over the paired history of a keyed register store (`read`,
// `write` with nil as delete, `cas [old new]`) whose written values are
// unique per key, so a read names the write it saw. "Older" is real time:
// write A is older than write B when A completed before B was invoked.
// A read of a value no write wrote is left to no-lost-writes (phantoms).
//  - read-your-writes: a read returns a value older than the session's own
//    last write to the key (or nil when no delete could explain it);
//  - monotonic reads: a read returns a value older than the session's
//    previous read of the key;
//  - monotonic writes: a session sees a process's write to a key and later
//    that process's earlier write to it;
//  - writes-follow-reads: a session sees a write W, made after its writer
//    read X, and later a value older than X.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/check/result.h"
#include "sim/history/history.h"

namespace faultline {

struct SessionViolation {
  enum Guarantee : uint8_t { kReadYourWrites, kMonotonicReads, kMonotonicWrites, kWritesFollowReads };
  Guarantee guarantee = kReadYourWrites;
  int64_t process = 0;       // the session that saw it
  std::string key;
  std::vector<size_t> ops;   // operation ids: the read, then what it should have followed
  std::string why;
};
std::string_view GuaranteeName(SessionViolation::Guarantee g);  // "read-your-writes", ...

struct SessionResult {
  Verdict verdict = Verdict::kOk;
  std::vector<SessionViolation> violations;
  size_t Count(SessionViolation::Guarantee g) const;
  std::string message;
};

SessionResult CheckSessions(const std::vector<Operation>& ops);

}  // namespace faultline
