// Fuzzes the envelope decoder against protoc's generated parser: both must
// accept and reject the same bytes and read the same fields; what is
// accepted re-encodes to what the generated serializer writes.
#include <string>
#include <string_view>

#include "sim/node/envelope.pb.h"
#include "sim/node/wire.h"
#include "tests/fuzz/fuzz_target.h"

namespace faultline {

FAULTLINE_FUZZ_TARGET(FuzzEnvelope) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  wire::Envelope reference;
  bool want = reference.ParseFromArray(data, static_cast<int>(size));
  EnvelopeHeader h;
  std::string_view payload;
  bool got = DecodeEnvelope(bytes, &h, &payload);
  FUZZ_CHECK(got == want);
  if (!got) return 0;
  FUZZ_CHECK(h.src == reference.src() && h.dst == reference.dst() &&
             h.rpc_id == reference.rpc_id() && h.kind == static_cast<int32_t>(reference.kind()) &&
             h.method == reference.method() && h.error == reference.error() &&
             h.error_message == reference.error_message() && payload == reference.payload());
  reference.DiscardUnknownFields();  // our encoder writes known fields only
  std::string ours;
  EncodeEnvelope(h, payload, &ours);
  FUZZ_CHECK(ours == SerializeDeterministic(reference));
  return 0;
}

}  // namespace faultline
