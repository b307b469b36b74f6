# Embeds a text file in the binary as a std::string_view (the report pages:
# the executable must not depend on files beside it).
#   cmake -DIN=page.html -DOUT=page.cc -DNAME=kSymbol -P embed.cmake
file(READ "${IN}" content)
string(FIND "${content}" ")FAULTLINE_EMBED\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter")
endif()
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by cmake/embed.cmake; edit that file instead.\n"
  "#include <string_view>\n"
  "namespace faultline {\n"
  "extern const std::string_view ${NAME};\n"
  "const std::string_view ${NAME} = R\"FAULTLINE_EMBED(${content})FAULTLINE_EMBED\";\n"
  "}  // namespace faultline\n")
file(RENAME "${OUT}.tmp" "${OUT}")
