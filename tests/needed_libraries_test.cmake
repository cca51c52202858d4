# The squarebench binary starts where a library it must not need at start-up is missing: none of
# the shared libraries it names (readelf's NEEDED entries) matches FORBIDDEN.
# Usage: cmake -DBINARY=... -DREADELF=... -DFORBIDDEN=<regex> -P needed_libraries_test.cmake
execute_process(COMMAND ${READELF} -d ${BINARY} OUTPUT_VARIABLE dynamic RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT dynamic MATCHES "NEEDED")
  message(FATAL_ERROR "cannot read the dynamic section of ${BINARY} with ${READELF}")
endif()
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${dynamic}")
foreach(line IN LISTS needed)
  if(line MATCHES "${FORBIDDEN}")
    message(FATAL_ERROR "${BINARY} needs a library matching '${FORBIDDEN}' to start: ${line}")
  endif()
endforeach()
