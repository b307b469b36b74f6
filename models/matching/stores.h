// The client side of the matching service's two replicated stores, both
// the kit's KV (models/kit) reached through its KvCaller:
//  - the assignment registry (registry = raft | lease | lww): one record per
//    developer, "book/7" -> "c1-4.2:20,c3-9.1:10" (project:hours, sorted),
//    changed only by compare-and-set. The registry's rule lives here, in
//    its client: an assignment is granted when the developer's booked hours
//    plus the project's fit their capacity, and the grant is the CAS that
//    writes it. A lost CAS race re-reads; a full developer is "taken".
//  - the profile store (profiles = lww | crdt): lww keeps each profile as
//    one text ("dev/7" -> ProfileText) changed by read-modify-write with
//    CAS; crdt keeps it as one OR-set changed by atomic set updates
//    (profile.h), with ratings in two counters "dev/7.stars", "dev/7.ratings".
//
// Each function is one attempt of sim/workload's Client: it says whether
// the operation certainly had no effect (retry or fail) or may have had one.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>

#include "models/kit/kv_workload.h"
#include "models/matching/profile.h"

namespace faultline::matching {

// One read-modify-write of one key through the kit's CAS, run as a
// sequence of Client attempts (one object per operation).
//
// A CAS whose outcome is unknown is resent unchanged (same token) on the
// next attempt instead of re-reading: the replica's token memory answers
// it if it was applied, so the operation never reports "taken" or "lost
// the race" for a write that in fact happened.
class Rmw {
 public:
  struct Decision {
    enum Kind : uint8_t { kWrite, kNoWrite, kReject } kind = kNoWrite;
    std::string value;  // kWrite: the new value
    Value result;       // what the operation returns if this decision stands
    std::string why;    // kReject
  };
  using Decide = std::function<Decision(const std::optional<std::string>& current)>;

  Rmw(kit::KvCaller& caller, std::string key, Decide decide)
      : caller_(caller), key_(std::move(key)), decide_(std::move(decide)) {}
  Attempt Try(int n, uint64_t token, Duration remaining);

 private:
  kit::KvCaller& caller_;
  std::string key_;
  Decide decide_;
  std::optional<kit::KvRequest> pending_;  // a CAS whose outcome is unknown
  Value pending_result_;
};

// Registry decisions (over the booking text).
Rmw::Decide AssignDecision(const std::string& project, int hours, int capacity);
Rmw::Decide ReleaseDecision(const std::string& project);
// Booked hours by project, from "p:20,q:10"; malformed items are skipped.
std::vector<std::pair<std::string, int>> ParseBookings(const std::string& text);

// Profile store, lww: a change to the profile text. A developer not yet
// onboarded here is rejected (writing a partial profile would overwrite
// the onboarding under last-writer-wins); an onboarding of a developer
// already there writes nothing and returns :exists.
Rmw::Decide ProfileDecision(const ProfileChange& change);
// A rating: stars added, one more rating.
Rmw::Decide RatingDecision(int stars);

// Profile store, crdt: one attempt of a change (one atomic set update), or
// of a rating (two counter increments, each idempotent by its own token).
Attempt CrdtProfileChange(kit::KvCaller& caller, const std::string& key, const ProfileChange& change,
                          uint64_t token, Duration remaining);
// `landed` carries over attempts which increments were acknowledged: a
// retry that moved to another replica must not send those again (each
// replica remembers only its own tokens).
Attempt CrdtRating(kit::KvCaller& caller, const std::string& developer, int stars, uint64_t token,
                   Duration remaining, std::array<bool, 2>* landed);

}  // namespace faultline::matching
