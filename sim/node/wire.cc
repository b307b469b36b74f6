#include "sim/node/wire.h"

#include <cstring>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "sim/core/assert.h"
#include "sim/node/envelope.pb.h"

namespace faultline {

namespace io = google::protobuf::io;
using google::protobuf::internal::WireFormatLite;

namespace {

// Sized once, written in place through a deterministic stream: a growing
// StringOutputStream re-zeroes and re-sizes the string several times per
// small message (a fifth of PHOLD's time before this). `write` must write
// exactly `size` bytes.
template <typename Write>
void WriteSized(size_t size, std::string* out, Write write) {
  out->resize(size);
  io::ArrayOutputStream array(out->data(), static_cast<int>(size));
  io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  write(coded);
  SIM_ASSERT_MSG(!coded.HadError() && static_cast<size_t>(coded.ByteCount()) == size,
                 "a protobuf message failed to serialize");
}

}  // namespace

void SerializeDeterministic(const google::protobuf::MessageLite& msg, std::string* out) {
  const size_t size = msg.ByteSizeLong();  // caches sizes for the write
  // tidy:allow(proto-serialize) the stream WriteSized hands us is deterministic
  WriteSized(size, out, [&](io::CodedOutputStream& c) { msg.SerializeWithCachedSizes(&c); });
}

static_assert(kEnvelopeOneWay == wire::Envelope::ONEWAY);
static_assert(kEnvelopeRequest == wire::Envelope::REQUEST);
static_assert(kEnvelopeResponse == wire::Envelope::RESPONSE);

namespace {

// Field numbers of wire::Envelope (envelope.proto).
enum Field : int { kSrc = 1, kDst, kRpcId, kKind, kMethod, kError, kErrorMessage, kPayload };

constexpr uint32_t Tag(int field, WireFormatLite::WireType type) {
  return static_cast<uint32_t>(field << 3) | static_cast<uint32_t>(type);
}
constexpr auto kVarint = WireFormatLite::WIRETYPE_VARINT;
constexpr auto kBytes = WireFormatLite::WIRETYPE_LENGTH_DELIMITED;

// The header is written by hand (a CodedOutputStream per field cost a
// tenth of PHOLD's instructions); protobuf writes only the payload message.
// wire_test and the envelope fuzzer hold the bytes to protoc's.
size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

char* PutVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// An int32 enum is written as its 64-bit sign extension (ten bytes if
// negative), as protoc does.
uint64_t SignExtended(int32_t v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); }

size_t VarintFieldSize(uint64_t v) { return v == 0 ? 0 : 1 + VarintSize(v); }
size_t BytesFieldSize(size_t n) { return n == 0 ? 0 : 1 + VarintSize(n) + n; }

char* PutVarintField(char* p, int field, uint64_t v) {
  if (v == 0) return p;
  *p++ = static_cast<char>(Tag(field, kVarint));
  return PutVarint(p, v);
}

char* PutBytesField(char* p, int field, std::string_view s) {
  if (s.empty()) return p;
  *p++ = static_cast<char>(Tag(field, kBytes));
  p = PutVarint(p, s.size());
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Header size, and writing, in field order with proto3's rule that default
// values are not written: the order and rule protoc's serializer follows.
size_t HeaderSize(const EnvelopeHeader& h) {
  return VarintFieldSize(h.src) + VarintFieldSize(h.dst) + VarintFieldSize(h.rpc_id) +
         VarintFieldSize(SignExtended(h.kind)) + BytesFieldSize(h.method.size()) +
         VarintFieldSize(h.error) + BytesFieldSize(h.error_message.size());
}

char* PutHeader(char* p, const EnvelopeHeader& h) {
  p = PutVarintField(p, kSrc, h.src);
  p = PutVarintField(p, kDst, h.dst);
  p = PutVarintField(p, kRpcId, h.rpc_id);
  p = PutVarintField(p, kKind, SignExtended(h.kind));
  p = PutBytesField(p, kMethod, h.method);
  p = PutVarintField(p, kError, h.error);
  return PutBytesField(p, kErrorMessage, h.error_message);
}

// `out` becomes header, payload tag and length, then `payload_size` bytes
// from write(char* at).
template <typename WritePayload>
void Encode(const EnvelopeHeader& h, size_t payload_size, WritePayload write, std::string* out) {
  SIM_ASSERT_MSG(payload_size <= static_cast<size_t>(INT32_MAX), "payload over 2 GiB");
  const size_t size = HeaderSize(h) + BytesFieldSize(payload_size);
  out->resize(size);
  char* p = PutHeader(out->data(), h);
  if (payload_size != 0) {
    *p++ = static_cast<char>(Tag(kPayload, kBytes));
    p = PutVarint(p, payload_size);
    write(p);
    p += payload_size;
  }
  SIM_ASSERT(p == out->data() + size);
}

// The limits of protoc's generated parser (google/protobuf/parse_context):
// a tag or a length is at most five bytes, a length below 2^31 - 16, and
// groups nest at most 100 deep. A varint is at most ten bytes; bits past
// the 64th are dropped.
constexpr int kMaxGroupDepth = 100;

// A cursor over the received bytes. Hand-rolled rather than protobuf's
// CodedInputStream, whose set-up and out-of-line varint reads were a fifth
// of PHOLD's instructions; the fuzzer holds both to the generated parser.
struct Reader {
  const uint8_t* p;
  const uint8_t* end;

  bool AtEnd() const { return p == end; }
  size_t left() const { return static_cast<size_t>(end - p); }
  bool Varint(uint64_t* v, int max_bytes = 10) {
    if (p != end && *p < 0x80) {  // one byte: every tag and most values here
      *v = *p++;
      return true;
    }
    uint64_t result = 0;
    for (int i = 0; i < max_bytes && p != end; ++i) {
      const uint8_t b = *p++;
      result |= uint64_t{b & 0x7fu} << (7 * i);
      if (b < 0x80) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool Tag(uint32_t* tag) {
    uint64_t v;
    if (!Varint(&v, 5)) return false;
    *tag = static_cast<uint32_t>(v);  // protoc keeps the low 32 bits
    return true;
  }
  bool Length(uint32_t* length) {
    uint64_t v;
    if (!Varint(&v, 5) || v > static_cast<uint64_t>(INT32_MAX) - 16) return false;
    *length = static_cast<uint32_t>(v);
    return true;
  }
  bool Skip(size_t n) {
    if (n > left()) return false;
    p += n;
    return true;
  }
  bool Bytes(std::string_view* out) {
    uint32_t length;
    if (!Length(&length) || length > left()) return false;
    *out = std::string_view(reinterpret_cast<const char*>(p), length);
    p += length;
    return true;
  }
};

// Skips an unknown field whose tag was just read. Groups recurse, bounded.
bool SkipUnknown(Reader& in, uint32_t tag, int depth) {
  switch (WireFormatLite::GetTagWireType(tag)) {
    case WireFormatLite::WIRETYPE_VARINT: {
      uint64_t ignored;
      return in.Varint(&ignored);
    }
    case WireFormatLite::WIRETYPE_FIXED64: return in.Skip(8);
    case WireFormatLite::WIRETYPE_FIXED32: return in.Skip(4);
    case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
      uint32_t length;
      return in.Length(&length) && in.Skip(length);
    }
    case WireFormatLite::WIRETYPE_START_GROUP: {
      if (depth >= kMaxGroupDepth) return false;
      for (;;) {
        uint32_t inner;
        if (!in.Tag(&inner) || inner == 0) return false;
        if (WireFormatLite::GetTagFieldNumber(inner) == 0) return false;
        if (WireFormatLite::GetTagWireType(inner) == WireFormatLite::WIRETYPE_END_GROUP) {
          return WireFormatLite::GetTagFieldNumber(inner) == WireFormatLite::GetTagFieldNumber(tag);
        }
        if (!SkipUnknown(in, inner, depth + 1)) return false;
      }
    }
    default: return false;  // end group out of place, or wire types 6 and 7
  }
}

}  // namespace

void EncodeEnvelope(const EnvelopeHeader& h, const google::protobuf::MessageLite& payload,
                    std::string* out) {
  const size_t payload_size = payload.ByteSizeLong();  // caches sizes for the write
  Encode(h, payload_size, [&](char* at) {
    io::ArrayOutputStream array(at, static_cast<int>(payload_size));
    io::CodedOutputStream coded(&array);
    coded.SetSerializationDeterministic(true);
    // tidy:allow(proto-serialize) the stream is deterministic (line above)
    payload.SerializeWithCachedSizes(&coded);
    SIM_ASSERT_MSG(!coded.HadError() && static_cast<size_t>(coded.ByteCount()) == payload_size,
                   "a protobuf message failed to serialize");
  }, out);
}

void EncodeEnvelope(const EnvelopeHeader& h, std::string_view payload_bytes, std::string* out) {
  Encode(h, payload_bytes.size(),
         [&](char* at) { std::memcpy(at, payload_bytes.data(), payload_bytes.size()); }, out);
}

// As protoc's parser: the last occurrence of a field wins; a known field
// with the wrong wire type is an unknown field; unknown fields are skipped;
// a tag of 0, field number 0, or an end-group tag at top level fails the
// parse; tags, lengths and group depth follow protoc's limits (above).
bool DecodeEnvelope(std::string_view bytes, EnvelopeHeader* h, std::string_view* payload) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return false;
  *h = EnvelopeHeader{};
  *payload = std::string_view();
  const auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
  Reader in{begin, begin + bytes.size()};
  while (!in.AtEnd()) {
    uint32_t tag;
    if (!in.Tag(&tag)) return false;
    uint64_t v = 0;
    bool ok;
    switch (tag) {  // a known field with its own wire type; all else below
      case Tag(kSrc, kVarint): ok = in.Varint(&v); h->src = static_cast<uint32_t>(v); break;
      case Tag(kDst, kVarint): ok = in.Varint(&v); h->dst = static_cast<uint32_t>(v); break;
      case Tag(kRpcId, kVarint): ok = in.Varint(&h->rpc_id); break;
      case Tag(kKind, kVarint): ok = in.Varint(&v); h->kind = static_cast<int32_t>(v); break;
      case Tag(kError, kVarint): ok = in.Varint(&v); h->error = static_cast<uint32_t>(v); break;
      case Tag(kMethod, kBytes): ok = in.Bytes(&h->method); break;
      case Tag(kErrorMessage, kBytes): ok = in.Bytes(&h->error_message); break;
      case Tag(kPayload, kBytes): ok = in.Bytes(payload); break;
      default:
        if (tag == 0 || WireFormatLite::GetTagFieldNumber(tag) == 0 ||
            WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_END_GROUP) {
          return false;
        }
        ok = SkipUnknown(in, tag, 0);
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace faultline
