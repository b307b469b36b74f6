# Compiler flags shared by every target.
# Assertions stay on in every build type: SIM_ASSERT never depends on NDEBUG,
# and we also strip -DNDEBUG so that any stray assert() keeps working.
foreach(cfg RELEASE RELWITHDEBINFO MINSIZEREL)
  string(REPLACE "-DNDEBUG" "" CMAKE_CXX_FLAGS_${cfg} "${CMAKE_CXX_FLAGS_${cfg}}")
endforeach()

# -Wmissing-field-initializers fires on designated initializers that rely on
# member defaults, which is the style we want for option structs.
add_compile_options(-Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers)

if(FAULTLINE_SANITIZE)
  # FAULTLINE_ASAN tells sim/fiber to annotate every stack switch.
  add_compile_definitions(FAULTLINE_ASAN=1)
  # GCC 12 reports false -Wmaybe-uninitialized inside libstdc++'s <regex>
  # (pulled in by Catch2) once ASan instruments it; GCC's manual warns this
  # warning is unreliable under -fsanitize. The normal build keeps it.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=address,undefined)
endif()

if(FAULTLINE_FUZZ)
  # Coverage feedback in every library, not only the fuzz targets: without
  # it libFuzzer cannot see inside the parsers it is fuzzing.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
