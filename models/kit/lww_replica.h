// The `lww` mode (design §8): multi-leader, every replica accepts writes,
// stamps them (wall clock or HLC, hlc.h), applies them locally, answers,
// and replicates them asynchronously; anti-entropy pushes whole states to a
// random peer now and then, so replicas converge after a partition heals.
// Available under any partition, never linearizable: concurrent writes to
// one key keep only the one with the greatest stamp (lost updates), a cas
// compares against the local replica only, and reads are local.
//
// Durability: a client's write is appended to the replica's log and synced
// before it is acknowledged; replicated writes are appended unsynced (a
// crash may lose them; anti-entropy brings them back). The HLC is restored
// from the greatest stamp in the log (ADR 0006).
#pragma once

#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "models/kit/hlc.h"
#include "models/kit/kv.pb.h"
#include "models/kit/lww.h"
#include "models/kit/record_log.h"
#include "models/kit/replica.h"
#include "models/kit/sessions.h"

namespace faultline::kit {

struct LwwOptions {
  bool hlc = true;       // false: stamps from the wall clock
  bool tiebreak = true;  // false: the planted bug (lww.h)
  Duration anti_entropy = Duration::Millis(200);
};

class LwwReplica final : public Replica {
 public:
  LwwReplica(Env& env, KitConfig config, LwwOptions options);
  void Run() override;  // the anti-entropy loop
  Role role() const override { return Role::kPeer; }
  ReplicaState Snapshot() const override;

 private:
  Result<KvResponse> OnClient(const KvRequest& req);
  KvResponse Scan(const std::string& prefix) const;  // reads are not remembered
  Result<KvResponse> Write(const std::string& key, std::optional<std::string> value);
  void ReceiveLoop();
  void Recover();
  Timestamp NextStamp();
  // Appends one entry to the log; synced if `sync`.
  Status Persist(const std::string& key, const LwwEntry& entry, bool sync);

  Env& env_;
  KitConfig config_;
  LwwOptions options_;
  std::vector<NodeId> peers_;  // the other replicas
  Hlc hlc_;
  LwwMap map_;
  RecordLog log_;
  SessionTable<KvResponse> answered_;  // idempotency: token -> first answer (volatile)
  absl::btree_set<uint64_t> in_flight_;             // tokens being written now
};

}  // namespace faultline::kit
