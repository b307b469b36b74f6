// The `crdt` mode (design §8): every replica accepts updates to
// multi-value registers, add-wins sets and PN-counters (crdt.h), applies
// them, syncs the key's new state to its log, answers, and sends the key's
// whole state to the other replicas; anti-entropy pushes every key's state
// to a random peer now and then. Merging is commutative, associative and
// idempotent, so replicas converge without coordination and no effect is
// lost: concurrent register writes become siblings, a remove takes away
// only the adds it saw, increments all count.
//
// Tokens of applied updates are logged with them, so a retried increment
// is answered from memory, also after a restart, instead of counted twice.
// An update is synced before it is visible, sent or answered.
#pragma once

#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "models/kit/crdt.h"
#include "models/kit/kv.pb.h"
#include "models/kit/record_log.h"
#include "models/kit/replica.h"
#include "models/kit/sessions.h"
#include "sim/node/condition.h"
#include "sim/check/crdt_merge.h"

namespace faultline::kit {

struct CrdtOptions {
  Duration anti_entropy = Duration::Millis(200);
  bool idempotent_merge = true;  // false: the planted bug (PnCounter)
};

class CrdtReplica final : public Replica {
 public:
  CrdtReplica(Env& env, KitConfig config, CrdtOptions options);
  void Run() override;  // anti-entropy
  Role role() const override { return Role::kPeer; }
  ReplicaState Snapshot() const override;  // keys as "reg:k", "set:k", "ctr:k"
  CrdtFinal Values() const;                // the same, typed, for crdt-merge

 private:
  Result<KvResponse> OnClient(const KvRequest& req);
  KvResponse Scan(const std::string& prefix) const;
  void ReceiveLoop();
  void Recover();
  // The whole state of one key, for the log and the wire.
  void Encode(KvRequest::Kind kind, const std::string& key, CrdtState::Key* out) const;
  void MergeKey(const CrdtState::Key& k);
  Status Persist(const CrdtState& s, bool sync);

  Env& env_;
  KitConfig config_;
  CrdtOptions options_;
  std::vector<NodeId> peers_;
  ReplicaId self_;
  absl::btree_map<std::string, MvRegister> registers_;
  absl::btree_map<std::string, OrSet> sets_;
  absl::btree_map<std::string, PnCounter> counters_;
  // Tokens of updates applied (and synced) here; the answer is always OK.
  SessionTable<bool> applied_;
  RecordLog log_;
  // Updates are one at a time: each is built on a copy, synced, then
  // installed; two at once could take the same dot.
  bool updating_ = false;
  Condition update_done_;
};

}  // namespace faultline::kit
