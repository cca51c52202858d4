# sqb_add_backend(): one line per backend in backends/CMakeLists.txt; sqb_link_backends() links all.

# Each backend is an OBJECT library, linked directly into every executable, so the linker keeps
# its self-registration (a static library would drop the unreferenced object files).
function(sqb_add_backend name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target sqb_backend_${name})
  add_library(${target} OBJECT ${ARG_SOURCES})
  target_link_libraries(${target} PUBLIC sqb_harness ${ARG_LIBRARIES})
  set_property(GLOBAL APPEND PROPERTY SQB_BACKEND_TARGETS ${target})
endfunction()

function(sqb_link_backends target)
  get_property(backends GLOBAL PROPERTY SQB_BACKEND_TARGETS)
  target_link_libraries(${target} PRIVATE ${backends})
endfunction()
