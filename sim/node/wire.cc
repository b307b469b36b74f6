#include "sim/node/wire.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "sim/core/assert.h"

namespace faultline {

// Sized once, written in place: a growing StringOutputStream re-zeroes and
// re-sizes the string several times per small message (a fifth of PHOLD's
// time before this).
void SerializeDeterministic(const google::protobuf::MessageLite& msg, std::string* out) {
  const size_t size = msg.ByteSizeLong();
  out->resize(size);
  google::protobuf::io::ArrayOutputStream array(out->data(), static_cast<int>(size));
  google::protobuf::io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  msg.SerializeWithCachedSizes(&coded);
  SIM_ASSERT_MSG(!coded.HadError() && static_cast<size_t>(coded.ByteCount()) == size,
                 "a protobuf message failed to serialize");
}

}  // namespace faultline
