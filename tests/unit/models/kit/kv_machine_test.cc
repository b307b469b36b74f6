#include <catch2/catch.hpp>

#include "models/kit/kv_machine.h"
#include "sim/core/rng.h"
#include "sim/core/strings.h"

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
    KvRequest w;
    switch (rng.Uniform(3)) {
      case 0: w = Write(KvRequest::PUT, key, Cat("v", i), i); break;
      case 1: w = Write(KvRequest::DELETE, key, "", i); break;
      default:
        w = Write(KvRequest::CAS, key, Cat("v", i), i);
        w.set_expected(Cat("v", rng.Uniform(i)));  // mostly a mismatch
        break;
    }
    (void)a.Apply(w, i);
    tokens.push_back(i);
  }
  KvMachine b;
  (void)b.Apply(Write(KvRequest::PUT, "gone", "x", 999), 1);  // replaced, not merged
  REQUIRE(b.Restore(a.Serialize()));
  CHECK(b.Serialize() == a.Serialize());
  ReplicaState sa, sb;
  a.Fill(&sa);
  b.Fill(&sb);
  CHECK(sa.values == sb.values);
  CHECK(sa.versions == sb.versions);
  CHECK_FALSE(b.Answered(999).has_value());
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

}  // namespace
}  // namespace faultline::kit
