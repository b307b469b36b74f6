// Idempotency by client session (ADR 0014): the answers a replica keeps so
// that a retried request is applied at most once, bounded by the number of
// sessions rather than the number of writes.
//
// A token (sim/workload/token.h) names a session, an operation of it and a
// sub-request. A session runs one operation at a time and never returns to
// an earlier one, so a request of operation n means every earlier
// operation of that session is over for its client. The table keeps each
// session's floor (the latest operation seen) and the answers of that
// operation's requests only; a request of an operation below the floor is
// stale: a late duplicate that nobody awaits, to be refused, never applied.
#pragma once

#include <cstdint>
#include <utility>

#include "absl/container/btree_map.h"
#include "sim/workload/token.h"

namespace faultline::kit {

template <typename Answer>
class SessionTable {
 public:
  enum class Seen : uint8_t { kNew, kStale, kAnswered };
  using Answers = absl::btree_map<uint64_t, Answer>;  // by token: a session's are together
  using Floors = absl::btree_map<uint32_t, uint32_t>;  // session -> its latest operation

  // What is known of `token`; `answer` is set when kAnswered.
  struct Found {
    Seen seen = Seen::kNew;
    const Answer* answer = nullptr;
  };
  Found Find(uint64_t token) const {
    auto f = floors_.find(TokenSession(token));
    if (f != floors_.end() && TokenOp(token) < f->second) return {Seen::kStale, nullptr};
    auto it = answers_.find(token);
    return it == answers_.end() ? Found{} : Found{Seen::kAnswered, &it->second};
  }

  // Find, and for a token that is not stale the slot of its answer: the
  // answer given before (kAnswered), or a new default one to fill (kNew),
  // raising the session's floor to the token's operation. One search of
  // each map, for the write path. `answer` is null when kStale.
  struct Claimed {
    Seen seen = Seen::kNew;
    Answer* answer = nullptr;
  };
  Claimed Claim(uint64_t token) {
    if (!RaiseFloor(TokenSession(token), TokenOp(token))) return {Seen::kStale, nullptr};
    auto [it, added] = answers_.try_emplace(token);
    return {added ? Seen::kNew : Seen::kAnswered, &it->second};
  }

  // Raises `session`'s floor to `op` (a floor never falls), forgetting the
  // answers of earlier operations. False if `op` is below the floor.
  bool RaiseFloor(uint32_t session, uint32_t op) {
    auto [f, added] = floors_.try_emplace(session, op);
    if (added || op == f->second) return true;
    if (op < f->second) return false;
    answers_.erase(answers_.lower_bound(MakeToken(session, 0)), answers_.lower_bound(MakeToken(session, op)));
    f->second = op;
    return true;
  }

  // Forgets one answer (its session's floor stays): for a replica whose
  // state lost the write the answer acknowledged.
  typename Answers::iterator Erase(typename Answers::iterator it) { return answers_.erase(it); }
  // Forgets every answer; the floors stay, as they say what clients did.
  void ClearAnswers() { answers_.clear(); }
  void Clear() {
    answers_.clear();
    floors_.clear();
  }

  const Answers& answers() const { return answers_; }
  Answers& answers() { return answers_; }
  const Floors& floors() const { return floors_; }

 private:
  Answers answers_;
  Floors floors_;
};

}  // namespace faultline::kit
