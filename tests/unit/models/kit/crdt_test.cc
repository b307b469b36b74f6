#include <catch2/catch.hpp>

#include <set>

#include "models/kit/crdt.h"
#include "sim/core/rng.h"
#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

// Three replicas take random updates and merge each other's states at
// random. Alongside, each replica's causal history (the updates it has
// seen) gives the reference answer: an element is in the set iff some add
// of it was not seen by any remove of it; the register holds exactly the
// writes no other write has seen; the counter is the sum of all deltas seen.
struct Update {
  enum Kind { kAdd, kRemove, kWrite, kIncr } kind;
  std::string what;
  int64_t delta = 0;
  std::set<size_t> saw;  // updates seen by the replica when it made this one
};

struct Replica {
  OrSet set;
  MvRegister reg;
  PnCounter counter;
  std::set<size_t> seen;
  bool operator==(const Replica& o) const { return set == o.set && reg == o.reg && counter == o.counter; }
  void Merge(const Replica& o) {
    set.Merge(o.set);
    reg.Merge(o.reg);
    counter.Merge(o.counter);
    seen.insert(o.seen.begin(), o.seen.end());
  }
};

struct World {
  std::vector<Replica> replicas{3};
  std::vector<Update> updates;
  std::vector<Replica> snapshots;  // states along the way, for the laws

  void Step(Rng& rng) {
    const auto r = static_cast<size_t>(rng.Uniform(3));
    Replica& me = replicas[r];
    const auto node = static_cast<ReplicaId>(r);
    const std::string e = Cat("e", rng.Uniform(4));
    Update u{Update::kAdd, e, 0, me.seen};
    switch (rng.Uniform(5)) {
      case 0: u.kind = Update::kAdd; me.set.Add(node, e); break;
      case 1: u.kind = Update::kRemove; me.set.Remove(e); break;
      case 2: u.kind = Update::kWrite; u.what = Cat("v", updates.size()); me.reg.Write(node, u.what); break;
      case 3: u.kind = Update::kIncr; u.delta = static_cast<int64_t>(rng.Range(-3, 3)); me.counter.Add(node, u.delta); break;
      default: me.Merge(replicas[static_cast<size_t>(rng.Uniform(3))]); return;
    }
    me.seen.insert(updates.size());
    updates.push_back(std::move(u));
    snapshots.push_back(me);
  }

  // The reference answers for a replica's causal history.
  std::vector<std::string> ExpectedSet(const Replica& r) const {
    std::set<std::string> out;
    for (size_t a : r.seen) {
      if (updates[a].kind != Update::kAdd) continue;
      bool removed = false;
      for (size_t x : r.seen) {
        removed = removed || (updates[x].kind == Update::kRemove && updates[x].what == updates[a].what &&
                              updates[x].saw.contains(a));
      }
      if (!removed) out.insert(updates[a].what);
    }
    return {out.begin(), out.end()};
  }
  std::vector<std::string> ExpectedRegister(const Replica& r) const {
    std::set<std::string> out;
    for (size_t w : r.seen) {
      if (updates[w].kind != Update::kWrite) continue;
      bool covered = false;
      for (size_t x : r.seen) covered = covered || (updates[x].kind == Update::kWrite && updates[x].saw.contains(w));
      if (!covered) out.insert(updates[w].what);
    }
    return {out.begin(), out.end()};
  }
  int64_t ExpectedCount(const Replica& r) const {
    int64_t sum = 0;
    for (size_t u : r.seen) sum += updates[u].kind == Update::kIncr ? updates[u].delta : 0;
    return sum;
  }
};

TEST_CASE("CRDTs: every replica's value is what its causal history says", "[kit][crdt][property]") {
  Rng rng(21);
  for (int round = 0; round < 300; ++round) {
    World w;
    for (int step = 0; step < 40; ++step) {
      w.Step(rng);
      for (const Replica& r : w.replicas) {
        REQUIRE(r.set.Elements() == w.ExpectedSet(r));
        REQUIRE(r.reg.Values() == w.ExpectedRegister(r));
        REQUIRE(r.counter.Value() == w.ExpectedCount(r));
      }
    }
    // Everyone merges everything: one state.
    Replica all;
    for (const Replica& r : w.replicas) all.Merge(r);
    for (Replica& r : w.replicas) r.Merge(all);
    REQUIRE(w.replicas[0] == w.replicas[1]);
    REQUIRE(w.replicas[1] == w.replicas[2]);
    REQUIRE(w.replicas[0].set.Elements() == w.ExpectedSet(w.replicas[0]));
  }
}

TEST_CASE("CRDTs: merge is commutative, associative and idempotent", "[kit][crdt][property]") {
  Rng rng(22);
  for (int round = 0; round < 200; ++round) {
    World w;
    for (int step = 0; step < 30; ++step) w.Step(rng);
    if (w.snapshots.size() < 3) continue;
    auto pick = [&] { return w.snapshots[static_cast<size_t>(rng.Uniform(w.snapshots.size()))]; };
    for (int k = 0; k < 20; ++k) {
      const Replica a = pick(), b = pick(), c = pick();
      Replica ab = a, ba = b;
      ab.Merge(b);
      ba.Merge(a);
      REQUIRE(ab == ba);
      Replica ab_c = ab, a_bc = a, bc = b;
      ab_c.Merge(c);
      bc.Merge(c);
      a_bc.Merge(bc);
      REQUIRE(ab_c == a_bc);
      Replica aa = a;
      aa.Merge(a);
      REQUIRE(aa == a);
    }
  }
}

TEST_CASE("OR-set: add wins over a concurrent remove, a seen add is removed", "[kit][crdt]") {
  OrSet a, b;
  a.Add(0, "x");
  b.Merge(a);
  b.Remove("x");  // saw the add: removes it
  a.Add(0, "x");  // concurrent with the remove: survives it
  OrSet m = a;
  m.Merge(b);
  CHECK(m.Elements() == std::vector<std::string>{"x"});
  OrSet only_seen = b;
  only_seen.Merge(OrSet{});
  CHECK(only_seen.Elements().empty());
  MvRegister r1, r2;
  r1.Write(0, "a");
  r2.Write(1, "b");
  r1.Merge(r2);
  CHECK(r1.Values() == std::vector<std::string>{"a", "b"});  // siblings
  r1.Write(0, "c");
  CHECK(r1.Values() == std::vector<std::string>{"c"});       // a later write covers both
  CHECK(r1.context().ToString() == "{n0:2 n1:1}");
}

}  // namespace
}  // namespace faultline::kit
