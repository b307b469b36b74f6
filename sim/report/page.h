// Shared by the report pages (check_report.h, run_report.h): data goes into
// a page as JSON inside a <script> element.
#pragma once

#include <string>
#include <string_view>

namespace faultline {

// `json` safe inside <script>: every "<" written as \u003c, so no text
// from a history can close the element or open a comment.
std::string JsonForScript(std::string_view json);

}  // namespace faultline
