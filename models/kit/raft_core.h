// The Raft protocol as a pure state machine (Ongaro & Ousterhout, 2014),
// for the kit's `raft` mode (design §8). No I/O and no clock: the replica
// feeds it ticks, messages and proposals in rounds, and after each round
// takes a Ready: the state to persist, then the messages to send, then the
// entries now committed. The order is the safety contract: persist (and fsync)
// term, vote and new entries BEFORE sending anything, or a crash can make
// a node forget a vote or an entry it already acknowledged. Keeping the
// protocol pure lets tests drive thousands of clusters through lossy,
// partitioned networks and check Raft's safety properties directly.
//
// Elections use randomized timeouts (in ticks, from a caller-supplied
// random source). A new leader appends a no-op entry of its term, so it
// can commit entries of earlier terms (Raft §5.4.2) and serve reads.
//
// Reads use ReadIndex (Raft thesis §6.4, ADR 0007): the leader notes its
// commit index, then confirms with a round of heartbeats that a majority
// still follows it in this term; once they answer, every write acknowledged
// before the read arrived is at or below the noted index. No clock is
// involved, so the path is safe under any skew.
//
// A leader that has not heard from a majority for an election timeout
// steps down (etcd's CheckQuorum): cut off on a minority side it could
// never commit, and saying NOT_HERE sends clients to the majority.
//
// Elections start with a pre-vote (Raft thesis §9.6): a node whose timer
// runs out asks whether it could win at term + 1 without raising its term.
// A node grants that only if the asker's log is up to date and it has not
// heard from a leader within the minimum election timeout. Only with a
// majority of pre-votes does the node raise its term and run the real
// election. Without it, a node that was cut off (or is far away) keeps
// raising its term, and each higher term it sends deposes a working
// leader it could never replace: a livelock that faultline's
// scenarios/kit/raft-regions.lua found (nodes 40 ms apart).
//
// Replication per follower is in one of two states (etcd's progress
// states). Replicating: the leader sends new entries and assumes they
// arrive (next index advanced at send), with at most one append of new
// entries unanswered: entries proposed while one is in flight go with its
// answer, as one batch (or with the next heartbeat, if an append or its
// answer was lost). Sending each proposal at once cost an append, an
// answer and an fsync per follower per proposal; batching them cut the
// messages per operation from 9.5 to 7.7 in the raft benchmark and
// raised its throughput (docs/performance.md).
// Probing: after a rejection, or for a new leader that does not yet know
// a follower's log, one append with entries at a time, from the
// follower's hint. Heartbeats meanwhile carry no entries: a rejection of
// one moves the probe back, a success that falls short of the probe only
// records the match (on a reordering network it overtakes the probe), and
// a probe unanswered for an election timeout is sent again. Without
// probing, a follower that missed one append rejects every append
// pipelined behind it, and answering each rejection with a fresh batch of
// up to max_entries_per_append entries sent every entry about 4.6 times
// in the raft benchmark (docs/performance.md). Hints skip whole terms
// both ways (OnAppend, OnAppendReply), so a long conflicting suffix costs
// a round trip per term, not per entry.
//
// Read rounds are batched: one round confirms every read registered
// before it was sent, so while a round is in flight new reads wait for
// the next, which starts when the current one is confirmed (as etcd
// batches ReadIndex), or sooner with the next proposal or heartbeat:
// every append a leader sends carries the round it belongs to.
//
// Log compaction (Raft §7): the replica hands the core a snapshot of its
// state machine through an applied index (Compact), and the entries up to
// it are dropped. A follower that needs a dropped entry gets the snapshot
// instead, as a probe (kSnapshot), and answers it like an append. Entries
// through any node's snapshot are committed, so they equal every later
// leader's (Leader Completeness): an append that starts inside a
// follower's snapshot matches there. Without compaction the log, a
// restart's recovery and the state machine's replay after it grow with
// the length of the run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace faultline::kit::raft {

using NodeIndex = uint32_t;  // position in the cluster's membership, 0..n-1
constexpr NodeIndex kNobody = UINT32_MAX;

struct Entry {
  uint64_t term = 0;
  std::string data;  // empty: the leader's no-op
  bool operator==(const Entry&) const = default;
};

// The state machine through log index `index`, whose entry had `term`;
// index 0: nothing compacted.
struct Snapshot {
  uint64_t index = 0;
  uint64_t term = 0;
  std::string data;  // the state machine's bytes, opaque to the core
};

struct Message {
  enum Kind : uint8_t { kVote, kVoteReply, kAppend, kAppendReply, kPreVote, kPreVoteReply, kSnapshot } kind = kVote;
  NodeIndex from = 0, to = 0;
  uint64_t term = 0;
  // kPreVote: the term the asker would stand at (its own + 1), which it
  // has not taken; kPreVoteReply: that term if granted, else the voter's.
  // kVote, kPreVote: the candidate's last log position. kAppend: the entry before
  // `entries`. kAppendReply: success ? the follower's match : a hint for
  // the leader's next try (at most its last index, before every entry of
  // a term above the rejected append's log_term), with log_term the
  // follower's term there. kSnapshot: the snapshot's index and term; it
  // is answered by a kAppendReply.
  uint64_t index = 0;
  uint64_t log_term = 0;
  std::vector<Entry> entries;  // kAppend
  uint64_t commit = 0;         // kAppend: the leader's commit index
  bool granted = false;        // kVoteReply granted / kAppendReply success
  // kAppend: the leader's heartbeat round when sent; kAppendReply: the
  // round of the append it answers (confirms reads, see ReadIndex).
  uint64_t seq = 0;
  // kAppendReply that rejects: the `index` of the append it rejects, so the
  // leader can tell the answer to its probe from stale ones.
  uint64_t rejected = 0;
  // kAppendReply to an append of a term older than the follower's: only
  // tells `term`; it acknowledges nothing (see OnAppendReply).
  bool stale_term = false;
  std::string snapshot;  // kSnapshot: the state machine's bytes
};

// What must survive a crash, persisted before any message leaves.
struct HardState {
  uint64_t term = 0;
  NodeIndex vote = kNobody;
  bool operator==(const HardState&) const = default;
};

struct Ready {
  std::optional<HardState> hard_state;  // changed: persist it
  // Nonzero: the log from this index on changed; the persisted log must
  // become its first log_from - 1 entries followed by log_suffix.
  uint64_t log_from = 0;
  std::vector<Entry> log_suffix;
  std::vector<Message> messages;  // send after persisting
  std::vector<std::pair<uint64_t, Entry>> committed;  // (index, entry), newly committed, in order
  // Reads confirmed (ReadIndex): (id, index). Serve each once the state
  // machine has applied through its index.
  std::vector<std::pair<uint64_t, uint64_t>> reads;
  // Installed from the leader: the state machine becomes it. Persist it
  // (with the log after it, which log_from and log_suffix then cover)
  // before sending; entries in `committed` at or below its index were
  // already in it.
  std::optional<Snapshot> snapshot;
};

struct Config {
  uint32_t election_ticks_min = 10;  // randomized in [min, 2 * min)
  uint32_t heartbeat_ticks = 2;
  size_t max_entries_per_append = 64;
  // Planted bug (issue 4): a candidate counts its own vote twice, so with
  // five nodes two votes elect it and two leaders can share a term.
  bool bug_double_self_vote = false;
};

enum class Role : uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };

class Core {
 public:
  // `random(n)`: uniform in [0, n), from the node's own stream.
  Core(NodeIndex self, uint32_t size, Config config, std::function<uint64_t(uint64_t)> random);
  // Restores after a restart: what was persisted, the log being the
  // entries after the snapshot.
  void Restore(const HardState& hs, Snapshot snapshot, std::vector<Entry> log);
  // The state machine through `index` (at most commit()) is `data`: drops
  // the entries through it, and the caller persists snapshot() and the
  // entries after it. False, and nothing changed, unless index is past
  // the current snapshot and at most commit().
  // REQUIRES: no Ready outstanding (called between rounds).
  bool Compact(uint64_t index, std::string data);

  // A round: any number of the calls below, each adding to one Ready
  // what it sends, commits and confirms, then Finish(&ready), which adds
  // what must be persisted (the hard state if changed, and the log from
  // the first index any call changed). Persist, send, apply: the
  // contract at the top of this file holds for the round as a whole. A
  // round batches many messages into one record and one fsync; building a
  // Ready per message and merging them cost 6% of the raft benchmark.
  void Tick(Ready* r);
  void Step(const Message& m, Ready* r);
  // Appends client commands if leader, in order, and sends them; the index
  // of the first, or 0 (and nothing appended) if not leader.
  uint64_t Propose(std::vector<std::string> data, Ready* r);
  uint64_t Propose(std::string data, Ready* r);
  // Starts confirming reads `ids` (caller-chosen, distinct): false, and
  // nothing started, unless LeaderReady(). Confirmed reads come out in a
  // later Ready's `reads`; reads of a leader that steps down are dropped
  // (their callers see role() change).
  bool ReadIndex(const std::vector<uint64_t>& ids, Ready* r);
  void Finish(Ready* r);
  // A round of one call.
  Ready Tick() { return Round([&](Ready* r) { Tick(r); }); }
  Ready Step(const Message& m) { return Round([&](Ready* r) { Step(m, r); }); }

  Role role() const { return role_; }
  uint64_t term() const { return hs_.term; }
  NodeIndex leader() const { return leader_; }
  NodeIndex self() const { return self_; }
  uint64_t commit() const { return commit_; }
  uint64_t last_index() const { return snapshot_.index + log_.size(); }
  const HardState& hard_state() const { return hs_; }
  const Snapshot& snapshot() const { return snapshot_; }
  // The entries after the snapshot: entries()[i] is index snapshot().index + 1 + i.
  const std::vector<Entry>& entries() const { return log_; }
  // True once this leader has committed an entry of its own term (its
  // no-op): from then its commit index covers every committed write.
  bool LeaderReady() const;

 private:
  // REQUIRES: snapshot_.index <= index <= last_index().
  uint64_t TermAt(uint64_t index) const;
  const Entry& At(uint64_t index) const { return log_[index - snapshot_.index - 1]; }
  void BecomeFollower(uint64_t term, NodeIndex leader, Ready* r);
  void StartPreVote(Ready* r);
  void StartElection(Ready* r);
  void RequestVotes(Message::Kind kind, uint64_t term, Ready* r);
  bool Won() const;  // a majority of votes_ (or pre-votes)
  void BecomeLeader(Ready* r);
  void SendAppend(NodeIndex to, Ready* r);
  void SendSnapshot(NodeIndex to, Ready* r);
  // Starts a read round unless one is in flight (see ReadIndex).
  void MaybeStartReadRound(Ready* r);
  void Broadcast(Ready* r);
  void AdvanceCommit(Ready* r);
  void SetCommit(uint64_t c, Ready* r);
  void Append(Entry e, Ready* r);
  void ResetElectionTimer();
  void ConfirmReads(Ready* r);
  void OnVote(const Message& m, Ready* r);
  void OnVoteReply(const Message& m, Ready* r);
  void OnPreVote(const Message& m, Ready* r);
  void OnPreVoteReply(const Message& m, Ready* r);
  bool LogUpToDate(const Message& m) const;  // the asker's log is at least as up to date as ours
  // For an append or snapshot from the leader of `m.term`: the answer
  // with the fields every answer carries, and we follow that leader; or,
  // from a stale term, nullopt, its answer (our term, acknowledging
  // nothing) already sent.
  std::optional<Message> FollowLeader(const Message& m, Ready* r);
  void OnAppend(const Message& m, Ready* r);
  void OnSnapshot(const Message& m, Ready* r);
  void OnAppendReply(const Message& m, Ready* r);
  void Truncate(uint64_t keep);  // keeps entries 1..keep
  // Drops the entries through `index`, which the snapshot about to be
  // set covers. REQUIRES: snapshot_.index < index <= last_index().
  void DropThrough(uint64_t index);
  template <typename F>
  Ready Round(F f) {
    Ready r;
    f(&r);
    Finish(&r);
    return r;
  }

  HardState persisted_;       // as of the last Ready
  uint64_t dirty_from_ = 0;   // the first log index changed since the last Ready

  NodeIndex self_;
  uint32_t size_;
  Config config_;
  std::function<uint64_t(uint64_t)> random_;
  HardState hs_;
  Snapshot snapshot_;
  std::vector<Entry> log_;  // after snapshot_
  uint64_t commit_ = 0;
  Role role_ = Role::kFollower;
  NodeIndex leader_ = kNobody;
  uint32_t elapsed_ = 0, timeout_ = 0, quorum_elapsed_ = 0;
  std::vector<bool> votes_;
  std::vector<bool> heard_;  // leader: who answered since the last quorum check
  std::vector<uint64_t> next_, match_;
  // Leader: each follower's probing state (see the top of this file).
  struct Probe {
    bool on = false;    // probing, rather than replicating
    bool sent = false;  // a probe with entries is unanswered
    uint64_t end = 0;   // the last index it carries
    uint32_t age = 0;   // ticks since it was sent; resent when it looks lost
  };
  std::vector<Probe> probe_;
  // ReadIndex: the current heartbeat round, the latest round each node
  // answered in this term, and reads waiting for a majority to reach
  // their round.
  struct PendingRead {
    uint64_t id, index, round;
  };
  uint64_t seq_ = 0;
  std::vector<uint64_t> acked_;
  std::vector<PendingRead> reads_;
};

}  // namespace faultline::kit::raft
