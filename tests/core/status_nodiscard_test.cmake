# cmake -DCXX=... -DSOURCE=status_nodiscard_probe.cc -DINCLUDE=src -P status_nodiscard_test.cmake
# Passes when the probe compiles with its results cast to (void) and fails to compile, with
# an unused-result diagnostic for each, when it ignores them.
set(flags -std=c++20 -fsyntax-only -Wall -Werror -I${INCLUDE} ${SOURCE})
execute_process(COMMAND ${CXX} ${flags} RESULT_VARIABLE ok_rc ERROR_VARIABLE ok_err)
if(NOT ok_rc EQUAL 0)
  message(FATAL_ERROR "the probe does not compile with (void) casts:\n${ok_err}")
endif()
execute_process(COMMAND ${CXX} ${flags} -DVIGIL_IGNORE_RESULT RESULT_VARIABLE bad_rc
                ERROR_VARIABLE bad_err)
if(bad_rc EQUAL 0)
  message(FATAL_ERROR "ignoring a Status and a Result compiled: [[nodiscard]] is missing")
endif()
string(REGEX MATCHALL "-Werror=unused-result" hits "${bad_err}")
list(LENGTH hits count)
if(count LESS 2)
  message(FATAL_ERROR "the probe failed for another reason than [[nodiscard]]:\n${bad_err}")
endif()
message(STATUS "ignored Status and Result are refused:\n${bad_err}")
