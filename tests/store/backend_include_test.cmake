# cmake -DBUILD_DIR=... -P backend_include_test.cmake
# Passes when building the probe (a file linked like the engine that includes the SQLite
# backend's header) fails, and fails for that reason.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target store_backend_include_probe
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "a file of the engine's layer compiled with a store backend's header")
endif()
string(FIND "${out}${err}" "the SQLite backend's own" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the probe failed for another reason:\n${out}${err}")
endif()
message(STATUS "a backend's header is refused outside the backend")
