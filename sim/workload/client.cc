#include "sim/workload/client.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/core/strings.h"
#include "sim/workload/token.h"

namespace faultline {

Client::Client(Env& env, HistoryRecorder& history, int64_t process, int64_t stride, RetryPolicy policy)
    : env_(env), history_(history), process_(process), stride_(stride), policy_(policy) {
  SIM_ASSERT(stride > 0 && process >= 0);
}

Attempt::Kind ClassifyRpcError(const Status& s) {
  switch (s.code()) {
    case Error::kUnreachable: return Attempt::kNotHere;  // the request was never served
    default: return Attempt::kUnknown;  // timed out, or the server failed midway: it may have applied it
  }
}

Result<Client::Done> Client::Run(std::string f, std::optional<std::string> key, Value input,
                                 const AttemptFn& attempt) {
  // The token names this operation: its session is the process, and the
  // operation counts up within it (token.h). Unique over the run: a new
  // process after an info keeps them apart.
  SIM_ASSERT_MSG(process_ <= int64_t{UINT32_MAX} && sequence_ + 1 < kTokenOps,
                 Cat("process ", process_, " cannot name its operation ", sequence_ + 1, " in a token"));
  const uint64_t token = MakeToken(static_cast<uint32_t>(process_), static_cast<uint32_t>(++sequence_));
  history_.Invoke(process_, f, key, input, env_.now().nanos());
  const Time deadline = SaturatingAdd(env_.now(), policy_.deadline);
  bool maybe_applied = false;
  std::string served_by, version;
  Duration backoff = policy_.backoff_first;
  Done done{OpType::kInfo, Value()};
  for (int n = 0;; ++n) {
    Attempt a = attempt(n, token, deadline - env_.now());
    if (a.kind == Attempt::kOk) {
      done = Done{OpType::kOk, std::move(a.value)};
      served_by = std::move(a.served_by);
      version = std::move(a.version);
      break;
    }
    maybe_applied = maybe_applied || a.kind == Attempt::kUnknown;
    // A rejection is certain for this attempt only: if an earlier attempt
    // may have applied the operation, its outcome is unknown. (A service
    // that answers retries from the token never rejects one it applied.)
    const Duration remaining = deadline - env_.now();
    if (a.kind == Attempt::kRejected || remaining < policy_.min_attempt) {
      done.type = maybe_applied ? OpType::kInfo : OpType::kFail;
      break;
    }
    // Exponential backoff with jitter (half to all of it), never past the deadline.
    const Duration wait = std::min(env_.rng().Range(backoff / 2, backoff), remaining - policy_.min_attempt);
    backoff = std::min(backoff * 2, policy_.backoff_max);
    if (Status s = env_.Sleep(wait); !s.ok()) return s;  // our node crashed: the op stays open
  }
  // An ok carries the result, or for a write (no result) the invocation's
  // value again; a fail's value is the invocation's (nothing happened).
  const bool result = done.type == OpType::kOk && !done.value.is_nil();
  history_.Complete(process_, done.type, result ? done.value : input, env_.now().nanos(),
                    std::move(served_by), std::move(version));
  if (done.type == OpType::kInfo) process_ += stride_;
  return done;
}

}  // namespace faultline
