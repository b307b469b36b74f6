// Idempotency by client session (ADR 0014): the answers a replica keeps so
// that a retried request is applied at most once, bounded by the number of
// sessions rather than the number of writes.
//
// A token (sim/workload/token.h) names a session, an operation of it and a
// sub-request. A session runs one operation at a time and never returns to
// an earlier one, so a request of operation n means every earlier
// operation of that session is over for its client. The table keeps each
// session's floor (the latest operation it was told of: Claim for a write
// applied, RaiseFloor for anything else a replica learns) and the answers
// of that operation's requests only. A request of an operation below the
// floor is stale: a late duplicate that nobody awaits, to be refused,
// never applied. Unique sessions are the clients' side of the contract
// (sim/workload/token.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/inlined_vector.h"
#include "sim/workload/token.h"

namespace faultline::kit {

template <typename Answer>
class SessionTable {
 public:
  enum class Seen : uint8_t { kNew, kStale, kAnswered };

  // What is known of `token`; `answer` is set when kAnswered.
  struct Found {
    Seen seen = Seen::kNew;
    const Answer* answer = nullptr;
  };
  Found Find(uint64_t token) const {
    auto s = sessions_.find(TokenSession(token));
    if (s == sessions_.end() || TokenOp(token) > s->second.op) return {};
    if (TokenOp(token) < s->second.op) return {Seen::kStale, nullptr};
    for (const auto& [t, a] : s->second.answers) {
      if (t == token) return {Seen::kAnswered, &a};
    }
    return {};
  }

  // Find, and for a token that is not stale the slot of its answer: the
  // answer given before (kAnswered), or a new default one to fill (kNew),
  // raising the session's floor to the token's operation. One search, for
  // the write path. `answer` is null when kStale, and valid until the
  // table next changes.
  struct Claimed {
    Seen seen = Seen::kNew;
    Answer* answer = nullptr;
  };
  Claimed Claim(uint64_t token) {
    Session* s = Raise(TokenSession(token), TokenOp(token));
    if (s == nullptr) return {Seen::kStale, nullptr};
    for (auto& [t, a] : s->answers) {
      if (t == token) return {Seen::kAnswered, &a};
    }
    return {Seen::kNew, &s->answers.emplace_back(token, Answer{}).second};
  }

  // Raises `session`'s floor to `op` (a floor never falls), forgetting the
  // answers of earlier operations. False if `op` is below the floor.
  bool RaiseFloor(uint32_t session, uint32_t op) { return Raise(session, op) != nullptr; }

  // Calls f(token, answer) for every answer kept, by session; `f` may
  // change the answer.
  template <typename F>
  void ForEach(F&& f) {
    for (auto& [id, s] : sessions_) {
      for (auto& [t, a] : s.answers) f(t, a);
    }
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& [id, s] : sessions_) {
      for (const auto& [t, a] : s.answers) f(t, a);
    }
  }
  // Forgets the answers `drop(token, answer)` picks; the floors stay: for
  // a replica whose state lost the writes those answers acknowledged.
  template <typename F>
  void EraseIf(F&& drop) {
    for (auto& [id, s] : sessions_) {
      auto& v = s.answers;
      v.erase(std::remove_if(v.begin(), v.end(), [&](auto& e) { return drop(e.first, e.second); }), v.end());
    }
  }
  // Forgets every answer; the floors stay, as they say what clients did.
  void ClearAnswers() {
    for (auto& [id, s] : sessions_) s.answers.clear();
  }
  void Clear() { sessions_.clear(); }

  size_t answers() const {
    size_t n = 0;
    for (const auto& [id, s] : sessions_) n += s.answers.size();
    return n;
  }
  // Calls f(session, floor) for every session, ascending.
  template <typename F>
  void ForEachFloor(F&& f) const {
    for (const auto& [id, s] : sessions_) f(id, s.op);
  }
  size_t sessions() const { return sessions_.size(); }

 private:
  struct Session {
    uint32_t op = 0;  // the floor: the latest operation seen
    // The floor operation's answers by token, in the order first given:
    // almost always one (sub-requests add a few).
    absl::InlinedVector<std::pair<uint64_t, Answer>, 1> answers;
  };
  // The session at `op` or above; null if `op` is below its floor.
  Session* Raise(uint32_t session, uint32_t op) {
    auto [it, added] = sessions_.try_emplace(session);
    Session& s = it->second;
    if (added || op > s.op) {
      s.op = op;
      s.answers.clear();
    }
    return op < s.op ? nullptr : &s;
  }
  absl::btree_map<uint32_t, Session> sessions_;
};

}  // namespace faultline::kit
