// The trace hash: a running hash over every executed event (its time, kind,
// node and argument, plus words the handler adds such as a digest of the
// message bytes). Two runs are the same run iff their trace hashes match.
//
// Optionally the trace keeps a per-event log of (index, time, kind, node,
// hash after the event), so that a replay that diverges can name the first
// event where it did.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/hash.h"
#include "sim/engine/event.h"

namespace faultline {

struct TraceEntry {
  uint64_t index;
  Time at;
  EventKind kind;
  NodeId node;
  uint64_t hash;  // running hash after this event
};

class Trace {
 public:
  explicit Trace(uint64_t seed) : hash_(seed) {}

  void BeginEvent(Time at, const Event& e) {
    hash_.Add(static_cast<uint64_t>(at.nanos()));
    hash_.Add(static_cast<uint64_t>(e.kind) | (static_cast<uint64_t>(e.node.value) << 8));
    hash_.Add(e.a);
    current_at_ = at;
    current_ = e;
  }
  // Mixes an extra word into the current event (message digest, fault id...).
  void Add(uint64_t word) { hash_.Add(word); }
  void EndEvent() {
    if (events_ == perturb_) hash_.Add(0x5eed'bad'0000'0001);  // the test hook below
    if (log_enabled_) {
      log_.push_back(TraceEntry{events_, current_at_, current_.kind, current_.node, hash_.value()});
    }
    ++events_;
  }

  uint64_t hash() const { return hash_.value(); }
  uint64_t events() const { return events_; }
  void EnableLog(bool on) { log_enabled_ = on; }
  const std::vector<TraceEntry>& log() const { return log_; }
  // Test hook: event `index` hashes differently, as if something
  // nondeterministic had happened there (replay's divergence test).
  void PerturbAt(uint64_t index) { perturb_ = index; }

 private:
  uint64_t perturb_ = UINT64_MAX;
  RunningHash hash_;
  uint64_t events_ = 0;
  bool log_enabled_ = false;
  Time current_at_;
  Event current_;
  std::vector<TraceEntry> log_;
};

// Index of the first entry where two per-event logs differ (in time, kind,
// node or hash), or nullopt if one is a prefix of the other and equal as far
// as both go; a length difference is reported at the shorter length.
std::optional<size_t> FirstDivergence(const std::vector<TraceEntry>& a,
                                      const std::vector<TraceEntry>& b);

}  // namespace faultline
