// The register KV state machine that the single-leader modes (raft, lease)
// replicate: writes are applied in one agreed order on every replica, so
// every replica computes the same answers. A write's idempotency token is
// remembered with its answer; a retried write (the same token later in the
// order) changes nothing and gets the first answer, so a client retry
// after an unknown outcome never applies twice. Answers are kept for each
// client session's latest operation (sessions.h): a write of an earlier
// one is stale, changes nothing and gets STALE.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/btree_map.h"
#include "models/kit/kv.pb.h"
#include "models/kit/sessions.h"
#include "sim/check/convergence.h"

namespace faultline::kit {

class KvMachine {
 public:
  // Applies a PUT, DELETE or CAS at position `version` of the order (e.g.
  // a log index); returns its answer (OK, CAS_MISMATCH or STALE).
  KvResponse Apply(const KvRequest& write, uint64_t version);
  // The same, answering with the code alone: what a replica applying its
  // log needs, without building a response per entry.
  KvResponse::Code ApplyCode(const KvRequest& write, uint64_t version);
  // The answer a write with this token got, if it was applied; STALE if
  // its session has moved past its operation.
  std::optional<KvResponse> Answered(uint64_t token) const;
  KvResponse Get(const std::string& key) const;
  // Values, and as versions the position of each key's last write.
  void Fill(ReplicaState* s) const;
  // The whole state, for raft's snapshots (a KvSnapshot); Restore(bytes)
  // makes a machine equal to the one that wrote them. Restore is false,
  // and the machine unchanged, if the bytes are not a KvSnapshot.
  std::string Serialize() const;
  bool Restore(std::string_view bytes);
  static bool IsSnapshot(std::string_view bytes);  // Restore would take it

 private:
  struct Slot {
    std::string value;
    uint64_t version = 0;
  };
  using Data = absl::btree_map<std::string, Slot>;
  void Put(Data::iterator at, const KvRequest& w, uint64_t version);
  Data data_;
  // A write's answer is its code alone (OK or CAS_MISMATCH): every write
  // adds one, so it keeps the code, not a whole KvResponse.
  using Sessions = SessionTable<KvResponse::Code>;
  Sessions answered_;
};

}  // namespace faultline::kit
