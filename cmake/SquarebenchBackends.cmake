# squarebench_add_backend(): one line per backend, in this tree (backends/CMakeLists.txt) or in a
# project that uses the installed package (find_package(squarebench)); the same function in both.
#
# squarebench_add_backend(<name> SOURCES <files>... [ALWAYS] [FIND <find_package arguments>...]
#                         [PACKAGE <where to get it>] [LIBRARIES <targets>...])
# builds <name> from its own folder, seeing only the backend API (squarebench::api), its own
# folder and the LIBRARIES it names. FIND runs find_package(<arguments> QUIET GLOBAL); when it
# finds nothing, or SQB_BACKEND_<NAME> is OFF, the backend is left out with one configure line
# saying why. ALWAYS backends (serial, scalar) have no switch.
#
# squarebench_add_executable(<target>) (installed package only): a squarebench binary with every
# backend the package was built with, plus this project's own.

# Each backend is an OBJECT library, linked directly into every executable, so the linker keeps
# its self-registration (a static library would drop the unreferenced object files).
function(squarebench_add_backend name)
  cmake_parse_arguments(ARG "ALWAYS" "PACKAGE" "SOURCES;FIND;LIBRARIES" ${ARGN})
  string(TOUPPER "${name}" upper)
  if(NOT ARG_ALWAYS)
    option(SQB_BACKEND_${upper} "Build the ${name} backend when its library is found" ON)
    if(NOT SQB_BACKEND_${upper})
      message(STATUS "Backend ${name}: not built (SQB_BACKEND_${upper} is OFF)")
      return()
    endif()
  endif()
  if(ARG_FIND)
    list(GET ARG_FIND 0 package)
    find_package(${ARG_FIND} QUIET GLOBAL)
    if(NOT ${package}_FOUND)
      set(hint "")
      if(ARG_PACKAGE)
        set(hint " (${ARG_PACKAGE})")
      endif()
      message(STATUS "Backend ${name}: not built, find_package(${package}) found nothing${hint}")
      return()
    endif()
    string(REPLACE ";" " " find_arguments "${ARG_FIND}")
    set_property(GLOBAL APPEND PROPERTY SQB_BACKEND_FINDS "${find_arguments}")
  endif()
  set(target sqb_backend_${name})
  add_library(${target} OBJECT ${ARG_SOURCES})
  list(GET ARG_SOURCES 0 first)
  get_filename_component(folder "${first}" DIRECTORY)
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/${folder})
  target_link_libraries(${target} PUBLIC squarebench::api ${ARG_LIBRARIES})
  set_property(GLOBAL APPEND PROPERTY SQB_BACKEND_TARGETS ${target})
  set_property(GLOBAL APPEND PROPERTY SQB_BACKEND_LIBRARIES ${ARG_LIBRARIES})
  message(STATUS "Backend ${name}: built")
endfunction()

# Links every backend added so far into <target>.
function(sqb_link_backends target)
  get_property(backends GLOBAL PROPERTY SQB_BACKEND_TARGETS)
  target_link_libraries(${target} PRIVATE ${backends})
endfunction()

function(squarebench_add_executable target)
  if(NOT TARGET squarebench::backends)
    message(FATAL_ERROR "squarebench_add_executable: find_package(squarebench) first")
  endif()
  add_executable(${target})
  target_link_libraries(${target} PRIVATE squarebench::main squarebench::harness
                        "$<LINK_LIBRARY:WHOLE_ARCHIVE,squarebench::backends>")
  sqb_link_backends(${target})
endfunction()
