# distill_static_dep(VAR TARGET ARCHIVE [DEPS ...]): sets VAR to what modules
# link for one third-party library — TARGET (the shared library found by
# find_package / pkg-config), or, with DISTILL_STATIC_LIBS, an imported target
# for Debian's static ARCHIVE (e.g. libz.a) with the include directories of
# TARGET and DEPS as its own link dependencies.
#
# Why static: every distill command starts a process, and each shared library
# costs the dynamic loader mapping and relocation work; linking the small
# libraries (and libstdc++) statically took `distill version` from 10 to 6 ms
# and shortens every no-op rebuild and `run` by as much. glibc stays shared
# (NSS, and Debian's security updates of it apply); the others are fixed at
# build time, so a security fix in one of them needs a rebuild of distill.
option(DISTILL_STATIC_LIBS "Link zlib, xz, bzip2, libdeflate, SQLite, libseccomp, libcap, yaml-cpp and libstdc++ statically" ON)
if(DISTILL_SANITIZE OR DISTILL_FUZZ)
  set(DISTILL_STATIC_LIBS OFF)  # sanitizer runtimes want the shared C++ runtime
endif()

function(distill_static_dep var target archive)
  cmake_parse_arguments(D "" "" "DEPS" ${ARGN})
  set(${var} ${target} PARENT_SCOPE)
  if(NOT DISTILL_STATIC_LIBS)
    return()
  endif()
  find_library(DISTILL_STATIC_${archive} NAMES ${archive})
  if(NOT DISTILL_STATIC_${archive})
    message(STATUS "${archive} not found: ${target} is linked as a shared library")
    return()
  endif()
  set(name distill_static::${archive})
  add_library(${name} STATIC IMPORTED GLOBAL)
  set_target_properties(${name} PROPERTIES IMPORTED_LOCATION ${DISTILL_STATIC_${archive}})
  if(TARGET ${target})
    get_target_property(inc ${target} INTERFACE_INCLUDE_DIRECTORIES)
    if(inc)
      set_target_properties(${name} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${inc}")
    endif()
  endif()
  if(D_DEPS)
    set_target_properties(${name} PROPERTIES INTERFACE_LINK_LIBRARIES "${D_DEPS}")
  endif()
  set(${var} ${name} PARENT_SCOPE)
endfunction()
