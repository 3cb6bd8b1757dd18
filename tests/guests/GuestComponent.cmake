# Building WASI 0.2 command components from C, for every guest in the project.
#
#   include(${PROJECT_SOURCE_DIR}/tests/guests/GuestComponent.cmake)
#   add_guest_component(NAME SOURCES file.c... [INCLUDE_DIRS dir...] [WASI_VERSION 0.2.x]
#                       [SOCKETS_EXT])
#
# produces ${WASI_SOCKETD_GUEST_DIR}/NAME.wasm (build/guests/NAME.wasm) and a target guest_NAME
# that is part of `all`. Guests see the wasi_guest/*.h wrappers in tests/guests/lib and are linked
# with its allocator (cabi_realloc) and report helpers. All toolchain steps live in
# tools/componentize.mjs; this file only wires them into the build. SOCKETS_EXT guests also import
# wasi-socketd:sockets-ext (world guest-ext in wit-ext/, header wasi_socketd/sockets_ext.h).
# Rebuilds happen only when a source, a library header, the WIT world or the script changes.
#
# WASI_SOCKETD_GUESTS_ENABLED tells whether the toolchain was found (callers skip their guests
# otherwise).
include_guard(DIRECTORY)  # each including folder gets the variables below

set(WASI_SOCKETD_GUEST_HOME ${CMAKE_CURRENT_LIST_DIR})
set(WASI_SOCKETD_GUEST_DIR ${PROJECT_BINARY_DIR}/guests)
set(WASI_SOCKETD_NODE_MODULES ${PROJECT_SOURCE_DIR}/runtime-adapter/node_modules
    CACHE PATH "node_modules holding @bytecodealliance/jco and preview2-shim")

find_program(WASI_SOCKETD_GUEST_CC NAMES clang-19 clang DOC "clang able to target wasm32-wasi")
find_program(WASI_SOCKETD_NODE NAMES node nodejs DOC "Node.js, runs jco")

set(WASI_SOCKETD_GUESTS_ENABLED OFF)
if(NOT WASI_SOCKETD_GUESTS)
  message(STATUS "guests: disabled (WASI_SOCKETD_GUESTS=OFF)")
elseif(NOT WASI_SOCKETD_GUEST_CC OR NOT WASI_SOCKETD_NODE)
  message(WARNING "guests: clang-19 or node not found, WebAssembly guests are not built (run deploy/setup.sh)")
elseif(NOT EXISTS ${WASI_SOCKETD_NODE_MODULES}/@bytecodealliance/jco/package.json)
  message(WARNING "guests: jco not installed in ${WASI_SOCKETD_NODE_MODULES}, guests are not built "
                  "(run deploy/setup.sh)")
else()
  set(WASI_SOCKETD_GUESTS_ENABLED ON)
endif()

function(add_guest_component name)
  cmake_parse_arguments(PARSE_ARGV 1 GUEST "SOCKETS_EXT" "WASI_VERSION" "SOURCES;INCLUDE_DIRS")
  if(NOT WASI_SOCKETD_GUESTS_ENABLED)
    return()
  endif()
  if(NOT GUEST_SOURCES)
    message(FATAL_ERROR "add_guest_component(${name}): SOURCES is required")
  endif()

  set(lib ${WASI_SOCKETD_GUEST_HOME}/lib)
  set(script ${WASI_SOCKETD_GUEST_HOME}/tools/componentize.mjs)
  set(output ${WASI_SOCKETD_GUEST_DIR}/${name}.wasm)
  list(TRANSFORM GUEST_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/ REGEX "^[^/]")
  file(GLOB lib_headers CONFIGURE_DEPENDS ${lib}/wasi_guest/*.h)
  set(lib_sources ${lib}/check.c ${lib}/cabi_realloc.c)
  set(include_args -I ${lib})
  if(GUEST_WASI_VERSION)
    list(APPEND include_args --wasi-version ${GUEST_WASI_VERSION})
  endif()
  foreach(dir IN LISTS GUEST_INCLUDE_DIRS)
    list(APPEND include_args -I ${dir})
  endforeach()
  set(wit_dir ${WASI_SOCKETD_GUEST_HOME}/wit)
  set(world guest)
  set(wit_inputs ${wit_dir}/guest.wit)
  if(GUEST_SOCKETS_EXT)
    set(ext ${PROJECT_SOURCE_DIR}/runtime-adapter/sockets-ext)
    set(wit_dir ${WASI_SOCKETD_GUEST_HOME}/wit-ext)
    set(world guest-ext)
    list(APPEND include_args -I ${ext}/include --wit-dep ${ext}/wit)
    set(wit_inputs ${wit_dir}/guest.wit ${ext}/wit/sockets-ext.wit
        ${ext}/include/wasi_socketd/sockets_ext.h)
  endif()

  add_custom_command(
    OUTPUT ${output}
    COMMAND ${WASI_SOCKETD_NODE} ${script} --node-modules ${WASI_SOCKETD_NODE_MODULES}
            --wit ${wit_dir} --world ${world} --cc ${WASI_SOCKETD_GUEST_CC}
            ${include_args} --out ${output} ${GUEST_SOURCES} ${lib_sources}
    DEPENDS ${GUEST_SOURCES} ${lib_sources} ${lib_headers} ${script} ${wit_inputs}
    COMMENT "Building guest component ${name}.wasm"
    VERBATIM)
  add_custom_target(guest_${name} ALL DEPENDS ${output})
endfunction()
