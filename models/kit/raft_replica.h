// The `raft` mode (design §8): a replicated log (raft_core.h) on the
// simulator. One fiber, the driver, owns the protocol: it takes what the
// other fibers queued (ticks, peer messages, client writes and reads),
// feeds it all to the core, writes the resulting hard state and log
// entries as ONE record and fsyncs it, and only then sends the messages
// and applies the newly committed entries to the KV (kv_machine.h). Taking
// everything queued at once batches many client writes into one append
// and one fsync.
//
// Clients talk to the leader; any other replica answers NOT_HERE with a
// hint. A write is answered once its entry is applied; a read is answered
// by ReadIndex (ADR 0007): the leader confirms it still leads, then serves
// from its state machine once applied through the read's index. Linearizable
// under every fault of design §5: nothing is sent before it is durable, and
// no read trusts a clock.
//
// An fsync that fails (a full disk) stops the driver: the replica goes
// silent until it restarts and recovers from what is durable, because
// carrying on would mean acknowledging what the disk refused.
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "models/kit/kv_machine.h"
#include "models/kit/raft_core.h"
#include "models/kit/record_log.h"
#include "models/kit/replica.h"
#include "sim/node/condition.h"

namespace faultline::kit {

struct RaftOptions {
  Duration tick = Duration::Millis(10);
  raft::Config core;  // elections 100-200 ms, heartbeats every 20 ms at the default tick
  // How long a client request may wait for its commit or read confirmation
  // before the replica gives up on it (an unknown outcome for a write).
  Duration request_limit = Duration::Seconds(1);
  // Compaction (raft_core.h): every this many applied entries the state
  // machine is snapshotted and the log rewritten to start after it; 0:
  // never. Bounds the log, a restart's recovery and its replay.
  uint64_t snapshot_every = 1000;
  // Planted bug (issue 4): the record is written but not fsynced before
  // votes and acknowledgements go out; a crash that tears unsynced writes
  // makes a majority forget a committed entry.
  bool bug_ack_before_fsync = false;
};

class RaftReplica final : public Replica {
 public:
  RaftReplica(Env& env, KitConfig config, RaftOptions options);
  void Run() override;  // recovery, then the driver
  Role role() const override;
  ReplicaState Snapshot() const override;
  uint64_t term() const { return core_.term(); }
  uint64_t snapshot_index() const { return core_.snapshot().index; }  // 0: never compacted

 private:
  struct Proposal {
    uint64_t id;
    std::string data;
  };
  // A client request whose fiber waits for the driver. The driver wakes
  // that fiber alone, when its answer may have changed: waking every
  // waiter each round made the leader's cost grow with clients x rounds.
  struct Pending {
    Condition* wake;        // on the waiting fiber's stack
    bool resolved = false;  // a write placed, or a read's index confirmed
    uint64_t index = 0;     // where placed (0: it could not be) / the read index
  };

  bool Recover();
  void Drive();
  // The driver stops on a write the disk refused (or a crash): the
  // replica goes silent, its waiters told, until it restarts.
  void Stop(const Status& why);
  // Feeds everything queued to the core as one round; its Ready.
  raft::Ready TakeQueued();
  Status Persist(const raft::Ready& r);
  // Rewrites the log file as one record of the core's whole durable
  // state: hard state, snapshot, and the entries after it.
  Status Checkpoint();
  // Compacts and checkpoints when snapshot_every entries were applied
  // since the last snapshot.
  Status MaybeCompact();
  void Send(const raft::Message& m);
  void ApplyCommitted(const raft::Ready& r);
  void ReceiveLoop();
  void TickLoop();

  Result<KvResponse> OnClient(const KvRequest& req);
  Result<KvResponse> Write(const KvRequest& req);
  Result<KvResponse> Read(const KvRequest& req);
  KvResponse NotHere() const;
  // Wakes the waiters whose answer may have changed this round: all of
  // them when the driver stopped or the role or term moved.
  void WakeWaiters();
  // Waits until the driver wakes this request; false past `deadline` or on
  // a crash.
  bool Await(Condition& wake, Time deadline);

  Env& env_;
  KitConfig config_;
  RaftOptions options_;
  std::vector<NodeId> replicas_;  // by raft index
  raft::Core core_;
  RecordLog log_;
  KvMachine machine_;
  uint64_t applied_ = 0;
  bool serving_ = false;  // recovered, and the driver runs

  // Queued for the driver.
  uint64_t ticks_ = 0;
  std::deque<raft::Message> inbox_;
  std::vector<Proposal> proposals_;
  std::vector<uint64_t> reads_;
  Condition work_;
  // The driver's results, for the waiting request fibers.
  uint64_t next_request_ = 0;
  absl::btree_map<uint64_t, Pending> pending_;  // by request id
  std::pair<raft::Role, uint64_t> last_seen_{raft::Role::kFollower, 0};  // role and term after the last round

  // Reused between messages and records (each used by one fiber, never
  // across a wait): a fresh protobuf per message made allocation the
  // largest cost of a raft run (docs/performance.md).
  RaftMessage scratch_in_, scratch_out_;
  RaftRecord scratch_record_;
  KvRequest scratch_request_;
  std::string scratch_bytes_;
};

}  // namespace faultline::kit
