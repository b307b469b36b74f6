// A front node of the matching service (docs/models/matching.md): the
// project intake and the matching engine, stateless, several of them.
//
// intake.post validates a project and stores it in the profile store
// ("proj/<id>"), which is the record of what clients asked for.
//
// engine.match ranks developers for a project from the engine's own copy
// of every profile, refreshed from one profile replica every `refresh`
// with one SCAN. The copy may be stale twice over: the replica may lag
// (asynchronous replication) and the copy ages between refreshes. The
// engine refuses to match (STALE) once its copy is older than `max_age` by
// its monotonic clock; what it cannot see, a lagging replica, the
// `match_staleness` check measures from the history. Every candidate
// carries its score's parts and the profile text scored, so the
// `scores_explained` check can recompute it.
#pragma once

#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "models/kit/kv_workload.h"
#include "models/matching/catalog.h"
#include "models/matching/matching.pb.h"
#include "sim/node/cluster.h"

namespace faultline::matching {

struct FrontOptions {
  bool crdt = false;  // the profile store's representation
  Duration refresh = Duration::Millis(100);
  Duration max_age = Duration::Seconds(1);
  Duration attempt = Duration::Millis(100);  // one store call
  // Planted bugs: the engine ignores max_age; the engine adds a bonus for
  // preferred developers that no part accounts for.
  bool bug_ignore_age = false;
  bool bug_unexplained_bonus = false;
};

class Front final : public Service {
 public:
  Front(Env& env, const kit::KitConfig& profiles, FrontOptions options);
  void Run() override;  // the refresh loop

 private:
  Result<PostResponse> Post(const PostRequest& req);
  Result<MatchResponse> Match(const MatchRequest& req);
  // One SCAN of the profile store into a fresh copy; false if it failed.
  bool Refresh();

  Env& env_;
  FrontOptions options_;
  kit::KvCaller store_;
  absl::btree_map<std::string, Profile> profiles_;  // developer -> profile, as last read
  bool have_copy_ = false;
  Time copied_at_;  // monotonic clock
};

}  // namespace faultline::matching
