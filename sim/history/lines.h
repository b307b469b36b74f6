// Splitting a text into lines for the line-based history readers.
#pragma once

#include <string_view>
#include <vector>

namespace faultline {

// The lines of `text` without their '\n' (line i is line number i + 1); a
// final line without '\n' counts, an empty text has none. Views into text.
inline std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace faultline
