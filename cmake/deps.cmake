# Third-party dependencies: all from Debian 12 packages (see scripts/bootstrap).
find_package(boost_context 1.81.0 EXACT REQUIRED CONFIG)
find_package(absl REQUIRED CONFIG)
find_package(Protobuf 3.21 REQUIRED)
find_package(Catch2 2 REQUIRED)
find_package(PkgConfig REQUIRED)
# lua5.4-c++ is Lua compiled as C++, so a Lua error unwinds C++ destructors.
pkg_check_modules(LUA REQUIRED IMPORTED_TARGET lua5.4-c++)
if(FAULTLINE_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
include(Catch)

# faultline_proto(TARGET DEPS... PROTOS...): a static library from .proto files.
function(faultline_proto target)
  cmake_parse_arguments(P "" "" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  foreach(proto ${P_PROTOS})
    get_filename_component(abs ${proto} ABSOLUTE)
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${abs})
    string(REGEX REPLACE "\\.proto$" "" stem ${rel})
    set(cc ${PROJECT_BINARY_DIR}/${stem}.pb.cc)
    set(h ${PROJECT_BINARY_DIR}/${stem}.pb.h)
    add_custom_command(
      OUTPUT ${cc} ${h}
      COMMAND protobuf::protoc --cpp_out=${PROJECT_BINARY_DIR} -I${PROJECT_SOURCE_DIR} ${abs}
      DEPENDS ${abs} protobuf::protoc
      COMMENT "protoc ${rel}" VERBATIM)
    list(APPEND srcs ${cc})
  endforeach()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PUBLIC ${PROJECT_BINARY_DIR})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${P_DEPS})
  # Generated code is not ours to keep warning-free.
  target_compile_options(${target} PRIVATE -Wno-error)
endfunction()
