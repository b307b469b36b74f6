// Serialization for the wire. Protobuf's default serializer writes map
// fields in hash order, and the installed protobuf seeds that hash per
// process: the same message would give different bytes (and trace hashes)
// in two runs. Everything that reaches the simulated network or a trace
// goes through SerializeDeterministic. scripts/tidy bans the raw calls.
#pragma once

#include <string>

#include "google/protobuf/message_lite.h"

namespace faultline {

void SerializeDeterministic(const google::protobuf::MessageLite& msg, std::string* out);

inline std::string SerializeDeterministic(const google::protobuf::MessageLite& msg) {
  std::string out;
  SerializeDeterministic(msg, &out);
  return out;
}

}  // namespace faultline
