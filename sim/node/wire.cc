#include "sim/node/wire.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "sim/core/assert.h"

namespace faultline {

void SerializeDeterministic(const google::protobuf::MessageLite& msg, std::string* out) {
  out->clear();
  google::protobuf::io::StringOutputStream stream(out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  SIM_ASSERT_MSG(msg.SerializeToCodedStream(&coded), "a protobuf message failed to serialize");
  coded.Trim();  // shrinks `out` to what was written
}

}  // namespace faultline
