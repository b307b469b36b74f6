#include <catch2/catch.hpp>

#include "models/kit/kv_machine.h"
#include "sim/core/rng.h"
#include "sim/core/strings.h"
#include "sim/workload/token.h"

namespace faultline::kit {
namespace {

KvRequest Write(KvRequest::Op op, std::string key, std::string value, uint64_t token) {
  KvRequest r;
  r.set_op(op);
  r.set_key(std::move(key));
  r.set_value(std::move(value));
  r.set_token(token);
  return r;
}

TEST_CASE("KvMachine: a restored snapshot answers every get and every retried token as the original", "[kit][snapshot]") {
  Rng rng(7);
  KvMachine a;
  std::vector<uint64_t> tokens;
  for (uint64_t i = 1; i <= 300; ++i) {
    const std::string key = Cat("k", rng.Uniform(12));
    // 300 sessions, each at its first operation: every answer is kept.
    const uint64_t token = MakeToken(static_cast<uint32_t>(i), 1);
    KvRequest w;
    switch (rng.Uniform(3)) {
      case 0: w = Write(KvRequest::PUT, key, Cat("v", i), token); break;
      case 1: w = Write(KvRequest::DELETE, key, "", token); break;
      default:
        w = Write(KvRequest::CAS, key, Cat("v", i), token);
        w.set_expected(Cat("v", rng.Uniform(i)));  // mostly a mismatch
        break;
    }
    (void)a.Apply(w, i);
    tokens.push_back(token);
  }
  KvMachine b;
  const uint64_t gone = MakeToken(999, 1);
  (void)b.Apply(Write(KvRequest::PUT, "gone", "x", gone), 1);  // replaced, not merged
  REQUIRE(b.Restore(a.Serialize()));
  CHECK(b.Serialize() == a.Serialize());
  ReplicaState sa, sb;
  a.Fill(&sa);
  b.Fill(&sb);
  CHECK(sa.values == sb.values);
  CHECK(sa.versions == sb.versions);
  CHECK_FALSE(b.Answered(gone).has_value());
  size_t mismatches = 0;
  for (uint64_t t : tokens) {
    REQUIRE(b.Answered(t).has_value());
    CHECK(b.Answered(t)->code() == a.Answered(t)->code());
    mismatches += a.Answered(t)->code() == KvResponse::CAS_MISMATCH;
  }
  CHECK(mismatches > 10);  // both answers are kept

  CHECK_FALSE(b.Restore("\xff\xff not a snapshot"));
  CHECK(b.Serialize() == a.Serialize());  // unchanged by the failed restore
}

TEST_CASE("KvMachine: a late duplicate of a session's earlier write is stale and changes nothing, also after a restore", "[kit][snapshot][sessions]") {
  KvMachine a;
  const uint64_t first = MakeToken(3, 1), second = MakeToken(3, 2);
  CHECK(a.Apply(Write(KvRequest::PUT, "k", "a", first), 1).code() == KvResponse::OK);
  CHECK(a.Apply(Write(KvRequest::PUT, "k", "a", first), 2).code() == KvResponse::OK);  // a retry: its answer
  CHECK(a.Apply(Write(KvRequest::PUT, "k", "b", second), 3).code() == KvResponse::OK);
  // The first write again, after the session moved on: it must not undo
  // the second, though its answer is no longer kept.
  CHECK(a.Apply(Write(KvRequest::PUT, "k", "a", first), 4).code() == KvResponse::STALE);
  CHECK(a.Get("k").value() == "b");
  CHECK(a.Answered(first)->code() == KvResponse::STALE);
  CHECK(a.Answered(second)->code() == KvResponse::OK);

  KvMachine b;
  REQUIRE(b.Restore(a.Serialize()));
  CHECK(b.Apply(Write(KvRequest::PUT, "k", "a", first), 5).code() == KvResponse::STALE);
  CHECK(b.Apply(Write(KvRequest::PUT, "k", "c", second), 6).code() == KvResponse::OK);  // answered, not applied
  CHECK(b.Get("k").value() == "b");
}

TEST_CASE("KvMachine: a snapshot's size follows the sessions, not the writes", "[kit][snapshot][sessions]") {
  KvMachine a;
  uint64_t version = 0;
  for (uint32_t op = 1; op <= 2000; ++op) {
    for (uint32_t s = 1; s <= 5; ++s) {
      REQUIRE(a.Apply(Write(KvRequest::PUT, Cat("k", s), Cat("v", op), MakeToken(s, op)), ++version).code() == KvResponse::OK);
    }
  }
  KvSnapshot snap;
  REQUIRE(snap.ParseFromString(a.Serialize()));
  CHECK(snap.ok_tokens_size() == 5);  // 10,000 writes, 5 sessions
  CHECK(snap.slots_size() == 5);
}

}  // namespace
}  // namespace faultline::kit
