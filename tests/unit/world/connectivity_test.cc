#include <catch2/catch.hpp>

#include "sim/core/rng.h"
#include "sim/world/connectivity.h"

namespace faultline {
namespace {

std::vector<NodeId> Ids(std::initializer_list<uint32_t> v) {
  std::vector<NodeId> out;
  for (uint32_t x : v) out.push_back(NodeId(x));
  return out;
}

bool Link(const Connectivity& c, uint32_t a, uint32_t b) { return c.Allows(NodeId(a), NodeId(b)); }

TEST_CASE("Full connectivity allows everything", "[connectivity]") {
  Connectivity c = Connectivity::Full();
  CHECK(c.full());
  CHECK(c.CountCut(5) == 0);
}

TEST_CASE("Halves split floor(n/2) from the rest", "[connectivity]") {
  Connectivity c = Connectivity::Halves(5, Ids({0, 1, 2, 3, 4}));
  CHECK(Link(c, 0, 1));
  CHECK_FALSE(Link(c, 1, 2));
  CHECK(Link(c, 2, 4));
  CHECK(c.CountCut(5) == 2 * 2 * 3);
}

TEST_CASE("Isolate cuts one node both ways", "[connectivity]") {
  Connectivity c = Connectivity::Isolate(4, NodeId(2));
  CHECK_FALSE(Link(c, 2, 0));
  CHECK_FALSE(Link(c, 0, 2));
  CHECK(Link(c, 0, 3));
  CHECK(Link(c, 2, 2));
}

TEST_CASE("A bridge node reaches both halves, which do not reach each other", "[connectivity]") {
  Connectivity c = Connectivity::Bridge(5, Ids({0, 1, 2, 3, 4}));  // 2 is the bridge
  CHECK(Link(c, 0, 2));
  CHECK(Link(c, 2, 4));
  CHECK_FALSE(Link(c, 0, 4));
  CHECK_FALSE(Link(c, 1, 3));
}

TEST_CASE("Majorities ring: each node sees a different majority", "[connectivity]") {
  Connectivity c = Connectivity::MajoritiesRing(5, Ids({0, 1, 2, 3, 4}));
  std::vector<uint32_t> seen_sets;
  for (uint32_t a = 0; a < 5; ++a) {
    int sees = 0;
    uint32_t set = 0;
    for (uint32_t b = 0; b < 5; ++b) {
      if (Link(c, a, b)) {
        ++sees;
        set |= 1u << b;
      }
    }
    CHECK(sees == 3);  // a majority of 5
    seen_sets.push_back(set);
  }
  std::sort(seen_sets.begin(), seen_sets.end());
  CHECK(std::unique(seen_sets.begin(), seen_sets.end()) == seen_sets.end());
  CHECK_FALSE(Link(c, 0, 2));
  CHECK(Link(c, 0, 4));  // wraps around
}

TEST_CASE("Arbitrary groups, and their limits", "[connectivity][bad-input]") {
  Result<Connectivity> c = Connectivity::Groups(4, {Ids({0, 1}), Ids({2})});
  REQUIRE(c.ok());
  CHECK(Link(*c, 0, 1));
  CHECK_FALSE(Link(*c, 0, 2));
  CHECK_FALSE(Link(*c, 3, 0));  // in no group: isolated
  Result<Connectivity> bad = Connectivity::Groups(2, {Ids({0, 5})});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("names node #5") != std::string::npos);
  std::vector<std::vector<NodeId>> many(65, Ids({0}));
  CHECK_FALSE(Connectivity::Groups(2, many).ok());
}

TEST_CASE("Groups mean shared membership, however many distinct masks", "[connectivity]") {
  // Few groups (the compact per-node byte form) and 64 groups joined at
  // random (over 256 distinct masks: the per-node mask form), against the
  // definition: a reaches b iff they share a group, or a == b.
  Rng rng(5);
  for (size_t group_count : {3, 64}) {
    const uint32_t n = 600;
    std::vector<std::vector<NodeId>> groups(group_count);
    std::vector<std::vector<bool>> member(n, std::vector<bool>(group_count));
    for (uint32_t v = 0; v < n; ++v) {
      for (size_t g = 0; g < group_count; ++g) {
        if (rng.Chance(1, 3)) {
          groups[g].push_back(NodeId(v));
          member[v][g] = true;
        }
      }
    }
    Result<Connectivity> c = Connectivity::Groups(n, groups);
    REQUIRE(c.ok());
    for (int i = 0; i < 20'000; ++i) {
      uint32_t a = static_cast<uint32_t>(rng.Uniform(n + 2));  // beyond n: in no group
      uint32_t b = static_cast<uint32_t>(rng.Uniform(n + 2));
      bool shared = a == b;
      for (size_t g = 0; g < group_count && a < n && b < n; ++g) {
        shared = shared || (member[a][g] && member[b][g]);
      }
      REQUIRE(Link(*c, a, b) == shared);
    }
  }
}

TEST_CASE("One-way blocks compose with groups", "[connectivity]") {
  Connectivity c = Connectivity::Full();
  c.BlockOneWay(NodeId(0), NodeId(1));
  CHECK_FALSE(Link(c, 0, 1));
  CHECK(Link(c, 1, 0));
  CHECK(c.CountCut(3) == 1);
}

}  // namespace
}  // namespace faultline
