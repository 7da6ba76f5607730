# Warnings are errors everywhere: a warning in the engine is a bug we have not found yet.
set(ESENT_WARNINGS -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wformat=2 -Wimplicit-fallthrough)
set(ESENT_C_WARNINGS -Wall -Wextra -Werror)
# GCC 12 at -O3 reports std::string copies as overlapping memcpy (-Wrestrict, GCC bug 105329):
# a false positive inside libstdc++ that breaks Release builds of correct code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND ESENT_WARNINGS -Wno-restrict)
endif()

# esent_warnings(target): apply the project's warning set to one target.
function(esent_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${ESENT_WARNINGS}>
    $<$<COMPILE_LANGUAGE:C>:${ESENT_C_WARNINGS}>)
endfunction()
