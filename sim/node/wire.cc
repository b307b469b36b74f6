#include "sim/node/wire.h"

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

size_t BytesFieldSize(size_t n) { return n == 0 ? 0 : 1 + io::CodedOutputStream::VarintSize32(static_cast<uint32_t>(n)) + n; }

// Header size, and writing, in field order with proto3's rule that default
// values are not written: the order and rule protoc's serializer follows.
size_t HeaderSize(const EnvelopeHeader& h) {
  size_t n = 0;
  if (h.src != 0) n += 1 + io::CodedOutputStream::VarintSize32(h.src);
  if (h.dst != 0) n += 1 + io::CodedOutputStream::VarintSize32(h.dst);
  if (h.rpc_id != 0) n += 1 + io::CodedOutputStream::VarintSize64(h.rpc_id);
  if (h.kind != 0) n += 1 + io::CodedOutputStream::VarintSize32SignExtended(h.kind);
  n += BytesFieldSize(h.method.size());
  if (h.error != 0) n += 1 + io::CodedOutputStream::VarintSize32(h.error);
  n += BytesFieldSize(h.error_message.size());
  return n;
}

void WriteBytesField(io::CodedOutputStream& out, int field, std::string_view s) {
  if (s.empty()) return;
  out.WriteTag(Tag(field, kBytes));
  out.WriteVarint32(static_cast<uint32_t>(s.size()));
  out.WriteRaw(s.data(), static_cast<int>(s.size()));
}

void WriteHeader(io::CodedOutputStream& out, const EnvelopeHeader& h) {
  if (h.src != 0) { out.WriteTag(Tag(kSrc, kVarint)); out.WriteVarint32(h.src); }
  if (h.dst != 0) { out.WriteTag(Tag(kDst, kVarint)); out.WriteVarint32(h.dst); }
  if (h.rpc_id != 0) { out.WriteTag(Tag(kRpcId, kVarint)); out.WriteVarint64(h.rpc_id); }
  if (h.kind != 0) { out.WriteTag(Tag(kKind, kVarint)); out.WriteVarint32SignExtended(h.kind); }
  WriteBytesField(out, kMethod, h.method);
  if (h.error != 0) { out.WriteTag(Tag(kError, kVarint)); out.WriteVarint32(h.error); }
  WriteBytesField(out, kErrorMessage, h.error_message);
}

template <typename WritePayload>
void Encode(const EnvelopeHeader& h, size_t payload_size, WritePayload write, std::string* out) {
  WriteSized(HeaderSize(h) + BytesFieldSize(payload_size), out, [&](io::CodedOutputStream& c) {
    WriteHeader(c, h);
    if (payload_size != 0) {
      c.WriteTag(Tag(kPayload, kBytes));
      c.WriteVarint32(static_cast<uint32_t>(payload_size));
      write(c);
    }
  });
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
  // tidy:allow(proto-serialize) the stream Encode hands us is deterministic
  Encode(h, payload_size, [&](io::CodedOutputStream& c) { payload.SerializeWithCachedSizes(&c); },
         out);
}

void EncodeEnvelope(const EnvelopeHeader& h, std::string_view payload_bytes, std::string* out) {
  Encode(h, payload_bytes.size(), [&](io::CodedOutputStream& c) {
    c.WriteRaw(payload_bytes.data(), static_cast<int>(payload_bytes.size()));
  }, out);
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
    if (!in.Tag(&tag) || tag == 0) return false;
    int field = WireFormatLite::GetTagFieldNumber(tag);
    WireFormatLite::WireType type = WireFormatLite::GetTagWireType(tag);
    if (field == 0 || type == WireFormatLite::WIRETYPE_END_GROUP) return false;
    bool ok = true;
    bool known = true;
    if (type == kVarint) {
      uint64_t v = 0;
      switch (field) {
        case kSrc: ok = in.Varint(&v); h->src = static_cast<uint32_t>(v); break;
        case kDst: ok = in.Varint(&v); h->dst = static_cast<uint32_t>(v); break;
        case kRpcId: ok = in.Varint(&h->rpc_id); break;
        case kKind: ok = in.Varint(&v); h->kind = static_cast<int32_t>(v); break;
        case kError: ok = in.Varint(&v); h->error = static_cast<uint32_t>(v); break;
        default: known = false;
      }
    } else if (type == kBytes) {
      switch (field) {
        case kMethod: ok = in.Bytes(&h->method); break;
        case kErrorMessage: ok = in.Bytes(&h->error_message); break;
        case kPayload: ok = in.Bytes(payload); break;
        default: known = false;
      }
    } else {
      known = false;
    }
    if (!known) ok = SkipUnknown(in, tag, 0);
    if (!ok) return false;
  }
  return true;
}

}  // namespace faultline
