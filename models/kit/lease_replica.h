// The `lease` mode (design §8): primary–backup under a time-based lease.
// A replica becomes primary by collecting lease grants from a majority
// (itself included); each grantor promises to grant no one else until
// its wall clock reads `until` = its wall clock + duration, persists the
// promise, and answers with `until`. The primary acts as primary only while
//
//     its own wall_clock < min(until of the other grantors) - lease_guard
//
// so it stops before any grantor can promise someone else as long as its
// clock and theirs disagree by less than `lease_guard`. It renews well
// before then. (Reading another node's timestamp on one's own clock is the
// design's exposure to clock error, and what the guard is for.)
//
// The primary serves reads from its own state (the point of a lease: no
// round trip) and writes one at a time: persisted, sent to its backups
// (the replicas that granted its lease), applied and answered once a
// majority of all replicas holds it. A new primary starts from the
// freshest state of the majority that granted it (every acknowledged write
// is on a majority, and majorities intersect), and serves once a majority
// holds that state too: it may include a write only one grantor had, and a
// read of it must not be undone by the next change of primary.
//
// Catch-up. Every reply to a primary says where the sender's state stands
// in the primary's sequence (its sync point: all writes of an epoch up to
// a seq; unknown after a restart or a write from another epoch). After
// each lease round the primary sends each replica that reported being
// behind what it lacks: the missed writes, if they are still in its window
// of recent writes, or else its whole state (PUSH, which replaces the
// replica's). So a replica that was cut off, down, or never granted this
// lease converges within a renewal or two of hearing from the primary.
// A write that does not reach a majority ends the primary's tenure: its
// seq would leave a hole that the next writes cannot fill, and a new epoch
// starts from the majority's state instead. A change of epoch waits for
// the write in flight, so a write and what catch-up sends share an epoch;
// and catch-up is sent only while serving (a lapsed lease sends nothing).
//
// Tokens. A retry of a write is answered ok from the token table, so a
// state's tokens must be those of the writes its history holds, and only a
// serving primary answers from them (its state is on a majority). A write
// logged or applied somewhere without reaching a majority can be replaced:
// by a PUSH (which replaces the tokens with the pusher's), or by a later
// epoch's version of its key when a new primary merges its grantors'
// states. Each token names its write (key, version) and the highest epoch
// whose primary vouched for it; the merge keeps a token when the key still
// holds that write, or a later version whose epoch vouched for it. The
// table keeps the tokens of each client session's latest operation only,
// with each session's floor (sessions.h, ADR 0014): it is bounded by the
// sessions, not the writes, though PUSH and GRANT carry it whole. Floors
// merge by maximum everywhere, a PUSH included: a late duplicate of an
// earlier operation is refused (STALE), even where its token was dropped.
//
// Backups apply what a primary sends without asking which primary it is:
// the lease alone keeps primaries apart. That trust is what this mode is
// about. With clock error beyond the guard, an old primary whose clock
// runs behind keeps serving after a new one was granted: both acknowledge
// writes (split-brain, sim/check/split_brain.h), and the old one serves
// reads that miss the new one's writes (not linearizable). Fencing writes
// by epoch at the backups would stop the writes, not the stale reads.
// The lease also assumes messages are not delayed by more than the guard:
// an old primary stops resending when its lease lapses, and what it sent
// must have landed before anyone else can be granted.
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "models/kit/kv.pb.h"
#include "models/kit/record_log.h"
#include "models/kit/replica.h"
#include "models/kit/sessions.h"
#include "sim/node/condition.h"

namespace faultline::kit {

struct LeaseOptions {
  Duration duration = Duration::Millis(300);
  Duration renew_every = Duration::Millis(80);  // also how often a backup checks for a vacant lease
  // The clock error the lease tolerates. 0 is the planted bug "lease
  // without a guard" (issue 4).
  Duration lease_guard = Duration::Millis(100);
  Duration request_limit = Duration::Seconds(1);
};

// A write's place in the primaries' order: epoch, then seq within it.
struct LeaseVersion {
  uint64_t epoch = 0, seq = 0;
  auto operator<=>(const LeaseVersion&) const = default;
};

class LeaseReplica final : public Replica {
 public:
  LeaseReplica(Env& env, KitConfig config, LeaseOptions options);
  void Run() override;  // recovery, then the lease loop
  Role role() const override { return Serving() ? Role::kPrimary : Role::kBackup; }
  ReplicaState Snapshot() const override;

  // How this replica, as primary, caught others up: for tests.
  struct CatchUps {
    size_t windows = 0, pushes = 0;
  };
  const CatchUps& catch_ups() const { return catch_ups_; }
  // Where this replica's state stands: every write of epoch .first up to
  // seq .second ({0, 0}: unknown). For tests.
  std::pair<uint64_t, uint64_t> sync_point() const { return {synced_.epoch, synced_.seq}; }
  // How many client tokens and session floors this replica holds. For tests.
  std::pair<size_t, size_t> token_table() const { return {answered_.answers(), answered_.sessions()}; }

 private:
  using Version = LeaseVersion;
  struct Slot {
    std::optional<std::string> value;  // nullopt: deleted
    Version version;
  };
  // Where a replica's state stands in a primary's writes: every write of
  // `epoch` up to `seq`. {0, 0}: unknown.
  struct SyncPoint {
    uint64_t epoch = 0, seq = 0;
    bool fresh = false;  // primary: reported since the last catch-up sent
  };
  // Answers to a round of requests (lease or write) this replica sent.
  struct Round {
    size_t yes = 1, no = 0;  // this replica counts itself
    std::vector<NodeId> answered, granted;
    std::vector<LeaseMessage> grants;
    std::string hint;
    uint64_t highest_epoch = 0;  // the highest epoch a REJECT reported
  };

  bool Serving() const;
  bool Recover();
  void LeaseLoop();
  void ReceiveLoop();
  // Asks every replica for the lease of `epoch`; true once a majority granted.
  bool AskForLease(uint64_t epoch, bool want_state);
  void OnRequest(NodeId from, const LeaseMessage& m);
  // Whether this replica may promise the lease of `epoch` to `to` now.
  bool MayGrant(NodeId to, uint64_t epoch) const;
  void OnWrite(NodeId from, const LeaseMessage& m);
  // A token's write, and the highest epoch whose primary held the write in
  // its history (see "Tokens" above).
  struct Token {
    std::string key;
    Version version;
    uint64_t vouched = 0;
  };
  // Merges keys (the later version wins) and tokens.
  void Absorb(const LeaseMessage& m);
  void AddToken(uint64_t token, std::string_view key, Version v, uint64_t vouched);
  static void FillToken(uint64_t token, const Token& t, LeaseMessage* out);
  // This replica's whole state: every key, token and session floor.
  void FillState(LeaseMessage* out) const;
  void FillFloors(LeaseMessage* out) const;
  // Drops the tokens of writes the state does not hold (after a merge).
  void KeepHistoryTokens();
  // A primary's whole state is its epoch's history.
  void Vouch(uint64_t epoch);
  Status PersistPromise();
  Status PersistKeys(const LeaseMessage& m, bool reset = false);
  // Sends `m` (id set) to `to` and waits until a majority of all replicas
  // (this one included) answered yes, or that became impossible, or
  // `limit` passed, or with `while_serving` the lease lapsed.
  bool RunRound(LeaseMessage m, const std::vector<NodeId>& to, Round* round, Duration limit, bool while_serving);
  // Writes go to the replicas that granted this lease.
  void Join(NodeId backup);
  // Sends each replica that reported being behind what it lacks (header).
  void CatchUp();
  LeaseMessage PushMessage() const;
  void Push(NodeId to);
  // A new primary's state may hold a write only one grantor had: before it
  // serves a read of it, a majority holds the state too (the PUSH round).
  bool Confirm();
  void OnPush(NodeId from, const LeaseMessage& m);
  // A reply to a primary carries the sender's sync point.
  LeaseMessage Reply(LeaseMessage::Kind kind, uint64_t id) const;
  // Holds the write slot (writing_) until the returned cleanup runs, then
  // wakes the writers waiting for it. REQUIRES: !writing_.
  auto TakeWriteSlot();
  // Ends this primary's tenure (a write that missed a majority).
  void StepDown(std::string_view why);
  size_t Majority() const { return (peers_.size() + 1) / 2 + 1; }

  Result<KvResponse> OnClient(const KvRequest& req);
  Result<KvResponse> Write(const KvRequest& req);
  KvResponse NotHere() const;
  // A serving primary's answer to a write from its token table: OK for a
  // retry of a write its state holds, STALE for a late duplicate; nullopt
  // for one to apply.
  std::optional<KvResponse> Known(uint64_t token) const;
  void Fill(const std::string& key, const Slot& s, uint64_t token, LeaseKey* out) const;

  Env& env_;
  KitConfig config_;
  LeaseOptions options_;
  std::vector<NodeId> peers_;  // the other replicas
  RecordLog log_;
  bool recovered_ = false;

  // Persisted: the highest epoch seen, and the promise (to whom, in
  // which epoch, until when).
  uint64_t epoch_ = 0;
  uint64_t promised_epoch_ = 0;
  NodeId promised_;      // invalid: none
  Time promised_until_;  // by this node's wall clock
  absl::btree_map<std::string, Slot> data_;
  // Tokens of the writes this state holds, for each client session's
  // latest operation, and the sessions' floors (sessions.h).
  using Sessions = SessionTable<Token>;
  Sessions answered_;

  // Volatile: the lease this node holds, by its own wall clock.
  bool holder_ = false;
  bool confirmed_ = false;  // the holder's state is on a majority: Confirm()
  Time expires_;
  uint64_t lease_epoch_ = 0;  // the epoch of the lease held: its writes' versions
  uint64_t seq_ = 0;         // the last seq given in it
  std::vector<NodeId> backups_;  // those that granted this lease: writes go to them
  std::string last_holder_;  // for NOT_HERE hints
  uint64_t applied_seq_ = 0;     // primary: the last write of lease_epoch_ applied here
  std::deque<LeaseKey> recent_;  // primary: the writes applied in this epoch, the last kWindow
  absl::btree_map<NodeId, SyncPoint> peer_synced_;  // primary: what each replica last reported
  SyncPoint synced_;  // this replica's own; volatile: a restart knows nothing
  CatchUps catch_ups_;

  uint64_t next_id_ = 0;
  absl::btree_map<uint64_t, Round*> rounds_;  // id -> a round waiting on a fiber's stack
  Condition answers_;
  bool writing_ = false;
  Condition write_done_;
};

}  // namespace faultline::kit
