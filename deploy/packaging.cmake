# Installation layout (Debian's) and the .debs, included once from the top-level CMakeLists.txt
# after every part is defined. `cmake --install build --prefix /usr` or `cpack -G DEB` in build/.
# Every install() names its component; each component is one Debian package:
#   daemon -> wasi-socketd        the broker, wasi-socketctl, units, default policy, man pages, docs
#   runner -> wasi-socket-run     the Node.js runner, adapter addon, JS layer, vendored npm packages
#   dev    -> libwasi-socketd-dev headers, static libraries, CMake package config, pkg-config file
# All three take their version from project(VERSION) in the top-level CMakeLists.txt.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
    GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(WASI_SOCKETD_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE STRING "Where systemd units go")
set(WASI_SOCKETD_LIBEXEC_DIR "${CMAKE_INSTALL_LIBDIR}/wasi-socketd")
set(WASI_SOCKETD_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/wasi-socketd")

# ---- wasi-socketd: programs ----
foreach(program wasi-socketd wasi-socketctl)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT daemon)
  endif()
endforeach()

# ---- libwasi-socketd-dev: static libraries, headers, protos, find_package and pkg-config ----
# Architecture-specific files go to Debian's multiarch directory (lib/x86_64-linux-gnu), which
# CMake and pkg-config search, also under another prefix.
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(WASI_SOCKETD_DEV_LIBDIR lib/${CMAKE_LIBRARY_ARCHITECTURE})
else()
  set(WASI_SOCKETD_DEV_LIBDIR ${CMAKE_INSTALL_LIBDIR})
endif()
set(WASI_SOCKETD_CMAKE_DIR ${WASI_SOCKETD_DEV_LIBDIR}/cmake/wasi_socketd)
foreach(library wasi_socketd_proto wasi_socketd_client wasi_socketd_adapter_core)
  if(TARGET ${library})
    install(TARGETS ${library} ARCHIVE DESTINATION ${WASI_SOCKETD_DEV_LIBDIR} COMPONENT dev)
  endif()
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/client/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime-adapter/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev FILES_MATCHING PATTERN "*.h")
# The one error-code table and Result the client's headers are built on (wasi_socketd_common).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/proto/common/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/proto/wasi_socketd/limits.h
              ${PROJECT_SOURCE_DIR}/proto/wasi_socketd/default_socket_path.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasi_socketd COMPONENT dev)
install(DIRECTORY ${PROJECT_BINARY_DIR}/proto/gen/wasi_socketd/v1/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasi_socketd/v1 COMPONENT dev
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/proto/wasi_socketd/v1/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/wasi-socketd/proto/wasi_socketd/v1 COMPONENT dev
        FILES_MATCHING PATTERN "*.proto")
# wasi-socketd:sockets-ext for guest authors: the WIT package and its C header (wasm32 guests).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime-adapter/sockets-ext/wit/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/wasi-socketd/wit/sockets-ext COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime-adapter/sockets-ext/include/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/wasi-socketd/guest-include COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/deploy/wasi_socketdConfig.cmake.in
  ${PROJECT_BINARY_DIR}/install/wasi_socketdConfig.cmake
  INSTALL_DESTINATION ${WASI_SOCKETD_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR WASI_SOCKETD_DEV_LIBDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/install/wasi_socketdConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/install/wasi_socketdConfig.cmake
              ${PROJECT_BINARY_DIR}/install/wasi_socketdConfigVersion.cmake
        DESTINATION ${WASI_SOCKETD_CMAKE_DIR} COMPONENT dev)
file(RELATIVE_PATH WASI_SOCKETD_PC_TO_PREFIX "/prefix/${WASI_SOCKETD_DEV_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/deploy/wasi-socketd.pc.in
               ${PROJECT_BINARY_DIR}/install/wasi-socketd.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/install/wasi-socketd.pc
        DESTINATION ${WASI_SOCKETD_DEV_LIBDIR}/pkgconfig COMPONENT dev)

# ---- wasi-socket-run: N-API addon, JS host layer, vendored npm packages, the launcher ----
find_program(NPM_EXECUTABLE npm)
if(TARGET wasi_socketd_adapter_addon AND NPM_EXECUTABLE)
  set(adapter_dir ${WASI_SOCKETD_LIBEXEC_DIR}/runtime-adapter)
  # Beside the JS layer: a .node file directly in /usr/lib/wasi-socketd would make CPack add
  # ldconfig calls, and the addon is no library for the dynamic linker.
  install(TARGETS wasi_socketd_adapter_addon LIBRARY DESTINATION ${adapter_dir} COMPONENT runner)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime-adapter/js/ DESTINATION ${adapter_dir}/js
          COMPONENT runner FILES_MATCHING PATTERN "*.js")
  # package.json makes the JS layer ES modules; its version is the project's.
  file(READ ${PROJECT_SOURCE_DIR}/runtime-adapter/package.json adapter_package_json)
  string(JSON adapter_package_json SET "${adapter_package_json}" version "\"${PROJECT_VERSION}\"")
  file(WRITE ${PROJECT_BINARY_DIR}/install/package.json "${adapter_package_json}\n")
  install(FILES ${PROJECT_BINARY_DIR}/install/package.json DESTINATION ${adapter_dir}
          COMPONENT runner)
  # npm runtime dependencies from the committed lock file, vendored at build time (needs the npm
  # registry or a warm npm cache once per lock file change).
  set(vendor_dir ${PROJECT_BINARY_DIR}/vendor/runtime-adapter)
  add_custom_command(OUTPUT ${vendor_dir}/node_modules/.vendored
    COMMAND ${PROJECT_SOURCE_DIR}/deploy/vendor-node-modules.sh
            ${PROJECT_SOURCE_DIR}/runtime-adapter ${vendor_dir}
    DEPENDS ${PROJECT_SOURCE_DIR}/runtime-adapter/package-lock.json
            ${PROJECT_SOURCE_DIR}/runtime-adapter/package.json
            ${PROJECT_SOURCE_DIR}/deploy/vendor-node-modules.sh
    COMMENT "vendoring wasi-socket-run's npm runtime dependencies from package-lock.json")
  add_custom_target(vendor_node_modules ALL DEPENDS ${vendor_dir}/node_modules/.vendored)
  install(DIRECTORY ${vendor_dir}/node_modules DESTINATION ${adapter_dir} COMPONENT runner
          USE_SOURCE_PERMISSIONS PATTERN .vendored EXCLUDE)
  configure_file(${PROJECT_SOURCE_DIR}/deploy/wasi-socket-run.installed.in
                 ${PROJECT_BINARY_DIR}/install/wasi-socket-run @ONLY)
  install(PROGRAMS ${PROJECT_BINARY_DIR}/install/wasi-socket-run DESTINATION ${CMAKE_INSTALL_BINDIR}
          COMPONENT runner)
  set(WASI_SOCKETD_RUNNER_PACKAGE ON)
else()
  set(WASI_SOCKETD_RUNNER_PACKAGE OFF)
  message(STATUS "no adapter addon or no npm: the wasi-socket-run package is not built")
endif()

# ---- wasi-socketd: systemd, configuration, examples, documentation ----
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.service
              ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.socket
        DESTINATION ${WASI_SOCKETD_SYSTEMD_UNIT_DIR} COMPONENT daemon)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.sysusers
        DESTINATION lib/sysusers.d RENAME wasi-socketd.conf COMPONENT daemon)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.tmpfiles
        DESTINATION lib/tmpfiles.d RENAME wasi-socketd.conf COMPONENT daemon)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/default/wasi-socketd
        DESTINATION /etc/default COMPONENT daemon)
# The policy in force after installation: loopback only, for members of group wasi-socketd (the
# broker socket's mode is the gate). A conffile: local edits survive upgrades.
install(FILES ${PROJECT_SOURCE_DIR}/deploy/policies/loopback-only.toml
        DESTINATION /etc/wasi-socketd RENAME policy.toml COMPONENT daemon)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/policies/ ${PROJECT_SOURCE_DIR}/deploy/examples/
        DESTINATION ${WASI_SOCKETD_DOC_DIR}/examples COMPONENT daemon OPTIONAL)
# The repository's layout, so that the pages' relative links hold where they are installed.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${WASI_SOCKETD_DOC_DIR} COMPONENT daemon)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${WASI_SOCKETD_DOC_DIR}/docs
        COMPONENT daemon FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/tests/guests/README.md
        DESTINATION ${WASI_SOCKETD_DOC_DIR}/tests/guests COMPONENT daemon)

# ---- every package: Debian's copyright file and changelog ----
set(CPACK_PACKAGE_CONTACT "wasi-socketd maintainers <wasi-socketd@example.org>")
foreach(entry "daemon|wasi-socketd" "runner|wasi-socket-run" "dev|libwasi-socketd-dev")
  string(REPLACE "|" ";" entry "${entry}")
  list(GET entry 0 component)
  list(GET entry 1 DEB_PACKAGE)
  if(component STREQUAL runner AND NOT WASI_SOCKETD_RUNNER_PACKAGE)
    continue()
  endif()
  set(doc_build_dir ${PROJECT_BINARY_DIR}/install/doc/${DEB_PACKAGE})
  configure_file(${PROJECT_SOURCE_DIR}/deploy/debian/changelog.in ${doc_build_dir}/changelog @ONLY)
  execute_process(COMMAND gzip -9nf ${doc_build_dir}/changelog)
  file(READ ${PROJECT_SOURCE_DIR}/deploy/debian/copyright copyright_text)
  if(component STREQUAL runner)
    file(READ ${PROJECT_SOURCE_DIR}/deploy/debian/copyright-vendored-npm vendored_text)
    string(APPEND copyright_text "${vendored_text}")
  endif()
  file(WRITE ${doc_build_dir}/copyright "${copyright_text}")
  install(FILES ${doc_build_dir}/changelog.gz ${doc_build_dir}/copyright
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${DEB_PACKAGE} COMPONENT ${component})
endforeach()

# ---- man pages, derived from --help/--version so they never drift from the programs ----
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(man_pages_daemon)
  set(man_pages_runner)
  foreach(entry "wasi-socketd|8|daemon|WASI sockets broker daemon"
                "wasi-socketctl|8|daemon|inspect and control a running wasi-socketd"
                "wasi-socket-run|1|runner|run a WASI 0.2 component with brokered sockets")
    string(REPLACE "|" ";" entry "${entry}")
    list(GET entry 0 program)
    list(GET entry 1 section)
    list(GET entry 2 component)
    list(GET entry 3 summary)
    if(NOT TARGET ${program} OR (component STREQUAL runner AND NOT WASI_SOCKETD_RUNNER_PACKAGE))
      continue()
    endif()
    set(page ${PROJECT_BINARY_DIR}/man/${program}.${section})
    # The runner's --help text lives in its JS layer, not in the launcher target.
    set(help_sources)
    if(program STREQUAL wasi-socket-run)
      set(help_sources ${PROJECT_SOURCE_DIR}/runtime-adapter/js/cli-options.js)
    endif()
    # wasi-socket-run has no --version: the project's version is given instead.
    add_custom_command(OUTPUT ${page}.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND ${HELP2MAN} --no-info --section=${section} --name=${summary}
              --version-string=${PROJECT_VERSION} --output=${page}
              ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/${program}
      COMMAND gzip -9nf ${page}
      DEPENDS ${program} ${help_sources}
      COMMENT "man page ${program}(${section})")
    list(APPEND man_pages_${component} ${page}.gz)
    install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section}
            COMPONENT ${component})
  endforeach()
  add_custom_target(man_pages ALL DEPENDS ${man_pages_daemon} ${man_pages_runner})
else()
  message(STATUS "help2man not found: no man pages (deploy/setup.sh installs it)")
endif()

# ---- the .debs: one per component ----
# Descriptions: CPack indents the lines after the synopsis and turns empty lines into " .".
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_COMPONENTS_ALL daemon dev)
if(WASI_SOCKETD_RUNNER_PACKAGE)
  list(APPEND CPACK_COMPONENTS_ALL runner)
endif()
set(CPACK_PACKAGE_NAME wasi-socketd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Debian ships stripped programs (debug info belongs in a -dbgsym package).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DAEMON_PACKAGE_NAME wasi-socketd)
set(CPACK_DEBIAN_DAEMON_PACKAGE_SECTION net)
set(CPACK_DEBIAN_DAEMON_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_DAEMON_PACKAGE_SUGGESTS "wasi-socket-run")
set(CPACK_DEBIAN_DAEMON_DESCRIPTION "WASI 0.2 sockets broker for unprivileged WebAssembly runtimes
wasi-socketd owns the host's TCP and UDP sockets and serves them with WASI 0.2
wasi:sockets semantics over gRPC on a Unix socket, under a per-tenant policy.

This package holds the daemon, wasi-socketctl, the systemd units and the
default loopback-only policy.")
set(CPACK_DEBIAN_DAEMON_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles)

set(CPACK_DEBIAN_RUNNER_PACKAGE_NAME wasi-socket-run)
set(CPACK_DEBIAN_RUNNER_PACKAGE_SECTION net)
# The private broker it starts when no daemon answers is the packaged /usr/bin/wasi-socketd.
set(CPACK_DEBIAN_RUNNER_PACKAGE_DEPENDS "nodejs (>= 20), wasi-socketd (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_RUNNER_DESCRIPTION "run WASI 0.2 components under Node.js with brokered sockets
wasi-socket-run runs a WebAssembly command component under Node.js; its
wasi:sockets imports are served by the wasi-socketd broker (a private one
when none is running), every other WASI interface by preview2-shim.

The npm packages it needs are vendored; no npm step at install time.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libwasi-socketd-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libgrpc++-dev, libprotobuf-dev, protobuf-compiler-grpc")
set(CPACK_DEBIAN_DEV_DESCRIPTION "client library and adapter C ABI for wasi-socketd (development)
Static libraries and headers of the C++ client of the wasi-socketd broker and
of the runtime adapter's C ABI, the generated wasi_socketd.v1 protocol
classes and their .proto files, a CMake package (find_package(wasi_socketd))
and a pkg-config file (wasi-socketd).")
include(CPack)
