#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <optional>

#include "absl/container/btree_map.h"
#include "models/kit/raft_core.h"
#include "sim/core/rng.h"
#include "sim/core/strings.h"

namespace faultline::kit::raft {
namespace {

// A cluster of Cores over a lossy, partitionable network with crashes, in
// ticks. Each node's persisted state is kept as the Ready contract says
// (hard state and log written before messages leave), and a crash
// restarts the core from it. Raft's safety properties are checked as it
// runs; `violations` collects what broke.
struct Cluster {
  struct Node {
    std::unique_ptr<Core> core;
    HardState hs;
    Snapshot snap;           // persisted
    std::vector<Entry> log;  // persisted: the entries after snap
    bool up = true;
  };
  struct InFlight {
    uint64_t at;
    Message m;
  };
  Cluster(uint32_t n, uint64_t seed, Config config)
      : rng(seed), config(config), nodes(n), appends_sent(n), rejections_sent(n), entries_delivered(n), snapshots_installed(n) {
    for (uint32_t i = 0; i < n; ++i) Boot(i);
  }
  void Boot(NodeIndex i) {
    Node& node = nodes[i];
    node.core = std::make_unique<Core>(i, static_cast<uint32_t>(nodes.size()), config,
                                       [this](uint64_t n) { return rng.Uniform(n); });
    node.core->Restore(node.hs, node.snap, node.log);
    node.up = true;
  }
  void Apply(NodeIndex i, Ready r) {
    Node& node = nodes[i];
    if (r.hard_state) node.hs = *r.hard_state;
    if (r.snapshot) {
      // State machine safety for snapshots: it ends where the committed log has its term.
      if (auto it = committed.find(r.snapshot->index); it != committed.end() && it->second.term != r.snapshot->term) {
        violations.push_back(Cat("state machine safety: snapshot at ", r.snapshot->index, " has another term"));
      }
      node.snap = *r.snapshot;
      ++snapshots_installed[i];
    }
    if (r.log_from != 0) {
      node.log.resize(r.log_from - 1 - node.snap.index);
      node.log.insert(node.log.end(), r.log_suffix.begin(), r.log_suffix.end());
    }
    for (Message& m : r.messages) {
      if (m.kind == Message::kAppend) ++appends_sent[i];
      if (m.kind == Message::kAppendReply && !m.granted && !m.stale_term) ++rejections_sent[i];
      if (lossy && rng.Chance(1, 20)) continue;  // lost
      net.push_back(InFlight{now + (reorder ? 1 + rng.Uniform(3) : 2), std::move(m)});
    }
    for (const auto& [index, e] : r.committed) {
      auto [it, fresh] = committed.emplace(index, e);
      if (!fresh && !(it->second == e)) violations.push_back(Cat("state machine safety: index ", index, " differs"));
    }
    for (const auto& [id, index] : r.reads) Served(id, index);
    MaybeCompact(i);
    const Core& c = *node.core;
    if (c.role() == Role::kLeader) {
      auto [it, fresh] = leaders.emplace(c.term(), i);
      if (!fresh && it->second != i) violations.push_back(Cat("election safety: two leaders in term ", c.term()));
      if (fresh) {  // leader completeness: it holds everything committed so far
        for (const auto& [index, e] : committed) {
          if (index <= c.snapshot().index) continue;  // in its snapshot
          if (index > c.last_index() || !(c.entries()[index - c.snapshot().index - 1] == e)) {
            violations.push_back(Cat("leader completeness: term ", c.term(), " leader lacks index ", index));
            break;
          }
        }
      }
    }
  }
  // Compacts every node whose commit index is compact_every past its
  // snapshot, as a replica does once it has applied that far.
  void MaybeCompact(NodeIndex i) {
    Node& node = nodes[i];
    Core& c = *node.core;
    if (compact_every == 0 || c.commit() < c.snapshot().index + compact_every) return;
    REQUIRE(c.Compact(c.commit(), Cat("through ", c.commit())));
    node.snap = c.snapshot();
    node.log = c.entries();
  }
  bool Connected(NodeIndex a, NodeIndex b) const { return side.empty() || side[a] == side[b]; }
  void Step() {
    ++now;
    for (NodeIndex i = 0; i < nodes.size(); ++i) {
      if (nodes[i].up) Apply(i, nodes[i].core->Tick());
    }
    std::deque<InFlight> later;
    std::vector<InFlight> due;
    for (InFlight& f : net) {
      if (f.at <= now) {
        due.push_back(std::move(f));
      } else {
        later.push_back(std::move(f));
      }
    }
    net = std::move(later);
    for (InFlight& f : due) {
      if (!nodes[f.m.to].up || !Connected(f.m.from, f.m.to)) continue;
      entries_delivered[f.m.to] += f.m.entries.size();
      Apply(f.m.to, nodes[f.m.to].core->Step(f.m));
    }
  }
  // Finishes node i's round `r` (its Propose or ReadIndex) and applies
  // it; the messages it sends.
  size_t FinishAndApply(NodeIndex i, Ready r) {
    nodes[i].core->Finish(&r);
    const size_t sent = r.messages.size();
    Apply(i, std::move(r));
    return sent;
  }
  void Propose() {
    for (NodeIndex i = 0; i < nodes.size(); ++i) {
      if (!nodes[i].up || nodes[i].core->role() != Role::kLeader) continue;
      Ready r;
      if (nodes[i].core->Propose(Cat("v", ++proposed), &r) != 0) FinishAndApply(i, std::move(r));
    }
  }
  // Every node that believes it leads starts a read. A read served at
  // `index` is linearizable only if no entry beyond `index` had been
  // committed (and so possibly acknowledged) when the read began.
  void Read(bool local) {
    for (NodeIndex i = 0; i < nodes.size(); ++i) {
      if (!nodes[i].up || nodes[i].core->role() != Role::kLeader) continue;
      const uint64_t id = ++read_ids;
      floor[id] = committed.empty() ? 0 : committed.rbegin()->first;
      if (local) {  // the mistake ReadIndex avoids: trusting one's own belief
        Served(id, nodes[i].core->commit());
        continue;
      }
      Ready r;
      if (nodes[i].core->ReadIndex({id}, &r)) FinishAndApply(i, std::move(r));
    }
  }
  void Served(uint64_t id, uint64_t index) {
    ++reads_served;
    served_ids.push_back(id);
    if (index < floor.at(id)) violations.push_back(Cat("stale read: index ", index, " < committed ", floor.at(id)));
  }
  // Random faults: partitions, crashes and restarts, then calm.
  void Chaos() {
    if (rng.Chance(1, 50)) {
      side.assign(nodes.size(), 0);
      for (auto& s : side) s = static_cast<int>(rng.Uniform(2));
    }
    if (rng.Chance(1, 40)) side.clear();
    const auto i = static_cast<NodeIndex>(rng.Uniform(nodes.size()));
    if (nodes[i].up && rng.Chance(1, 100)) {
      nodes[i].up = false;
      nodes[i].core.reset();
    } else if (!nodes[i].up && rng.Chance(1, 10)) {
      Boot(i);
    }
  }

  Rng rng;
  Config config;
  bool lossy = true;    // one message in twenty lost
  bool reorder = true;  // latency 1-3 ticks; else 2 ticks, in order
  uint64_t compact_every = 0;  // 0: never
  std::vector<Node> nodes;
  std::deque<InFlight> net;
  std::vector<int> side;  // empty: fully connected
  uint64_t now = 0;
  uint64_t proposed = 0;
  uint64_t read_ids = 0, reads_served = 0;
  std::vector<uint64_t> served_ids;
  std::vector<uint64_t> appends_sent;       // by sender
  std::vector<uint64_t> rejections_sent;    // appends rejected, by the rejecting node
  std::vector<uint64_t> entries_delivered;  // by receiver, in appends
  std::vector<uint64_t> snapshots_installed;  // by installer
  absl::btree_map<uint64_t, uint64_t> floor;  // read id -> highest committed index when it began
  absl::btree_map<uint64_t, Entry> committed;
  absl::btree_map<uint64_t, NodeIndex> leaders;  // term -> leader
  std::vector<std::string> violations;
};

TEST_CASE("Raft: a calm cluster elects one leader and commits what it proposes", "[kit][raft]") {
  for (uint32_t n : {1u, 3u, 5u}) {
    Cluster c(n, 1, Config{});
    for (int t = 0; t < 200; ++t) {
      c.Step();
      if (t % 5 == 0) c.Propose();
    }
    INFO("nodes " << n << " " << (c.violations.empty() ? "" : c.violations[0]));
    CHECK(c.violations.empty());
    CHECK(c.leaders.size() == 1);  // one election, one term
    CHECK(c.committed.size() > 30);
    for (const auto& node : c.nodes) CHECK(node.core->commit() + 3 >= c.committed.size());  // everyone follows
  }
}

TEST_CASE("Raft: a node cut off for many election timeouts does not depose the leader when it returns", "[kit][raft]") {
  // Pre-vote (raft_core.h): alone, the follower never gets a majority of
  // pre-votes, so it never raises its term; back, its pre-votes are
  // refused while the leader is heard. Without pre-vote its term climbs
  // every timeout and its first message after the cut deposes the leader.
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Cluster c(5, seed, Config{});
    c.lossy = false;  // so that nothing but the returning node could cause an election
    for (int t = 0; t < 100; ++t) c.Step();
    REQUIRE(c.leaders.size() == 1);
    const uint64_t term = c.leaders.begin()->first;
    const NodeIndex away = (c.leaders.begin()->second + 1) % 5;  // a follower
    c.side.assign(5, 0);
    c.side[away] = 1;
    for (int t = 0; t < 400; ++t) {  // 20 or more election timeouts
      c.Step();
      if (t % 5 == 0) c.Propose();
    }
    CHECK(c.nodes[away].core->term() == term);
    c.side.clear();
    for (int t = 0; t < 200; ++t) {
      c.Step();
      if (t % 5 == 0) c.Propose();
    }
    INFO("seed " << seed);
    CHECK(c.violations.empty());
    CHECK(c.leaders.size() == 1);  // still the first leader, in its term
    CHECK(c.nodes[away].core->commit() + 5 >= c.committed.size());  // and the returned node caught up
  }
}

// The leader of a calm cluster that has committed its no-op, or none.
std::optional<NodeIndex> ReadyLeader(Cluster& c, int ticks) {
  for (int t = 0; t < ticks; ++t) {
    c.Step();
    for (NodeIndex i = 0; i < c.nodes.size(); ++i) {
      if (c.nodes[i].core->LeaderReady()) return i;
    }
  }
  return std::nullopt;
}

// Heartbeats so rare that only what a test does sends appends.
Config Quiet() {
  Config c;
  c.election_ticks_min = 60;
  c.heartbeat_ticks = 50;
  return c;
}

// A ready leader of `c` whose no-op every follower has answered.
NodeIndex SettledLeader(Cluster& c) {
  const std::optional<NodeIndex> found = ReadyLeader(c, 400);
  REQUIRE(found.has_value());
  for (int t = 0; t < 5; ++t) c.Step();
  return *found;
}

TEST_CASE("Raft: a follower back from a cut gets each missing entry about once", "[kit][raft]") {
  // Every append pipelined to a follower that missed one is rejected.
  // Answering each rejection with a fresh batch from the follower's hint
  // sent the same entries once per rejection; a probing leader answers
  // only the rejection of its one probe. (In order: on a reordering
  // network, pipelined appends that overtake each other are rejected too,
  // and each such rejection costs a probe.)
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Cluster c(5, seed, Config{});
    c.lossy = false;
    c.reorder = false;
    const std::optional<NodeIndex> leader = ReadyLeader(c, 200);
    REQUIRE(leader.has_value());
    const NodeIndex away = (*leader + 1) % 5;
    c.side.assign(5, 0);
    c.side[away] = 1;
    for (int t = 0; t < 60; ++t) {  // pre-vote keeps the leader: `away` never wins a pre-vote
      c.Step();
      c.Propose();
    }
    c.side.clear();
    const uint64_t had = c.nodes[away].core->last_index();
    const uint64_t before = c.entries_delivered[away];
    for (int t = 0; t < 100; ++t) {
      c.Step();
      c.Propose();
    }
    for (int t = 0; t < 20; ++t) c.Step();  // the last ones arrive
    const uint64_t needed = c.nodes[*leader].core->last_index() - had;
    INFO("seed " << seed << ": needed " << needed << ", delivered " << c.entries_delivered[away] - before);
    CHECK(c.violations.empty());
    CHECK(c.nodes[away].core->last_index() == c.nodes[*leader].core->last_index());  // caught up
    CHECK(c.entries_delivered[away] - before <= needed + needed / 4);
  }
}

TEST_CASE("Raft: a read waits for the round in flight and shares the next, which a proposal can carry", "[kit][raft]") {
  Cluster c(5, 1, Quiet());  // only the reads and proposals below send appends
  c.lossy = false;
  const NodeIndex l = SettledLeader(c);
  Core& leader = *c.nodes[l].core;
  auto read = [&](uint64_t id) {
    c.floor[id] = c.committed.empty() ? 0 : c.committed.rbegin()->first;
    Ready r;
    REQUIRE(leader.ReadIndex({id}, &r));
    return c.FinishAndApply(l, std::move(r));
  };
  auto served = [&](uint64_t id) { return std::count(c.served_ids.begin(), c.served_ids.end(), id) == 1; };
  auto step_until = [&](uint64_t id) {
    for (int t = 0; t < 10 && !served(id); ++t) c.Step();
    return served(id);
  };

  CHECK(read(1) == 4);  // a round starts
  CHECK(read(2) == 0);  // one is in flight: these wait for the next
  CHECK(read(3) == 0);
  const uint64_t appends = c.appends_sent[l];
  REQUIRE(step_until(1));
  REQUIRE(step_until(2));
  REQUIRE(step_until(3));
  CHECK(c.appends_sent[l] == appends + 4);  // 2 and 3 shared one round

  CHECK(read(4) == 4);
  CHECK(read(5) == 0);
  c.Step();  // the proposal leaves a tick after 4's round, so its answers come a tick later
  Ready r;
  REQUIRE(leader.Propose("w", &r) != 0);
  c.FinishAndApply(l, std::move(r));
  const uint64_t with_proposal = c.appends_sent[l];
  REQUIRE(step_until(4));
  CHECK_FALSE(served(5));  // 4's round was sent before 5 arrived: it cannot confirm 5
  REQUIRE(step_until(5));
  CHECK(c.appends_sent[l] == with_proposal);  // the proposal's appends confirmed 5
  CHECK(c.violations.empty());
}

TEST_CASE("Raft: proposals made while an append is in flight reach each follower as one batch", "[kit][raft]") {
  Cluster c(5, 2, Quiet());  // only the proposals below send appends
  c.lossy = false;
  c.reorder = false;
  const NodeIndex l = SettledLeader(c);
  Core& leader = *c.nodes[l].core;
  auto propose = [&](const char* v) {
    Ready r;
    REQUIRE(leader.Propose(v, &r) != 0);
    return c.FinishAndApply(l, std::move(r));
  };
  const uint64_t appends = c.appends_sent[l];
  CHECK(propose("a") == 4);  // nothing in flight: sent at once
  CHECK(propose("b") == 0);  // "a" is unanswered everywhere: these wait
  CHECK(propose("c") == 0);
  for (int t = 0; t < 10; ++t) c.Step();
  CHECK(c.appends_sent[l] == appends + 8);  // "b" and "c" went together, with the answers to "a"
  CHECK(leader.commit() == leader.last_index());
  for (NodeIndex i = 0; i < 5; ++i) CHECK(c.nodes[i].core->last_index() == leader.last_index());

  // A follower whose append was lost gets what waited behind it with the
  // next heartbeat, and is repaired from there.
  const NodeIndex away = (l + 1) % 5;
  c.side.assign(5, 0);
  c.side[away] = 1;
  CHECK(propose("d") == 4);  // the one to `away` is lost
  for (int t = 0; t < 3; ++t) c.Step();
  c.side.clear();
  for (int t = 0; t < 10; ++t) c.Step();
  CHECK(propose("e") == 3);  // `away` still has "d" unanswered
  for (int t = 0; t < 10; ++t) c.Step();
  CHECK(c.nodes[away].core->last_index() < leader.last_index());
  for (int t = 0; t < 60; ++t) c.Step();  // a heartbeat carries "e", rejected, and the probe repairs
  CHECK(c.nodes[away].core->last_index() == leader.last_index());
  CHECK(c.violations.empty());
}

TEST_CASE("Raft: an answer to an append of an earlier term confirms no read", "[kit][raft]") {
  // A follower answers an append of a term older than its own with its
  // term. When that term is the leader's, the append came from before
  // this leadership, maybe from an earlier run of the same node whose
  // rounds counted from zero: its round number means nothing now.
  Cluster c(3, 1, Config{});
  c.lossy = false;
  const std::optional<NodeIndex> found = ReadyLeader(c, 400);
  REQUIRE(found.has_value());
  Core& leader = *c.nodes[*found].core;
  Ready started;
  REQUIRE(leader.ReadIndex({7}, &started));  // its round's appends are never delivered
  leader.Finish(&started);
  Message notice;
  notice.kind = Message::kAppendReply;
  notice.from = (*found + 1) % 3;
  notice.to = *found;
  notice.term = leader.term();
  notice.seq = 1'000'000;  // far ahead of this run's rounds
  notice.rejected = 1;
  notice.stale_term = true;
  CHECK(leader.Step(notice).reads.empty());
  notice.stale_term = false;  // the same answer, to an append of this term
  CHECK(leader.Step(notice).reads.size() == 1);
}

TEST_CASE("Raft: a follower with a long suffix of another term is repaired in a few round trips", "[kit][raft]") {
  // Nodes 0 and 2 hold eight entries of term 3; node 1 eight of term 2
  // (a deposed leader's, never committed). Either of 0 and 2 wins, and
  // must replace node 1's suffix: with hints that skip whole terms it
  // takes a round trip or two, not one per entry.
  Cluster c(3, 1, Config{});
  c.lossy = false;
  c.reorder = false;
  for (NodeIndex i = 0; i < 3; ++i) {
    const uint64_t suffix_term = i == 1 ? 2 : 3;
    c.nodes[i].hs = HardState{3, kNobody};
    c.nodes[i].log = {Entry{1, "a"}, Entry{1, "b"}};
    for (int k = 0; k < 8; ++k) c.nodes[i].log.push_back(Entry{suffix_term, Cat("s", i == 1 ? 2 : 3, "-", k)});
    c.Boot(i);
  }
  for (int t = 0; t < 200; ++t) c.Step();
  INFO((c.violations.empty() ? "" : c.violations[0]));
  CHECK(c.violations.empty());
  REQUIRE(c.leaders.size() == 1);
  const NodeIndex l = c.leaders.begin()->second;
  CHECK(l != 1);
  CHECK(c.nodes[1].core->entries() == c.nodes[l].core->entries());
  CHECK(c.rejections_sent[1] <= 3);  // the first, and heartbeats already on their way
}

TEST_CASE("Raft: safe under loss, partitions and crashes, live once calm", "[kit][raft][property]") {
  // Without compaction, and compacting every 5 entries: followers that
  // fall behind a snapshot must be brought up by it.
  uint64_t installed = 0;
  for (uint64_t seed = 1; seed <= 80; ++seed) {
    Cluster c(5, seed, Config{});
    c.compact_every = seed % 2 == 0 ? 5 : 0;
    for (int t = 0; t < 1500; ++t) {
      c.Chaos();
      c.Step();
      if (t % 3 == 0) c.Propose();
      if (t % 4 == 0) c.Read(false);
    }
    // Calm: everyone up and connected; a leader must commit new proposals.
    c.side.clear();
    for (NodeIndex i = 0; i < c.nodes.size(); ++i) {
      if (!c.nodes[i].up) c.Boot(i);
    }
    const size_t before = c.committed.size();
    for (int t = 0; t < 300; ++t) {
      c.Step();
      if (t % 3 == 0) c.Propose();
    }
    for (int t = 0; t < 60; ++t) c.Step();  // the last proposals land, through loss
    INFO("seed " << seed << ", compacting every " << c.compact_every << ": " << (c.violations.empty() ? "" : c.violations[0]));
    REQUIRE(c.violations.empty());
    CHECK(c.reads_served > 40);
    CHECK(c.committed.size() > before + 20);
    CHECK(c.leaders.size() > 1);  // the chaos did force elections
    // No follower is left behind: each holds everything committed (a
    // leader that kept answering a lagging follower with stale probes
    // would pass the checks above).
    for (const auto& node : c.nodes) CHECK(node.core->last_index() >= c.committed.rbegin()->first);
    for (uint64_t n : c.snapshots_installed) installed += n;
  }
  CHECK(installed > 40);  // the snapshot path ran, often
}

TEST_CASE("Raft: a follower behind the leader's snapshot gets it once and catches up", "[kit][raft]") {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Cluster c(5, seed, Config{});
    c.lossy = false;
    c.reorder = false;
    c.compact_every = 10;
    const std::optional<NodeIndex> leader = ReadyLeader(c, 200);
    REQUIRE(leader.has_value());
    const NodeIndex away = (*leader + 1) % 5;
    c.side.assign(5, 0);
    c.side[away] = 1;
    for (int t = 0; t < 60; ++t) {  // the last proposals commit, and the leader compacts, before the heal
      c.Step();
      if (t < 50) c.Propose();
    }
    const Core& l = *c.nodes[*leader].core;
    REQUIRE(l.snapshot().index > c.nodes[away].core->last_index());  // what it lacks is compacted
    c.side.clear();
    // Caught up before the leader compacts again (a compaction after the
    // snapshot left would rightly send the newer one), then keeps up with
    // appends.
    for (int t = 0; t < 60; ++t) {
      c.Step();
      if (t >= 20 && t < 40) c.Propose();
    }
    INFO("seed " << seed << ": " << (c.violations.empty() ? "" : c.violations[0]));
    CHECK(c.violations.empty());
    CHECK(c.snapshots_installed[away] == 1);
    CHECK(c.nodes[away].core->last_index() == l.last_index());
    CHECK(c.nodes[away].core->commit() + 5 >= l.commit());
    // Restarted from what it persisted, it holds the same.
    c.Boot(away);
    CHECK(c.nodes[away].core->last_index() == l.last_index());
    CHECK(c.nodes[away].core->snapshot().index >= l.snapshot().index - 10);
  }
}

TEST_CASE("Raft: reads served from a leader's own belief are stale under partitions, the check sees it", "[kit][raft][property]") {
  // The same chaos with reads answered at the would-be leader's commit
  // index without confirming it still leads: a deposed leader on the
  // minority side serves old data. Shows the stale-read check above can fail.
  int stale = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Cluster c(5, seed, Config{});
    for (int t = 0; t < 1500 && c.violations.empty(); ++t) {
      c.Chaos();
      c.Step();
      if (t % 3 == 0) c.Propose();
      if (t % 4 == 0) c.Read(true);
    }
    stale += !c.violations.empty() && c.violations[0].starts_with("stale read");
  }
  CHECK(stale >= 5);
}

TEST_CASE("Raft: the planted double self-vote elects two leaders in a term, and is caught", "[kit][raft][planted]") {
  Config bug;
  bug.bug_double_self_vote = true;
  uint64_t caught_at = 0;
  for (uint64_t seed = 1; seed <= 50 && caught_at == 0; ++seed) {
    Cluster c(5, seed, bug);
    for (int t = 0; t < 1500 && c.violations.empty(); ++t) {
      c.Chaos();
      c.Step();
      if (t % 3 == 0) c.Propose();
    }
    if (!c.violations.empty()) caught_at = seed;
  }
  INFO("caught at seed " << caught_at);
  CHECK(caught_at != 0);
}

TEST_CASE("Raft: under the planted double self-vote, compacting every 5 entries, runs go on broken and are caught", "[kit][raft][planted]") {
  // A planted bug must surface through the checks, never through an
  // assertion: each run continues long after its first violation.
  Config bug;
  bug.bug_double_self_vote = true;
  int caught = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Cluster c(5, seed, bug);
    c.compact_every = 5;
    for (int t = 0; t < 1500; ++t) {
      c.Chaos();
      c.Step();
      if (t % 3 == 0) c.Propose();
      if (t % 4 == 0) c.Read(false);
    }
    caught += !c.violations.empty();
  }
  CHECK(caught >= 3);
}

}  // namespace
}  // namespace faultline::kit::raft
