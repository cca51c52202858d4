# GoogleTest binaries registered as a few ctest tests each, not one per case: every case in its own
# process costs ~80 ms of startup (more under the sanitizers), which over ~2,700 cases is minutes.
#
#   sqb_add_gtest_groups(<target> GROUPS <n> [TIMEOUT <s>] [PREFIX <p>] [COST <c>]
#                        [ENVIRONMENT <var=value>...])
#
# adds n ctest tests, <p>/<i>of<n> (<p> defaults to <target>), each running tests/run_gtest_group.py
# on the target's binary: group i of n of its cases (sorted by name, dealt round-robin), in as few
# processes as the filter length allows; a case that crashes its process is named CRASHED and the
# rest of the group runs on in a new one; every failed or crashed case is named on its own line.
# TIMEOUT (default 300 s) is each test's ctest TIMEOUT; the runner stops 10 s before it and names the
# case that was running. COST is ctest's COST (the first run, with no timing history yet, starts the
# costliest first). Like gtest_discover_tests' tests, each runs in the binary's directory; DISABLED_
# cases are counted but not run. Needs find_package(Python3 COMPONENTS Interpreter) first.
set(SQB_GTEST_GROUP_RUNNER "${CMAKE_CURRENT_LIST_DIR}/../tests/run_gtest_group.py")
cmake_path(NORMAL_PATH SQB_GTEST_GROUP_RUNNER)

function(sqb_add_gtest_groups target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "GROUPS;TIMEOUT;PREFIX;COST" "ENVIRONMENT")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sqb_add_gtest_groups: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "sqb_add_gtest_groups: ${target} is not a target")
  endif()
  if(NOT arg_GROUPS MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "sqb_add_gtest_groups(${target}): GROUPS must be a positive integer")
  endif()
  if(NOT Python3_EXECUTABLE)
    message(FATAL_ERROR "sqb_add_gtest_groups: find_package(Python3 COMPONENTS Interpreter) first")
  endif()
  if(NOT DEFINED arg_TIMEOUT)
    set(arg_TIMEOUT 300)
  endif()
  if(NOT arg_TIMEOUT MATCHES "^[0-9]+$" OR arg_TIMEOUT LESS 30)
    message(FATAL_ERROR "sqb_add_gtest_groups(${target}): TIMEOUT must be whole seconds, 30 or more")
  endif()
  if(NOT DEFINED arg_PREFIX)
    set(arg_PREFIX ${target})
  endif()
  math(EXPR runner_timeout "${arg_TIMEOUT} - 10")

  foreach(i RANGE 1 ${arg_GROUPS})
    set(name "${arg_PREFIX}/${i}of${arg_GROUPS}")
    add_test(NAME ${name}
      COMMAND ${Python3_EXECUTABLE} ${SQB_GTEST_GROUP_RUNNER} $<TARGET_FILE:${target}>
              --group ${i} --groups ${arg_GROUPS} --total-timeout ${runner_timeout}
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(${name} PROPERTIES TIMEOUT ${arg_TIMEOUT})
    if(DEFINED arg_COST)
      set_tests_properties(${name} PROPERTIES COST ${arg_COST})
    endif()
    if(arg_ENVIRONMENT)
      set_tests_properties(${name} PROPERTIES ENVIRONMENT "${arg_ENVIRONMENT}")
    endif()
  endforeach()
endfunction()
