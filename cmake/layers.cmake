# The layer rule (docs/architecture.md): a layer under src/ includes only itself and the
# layers listed for it here. esent_layer() records the rule; the layer_check target (built
# with ALL) fails the build on any forbidden #include "other_layer/...".
set(ESENT_LAYER_RULES "" CACHE INTERNAL "")

# esent_layer(name DEPENDS lower...): a static library from src/<name>/*.cc.
function(esent_layer name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  if(sources)
    add_library(esent_${name} STATIC ${sources})
    set(scope PUBLIC)
    esent_warnings(esent_${name})
  else()
    # A layer that so far has only headers.
    add_library(esent_${name} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_include_directories(esent_${name} ${scope} ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
  foreach(dep IN LISTS ARG_DEPENDS)
    target_link_libraries(esent_${name} ${scope} esent_${dep})
  endforeach()
  if(ARG_LIBS)
    target_link_libraries(esent_${name} ${scope} ${ARG_LIBS})
  endif()
  set(allowed ${name} ${ARG_DEPENDS})
  string(REPLACE ";" "," allowed "${allowed}")
  set(ESENT_LAYER_RULES "${ESENT_LAYER_RULES}|${name}=${allowed}" CACHE INTERNAL "")
endfunction()
