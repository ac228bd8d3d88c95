# plexus_add_test(NAME SOURCES... LABELS ... [TIMEOUT s] [WRAPPER cmd...]): WRAPPER runs the test (e.g. xvfb-run -a): one Qt Test executable registered with CTest.
function(plexus_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LABELS;LIBS;WRAPPER" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE QT_NO_KEYWORDS
    PLEXUS_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    PLEXUS_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data")
  plexus_set_warnings(${name})
  add_test(NAME ${name} COMMAND ${ARG_WRAPPER} $<TARGET_FILE:${name}>)
  # One limit per test: Qt Test's own per-function watchdog (300 s by default) would abort a slow function on a
  # loaded machine before CTest's TIMEOUT, so it is set to the same value.
  math(EXPR function_timeout_ms "${ARG_TIMEOUT} * 1000")
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
                       ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=${function_timeout_ms}")
endfunction()
