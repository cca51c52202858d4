# Installs this build to a scratch prefix, then configures, builds and runs examples/out-of-tree
# against the installed package, as a user's own repository would. Run by ctest with cmake -P.
cmake_minimum_required(VERSION 3.25)
foreach(var BUILD_DIR EXAMPLE_DIR WORK_DIR GENERATOR BUILD_TYPE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "example_project_test.cmake: -D${var}=... is required")
  endif()
endforeach()

# Runs a command; on failure prints its output and stops the test.
function(step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
string(TOUPPER "${BUILD_TYPE}" config)
step("configure" ${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
     -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
     "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_CXX_FLAGS_${config}=${CXX_FLAGS_CONFIG}"
     "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}")
step("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
set(binary ${WORK_DIR}/build/squarebench_example)

step("list" ${binary} list)
foreach(name reverse reverse+unrolled openmp+omploop tbb+unrolled)
  string(FIND "${step_output}" "\n${name} " at)
  if(at EQUAL -1)
    message(FATAL_ERROR "`list` does not show ${name}:\n${step_output}")
  endif()
endforeach()

step("run" ${binary} run --backends reverse,reverse+unrolled,openmp+omploop,serial --sizes 1000
     --no-save --max-time 0.01 --format json)
string(JSON cells GET "${step_output}" cells)
string(JSON count LENGTH "${cells}")
math(EXPR last "${count} - 1")
set(seen "")
foreach(i RANGE ${last})
  string(JSON backend GET "${cells}" ${i} backend)
  string(JSON status GET "${cells}" ${i} status)
  if(NOT status STREQUAL "OK")
    message(FATAL_ERROR "${backend} is ${status}:\n${step_output}")
  endif()
  list(APPEND seen ${backend})
endforeach()
# Each asked-for backend and the ceilings the registry composed for the new executor.
foreach(name reverse reverse+unrolled openmp+omploop serial reverse+memcpy)
  if(NOT name IN_LIST seen)
    message(FATAL_ERROR "no verified cell of ${name}; cells: ${seen}")
  endif()
endforeach()
string(JSON simd GET "${step_output}" fingerprint fields example.openmp_simd)
message(STATUS "example: ${count} verified cells; fingerprint example.openmp_simd = ${simd}")
