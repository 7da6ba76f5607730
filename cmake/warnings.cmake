# Warnings are errors everywhere: a warning in the engine is a bug we have not found yet.
set(ESENT_WARNINGS -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wformat=2 -Wimplicit-fallthrough)
set(ESENT_C_WARNINGS -Wall -Wextra -Werror)

# esent_warnings(target): apply the project's warning set to one target.
function(esent_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${ESENT_WARNINGS}>
    $<$<COMPILE_LANGUAGE:C>:${ESENT_C_WARNINGS}>)
endfunction()
