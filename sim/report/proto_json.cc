#include "sim/report/proto_json.h"

#include <google/protobuf/util/json_util.h>

#include "sim/core/strings.h"

namespace faultline::report {
namespace {

std::string Json(const google::protobuf::Message& m, bool pretty) {
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = pretty;
  o.always_print_primitive_fields = true;
  o.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(m, &out, o);
  SIM_ASSERT_MSG(status.ok(), Cat("a ", m.GetDescriptor()->name(), " always prints as JSON"));
  return out;
}

}  // namespace

std::string JsonLine(const google::protobuf::Message& m) { return Json(m, false); }
std::string JsonPretty(const google::protobuf::Message& m) { return Json(m, true); }

Status ParseJsonLine(std::string_view line, const std::string& file, size_t line_no, google::protobuf::Message* m) {
  const auto status = google::protobuf::util::JsonStringToMessage(std::string(line), m);
  if (!status.ok()) {
    return InvalidArgument(Cat(file, ":", line_no, ": expected a ", m->GetDescriptor()->name(), " as one JSON object (",
                               std::string(status.message()), ")"));
  }
  return Status::Ok();
}

}  // namespace faultline::report
