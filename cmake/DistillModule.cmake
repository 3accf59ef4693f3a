# distill_module(NAME DEPS ...): builds src/NAME/*.cc (minus *_test.cc and main.cc)
# into the static library distill_NAME, and src/NAME/*_test.cc into the test
# binary NAME_tests, registered with ctest. One module per folder keeps the
# layering of DESIGN.md visible in the build: a module links only what it names.
function(distill_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.cc)
  list(FILTER srcs EXCLUDE REGEX "(_test|/main)\\.cc$")
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*_test.cc)
  if(srcs)
    add_library(distill_${name} STATIC ${srcs})
    set(scope PUBLIC)
    target_compile_options(distill_${name} PRIVATE ${DISTILL_WARNINGS})
  else()
    add_library(distill_${name} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_include_directories(distill_${name} ${scope} ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(distill_${name} ${scope} ${M_DEPS})
  if(tests)
    add_executable(${name}_tests ${tests})
    target_link_libraries(${name}_tests PRIVATE distill_${name} GTest::gtest_main GTest::gmock)
    target_compile_options(${name}_tests PRIVATE ${DISTILL_WARNINGS})
    target_compile_definitions(${name}_tests PRIVATE
      DISTILL_SHARED_DIR="${DISTILL_SHARED_DIR}"
      DISTILL_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
    gtest_discover_tests(${name}_tests DISCOVERY_MODE PRE_TEST TEST_PREFIX "${name}." PROPERTIES TIMEOUT 600)
  endif()
endfunction()
