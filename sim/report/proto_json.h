// Protobuf messages as the JSON files of design §10 (field names as in the
// .proto, every primitive printed even when zero), and back. One place for
// the printer's options, so summary.json, the report page's data and the
// sweep's files agree.
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace faultline::report {

// One line, no whitespace (JSONL, the report page's embedded data).
std::string JsonLine(const google::protobuf::Message& m);
// Indented, for files a person opens (summary.json).
std::string JsonPretty(const google::protobuf::Message& m);
// Parses `line` (line `line_no` of `file`) into `m`; the error names both.
Status ParseJsonLine(std::string_view line, const std::string& file, size_t line_no, google::protobuf::Message* m);

}  // namespace faultline::report
