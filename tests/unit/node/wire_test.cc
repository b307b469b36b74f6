// The envelope codec must agree byte for byte with protoc's generated code
// for wire::Envelope: encoding gives the same bytes, and decoding accepts
// and rejects the same inputs, including mutated and truncated ones.
#include <catch2/catch.hpp>

#include "sim/core/rng.h"
#include "sim/node/envelope.pb.h"
#include "sim/node/wire.h"
#include "tests/unit/node/test_messages.pb.h"

namespace faultline {
namespace {

std::string RandomBytes(Rng& rng, size_t max) {
  std::string s(rng.Uniform(max + 1), '\0');
  for (char& c : s) c = static_cast<char>(rng.Uniform(256));
  return s;
}

// A random header; each field is often left at its default (not written).
wire::Envelope RandomEnvelope(Rng& rng) {
  wire::Envelope e;
  auto maybe = [&] { return rng.Chance(2, 3); };
  if (maybe()) e.set_src(static_cast<uint32_t>(rng.Next() >> rng.Uniform(64)));
  if (maybe()) e.set_dst(static_cast<uint32_t>(rng.Uniform(100'000)));
  if (maybe()) e.set_rpc_id(rng.Next() >> rng.Uniform(64));
  if (maybe()) {  // proto3 enums are open: any int32, negatives in ten bytes
    int32_t k = rng.Chance(1, 4) ? static_cast<int32_t>(rng.Next()) : static_cast<int32_t>(rng.Uniform(3));
    e.set_kind(static_cast<wire::Envelope::Kind>(k));
  }
  if (maybe()) e.set_method(RandomBytes(rng, 20));
  if (maybe()) e.set_error(static_cast<uint32_t>(rng.Uniform(9)));
  if (maybe()) e.set_error_message(RandomBytes(rng, 40));
  if (maybe()) e.set_payload(RandomBytes(rng, 300));
  return e;
}

EnvelopeHeader HeaderOf(const wire::Envelope& e) {
  return EnvelopeHeader{.src = e.src(), .dst = e.dst(), .rpc_id = e.rpc_id(), .kind = e.kind(),
                        .method = e.method(), .error = e.error(),
                        .error_message = e.error_message()};
}

TEST_CASE("EncodeEnvelope writes exactly what protoc's serializer writes", "[wire]") {
  Rng rng(1);
  for (int i = 0; i < 5000; ++i) {
    wire::Envelope e = RandomEnvelope(rng);
    std::string ours;
    EncodeEnvelope(HeaderOf(e), e.payload(), &ours);
    REQUIRE(ours == SerializeDeterministic(e));
  }
  // From a message rather than bytes: the payload is serialized in place.
  test::Num n;
  n.set_v(-12345);
  wire::Envelope e;
  e.set_src(3);
  e.set_kind(wire::Envelope::REQUEST);
  e.set_payload(SerializeDeterministic(n));
  std::string ours;
  EncodeEnvelope(HeaderOf(e), n, &ours);
  CHECK(ours == SerializeDeterministic(e));
}

TEST_CASE("DecodeEnvelope agrees with protoc's parser on valid and broken bytes", "[wire]") {
  Rng rng(2);
  int accepted = 0, rejected = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string bytes = SerializeDeterministic(RandomEnvelope(rng));
    switch (rng.Uniform(4)) {
      case 0: break;  // intact
      case 1:
        if (!bytes.empty()) bytes[rng.Uniform(bytes.size())] ^= static_cast<char>(1 + rng.Uniform(255));
        break;
      case 2: bytes.resize(rng.Uniform(bytes.size() + 1)); break;
      default: bytes += RandomBytes(rng, 8); break;
    }
    wire::Envelope reference;
    bool want = reference.ParseFromString(bytes);
    EnvelopeHeader h;
    std::string_view payload;
    bool got = DecodeEnvelope(bytes, &h, &payload);
    std::string hex;
    for (unsigned char c : bytes) {
      char b[4];
      std::snprintf(b, sizeof b, "%02x ", c);
      hex += b;
    }
    INFO("case " << i << ": " << hex);
    REQUIRE(got == want);
    (want ? accepted : rejected)++;
    if (!want) continue;
    REQUIRE(h.src == reference.src());
    REQUIRE(h.dst == reference.dst());
    REQUIRE(h.rpc_id == reference.rpc_id());
    REQUIRE(h.kind == static_cast<int32_t>(reference.kind()));
    REQUIRE(h.method == reference.method());
    REQUIRE(h.error == reference.error());
    REQUIRE(h.error_message == reference.error_message());
    REQUIRE(payload == reference.payload());
  }
  CHECK(accepted > 1000);  // both sides of the agreement were exercised
  CHECK(rejected > 1000);
}

TEST_CASE("Method and payload views survive moving a short wire string", "[wire]") {
  // 11 bytes: short enough for std::string's inline buffer, which moves.
  wire::Envelope e;
  e.set_src(1);
  e.set_method("m");
  e.set_payload("abc");
  std::string bytes = SerializeDeterministic(e);
  REQUIRE(bytes.size() < 16);
  EnvelopeHeader h;
  std::string_view payload;
  REQUIRE(DecodeEnvelope(bytes, &h, &payload));
  WirePayload w(std::move(bytes), h.method, payload);
  WirePayload moved = std::move(w);
  CHECK(moved.method() == "m");
  CHECK(moved.payload() == "abc");
}

}  // namespace
}  // namespace faultline
