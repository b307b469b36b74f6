// The client side of a workload (design §6): runs one operation at a time
// against a service, with retries, backoff and a deadline, and records it
// in the history with the only honest outcome:
//  - ok: the system acknowledged it;
//  - fail: it certainly had no effect (every attempt certainly failed);
//  - info: anything else (an attempt timed out, or its reply was lost).
// Writes carry an idempotency token (token.h), the same on every attempt of
// one operation, so a service that remembers tokens applies a retried write
// at most once and can answer a retry with the first attempt's result.
//
// After an info the client continues as a new process (Jepsen's rule: an
// info process never invokes again), numbered process + stride.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sim/history/recorder.h"
#include "sim/node/env.h"

namespace faultline {

struct RetryPolicy {
  Duration deadline = Duration::Seconds(1);        // per operation, all attempts
  Duration backoff_first = Duration::Millis(10);   // doubled after each retry...
  Duration backoff_max = Duration::Millis(200);    // ...up to this, with jitter
  // No attempt starts with less time than this before the deadline: one
  // that cannot finish would only turn a certain failure into an unknown.
  Duration min_attempt = Duration::Millis(10);
};

// What one attempt learned.
struct Attempt {
  enum Kind : uint8_t {
    kOk,         // acknowledged; `value` is the result
    kRejected,   // certainly not applied, and retrying will not change that (a cas whose
                 // expected value did not match): the operation fails
    kNotHere,    // certainly not applied here (not the leader, unreachable): try again
    kUnknown,    // may have been applied (timeout, lost reply): try again, same token
  } kind = kUnknown;
  Value value;
  std::string why;        // for logs
  std::string served_by;  // the node that answered, if any: recorded with an ok
  std::string version;    // what the system reported for a write, if anything: recorded with an ok
};

class Client {
 public:
  // `process` is this client's first process number; after an info it
  // becomes process + stride (so clients 0..stride-1 never collide).
  Client(Env& env, HistoryRecorder& history, int64_t process, int64_t stride, RetryPolicy policy = {});

  // One attempt: `n` counts from 0; `token` is the operation's idempotency
  // token; `remaining` is the time left before the deadline.
  using AttemptFn = std::function<Attempt(int n, uint64_t token, Duration remaining)>;

  // Records the invocation, runs attempts until one is conclusive or the
  // deadline passes, records the completion; returns it (kOk, kFail or
  // kInfo) and the value. kCrashed if this client's own node goes down
  // (the operation stays open: info).
  struct Done {
    OpType type;
    Value value;
  };
  Result<Done> Run(std::string f, std::optional<std::string> key, Value input, const AttemptFn& attempt);

  int64_t process() const { return process_; }

 private:
  Env& env_;
  HistoryRecorder& history_;
  int64_t process_;
  int64_t stride_;
  RetryPolicy policy_;
  uint64_t sequence_ = 0;
};

// The usual classification of an RPC error for Attempt: kTimeout and
// kRemote/kIoError replies may have been applied (kUnknown); kUnreachable
// certainly was not (kNotHere).
Attempt::Kind ClassifyRpcError(const Status& s);

}  // namespace faultline
