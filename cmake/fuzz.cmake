# libFuzzer builds (tests/fuzz, docs in tests/fuzz/README.md). With ESENT_FUZZ=ON, which needs
# clang (CC=clang CXX=clang++), every target of the tree is compiled with coverage
# instrumentation for libFuzzer plus ASan and UBSan (-fsanitize=fuzzer-no-link,address,undefined),
# at -O1 (fast enough to fuzz, still debuggable; asserts stay on), and the fuzz targets of tests/fuzz link libFuzzer's driver (-fsanitize=fuzzer). Any UBSan
# finding aborts, so the fuzzer reports it as a crash.
option(ESENT_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)
if(ESENT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ESENT_FUZZ needs clang: configure with CC=clang CXX=clang++")
  endif()
  if(ESENT_SANITIZE_ADDRESS OR ESENT_SANITIZE_THREAD)
    message(FATAL_ERROR "ESENT_FUZZ brings its own sanitizers: leave ESENT_SANITIZE_* off")
  endif()
  add_compile_options(-O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # What a fuzz target adds at link time (tests/fuzz/CMakeLists.txt).
  set(ESENT_FUZZ_LINK_OPTIONS -fsanitize=fuzzer,address,undefined)
endif()
