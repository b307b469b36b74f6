// Serialization for the wire.
//
// Determinism: protobuf's default serializer writes map fields in hash
// order, and the installed protobuf seeds that hash per process, so the same
// message would give different bytes (and trace hashes) in two runs.
// Everything that reaches the simulated network goes through this file.
// scripts/tidy bans the raw Serialize* calls in sim/ and models/.
//
// Speed: an Envelope (envelope.proto) carries each message. Encoding writes
// header and payload in one pass into one buffer, and decoding finds the
// payload inside the received bytes without copying it. The header is
// written and read by hand (protobuf writes the payload message); both are
// tested and fuzzed to agree byte for byte with the code protoc generates
// for Envelope, which stays the schema.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/message_lite.h"
#include "sim/core/assert.h"

namespace faultline {

void SerializeDeterministic(const google::protobuf::MessageLite& msg, std::string* out);

inline std::string SerializeDeterministic(const google::protobuf::MessageLite& msg) {
  std::string out;
  SerializeDeterministic(msg, &out);
  return out;
}

// wire::Envelope::Kind, checked against the generated enum in wire.cc.
inline constexpr int32_t kEnvelopeOneWay = 0;
inline constexpr int32_t kEnvelopeRequest = 1;
inline constexpr int32_t kEnvelopeResponse = 2;

// Received bytes and where the method and the payload lie in them. Offsets,
// not views: moving a short std::string moves its characters, and views
// would dangle.
class WirePayload {
 public:
  // REQUIRES: both views lie inside `bytes` (or are empty). An rvalue
  // reference, so offsets are taken against the caller's string before it
  // is moved.
  WirePayload(std::string&& bytes, std::string_view method, std::string_view payload)
      : method_(Span::Of(bytes, method)), payload_(Span::Of(bytes, payload)),
        bytes_(std::move(bytes)) {}
  std::string_view method() const { return method_.In(bytes_); }
  std::string_view payload() const { return payload_.In(bytes_); }

 private:
  struct Span {
    uint32_t offset;
    uint32_t size;
    static Span Of(const std::string& bytes, std::string_view part) {
      if (part.empty()) return Span{0, 0};  // an absent field has no address
      SIM_ASSERT_MSG(part.data() >= bytes.data() &&
                         part.data() + part.size() <= bytes.data() + bytes.size(),
                     "WirePayload: a view is not inside the bytes");
      return Span{static_cast<uint32_t>(part.data() - bytes.data()),
                  static_cast<uint32_t>(part.size())};
    }
    std::string_view In(const std::string& bytes) const {
      return std::string_view(bytes).substr(offset, size);
    }
  };
  Span method_;  // both computed before bytes_ is moved in (declared first)
  Span payload_;
  std::string bytes_;
};

// The fields of wire::Envelope other than its payload. Views point into
// the caller's strings (encoding) or into the decoded bytes (decoding).
struct EnvelopeHeader {
  uint32_t src = 0;
  uint32_t dst = 0;
  uint64_t rpc_id = 0;
  int32_t kind = 0;  // wire::Envelope::Kind
  std::string_view method;
  uint32_t error = 0;
  std::string_view error_message;
};

// `out` becomes exactly the deterministic serialization of the Envelope
// with this header and payload = the deterministic serialization of
// `payload` (or the bytes `payload_bytes`).
void EncodeEnvelope(const EnvelopeHeader& h, const google::protobuf::MessageLite& payload,
                    std::string* out);
void EncodeEnvelope(const EnvelopeHeader& h, std::string_view payload_bytes, std::string* out);

// Parses `bytes` as an Envelope. On success `payload` views the payload
// inside `bytes`. Accepts and rejects exactly what wire::Envelope's
// generated parser accepts and rejects; unknown fields are skipped.
bool DecodeEnvelope(std::string_view bytes, EnvelopeHeader* h, std::string_view* payload);

}  // namespace faultline
