# Installation layout (Debian's) and the .deb, included once from the top-level CMakeLists.txt
# after every part is defined. `cmake --install build --prefix /usr` or `cpack -G DEB` in build/.
include(GNUInstallDirs)

set(WASI_SOCKETD_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE STRING "Where systemd units go")
set(WASI_SOCKETD_LIBEXEC_DIR "${CMAKE_INSTALL_LIBDIR}/wasi-socketd")
set(WASI_SOCKETD_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/wasi-socketd")

# ---- programs ----
foreach(program wasi-socketd wasi-socketctl)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

# ---- libraries and headers for C++ embedders (the client library over the broker API) ----
foreach(library wasi_socketd_client wasi_socketd_proto)
  if(TARGET ${library})
    install(TARGETS ${library} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
                               LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  endif()
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/client/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        OPTIONAL FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime-adapter/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/proto/wasi_socketd/limits.h
              ${PROJECT_SOURCE_DIR}/proto/wasi_socketd/default_socket_path.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasi_socketd)
install(DIRECTORY ${PROJECT_BINARY_DIR}/proto/gen/wasi_socketd/v1/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wasi_socketd/v1 FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/proto/wasi_socketd/v1/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/wasi-socketd/proto/wasi_socketd/v1
        FILES_MATCHING PATTERN "*.proto")

# ---- the runtime adapter: N-API addon, JS host layer and an installed wasi-socket-run ----
if(TARGET wasi_socketd_adapter_addon)
  install(TARGETS wasi_socketd_adapter_addon LIBRARY DESTINATION ${WASI_SOCKETD_LIBEXEC_DIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime-adapter/js/
          DESTINATION ${WASI_SOCKETD_LIBEXEC_DIR}/runtime-adapter/js FILES_MATCHING PATTERN "*.js")
  # npm dependencies (jco, preview2-shim) are not packaged: `npm ci --omit=dev` in that folder.
  install(FILES ${PROJECT_SOURCE_DIR}/runtime-adapter/package.json
                ${PROJECT_SOURCE_DIR}/runtime-adapter/package-lock.json
          DESTINATION ${WASI_SOCKETD_LIBEXEC_DIR}/runtime-adapter)
  configure_file(${PROJECT_SOURCE_DIR}/deploy/wasi-socket-run.installed.in
                 ${PROJECT_BINARY_DIR}/install/wasi-socket-run @ONLY)
  install(PROGRAMS ${PROJECT_BINARY_DIR}/install/wasi-socket-run DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# ---- systemd, configuration, examples, documentation ----
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.service
              ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.socket
        DESTINATION ${WASI_SOCKETD_SYSTEMD_UNIT_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.sysusers
        DESTINATION lib/sysusers.d RENAME wasi-socketd.conf)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/wasi-socketd.tmpfiles
        DESTINATION lib/tmpfiles.d RENAME wasi-socketd.conf)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/default/wasi-socketd
        DESTINATION /etc/default)
# The policy in force after installation: loopback only, for members of group wasi-socketd (the
# broker socket's mode is the gate). A conffile: local edits survive upgrades.
install(FILES ${PROJECT_SOURCE_DIR}/deploy/policies/loopback-only.toml
        DESTINATION /etc/wasi-socketd RENAME policy.toml)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/policies/ ${PROJECT_SOURCE_DIR}/deploy/examples/
        DESTINATION ${WASI_SOCKETD_DOC_DIR}/examples OPTIONAL)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${WASI_SOCKETD_DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${WASI_SOCKETD_DOC_DIR}
        FILES_MATCHING PATTERN "*.md")

# ---- man pages, derived from --help/--version so they never drift from the programs ----
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(man_pages)
  foreach(entry "wasi-socketd|WASI sockets broker daemon"
                "wasi-socketctl|inspect and control a running wasi-socketd")
    string(REPLACE "|" ";" entry "${entry}")
    list(GET entry 0 program)
    list(GET entry 1 summary)
    if(NOT TARGET ${program})
      continue()
    endif()
    set(page ${PROJECT_BINARY_DIR}/man/${program}.8)
    add_custom_command(OUTPUT ${page}.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND ${HELP2MAN} --no-info --section=8 --name=${summary} --output=${page}
              $<TARGET_FILE:${program}>
      COMMAND gzip -9nf ${page}
      DEPENDS ${program}
      COMMENT "man page ${program}(8)")
    list(APPEND man_pages ${page}.gz)
  endforeach()
  add_custom_target(man_pages ALL DEPENDS ${man_pages})
  install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
else()
  message(STATUS "help2man not found: no man pages (deploy/setup.sh installs it)")
endif()

# ---- the .deb ----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wasi-socketd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "wasi-socketd maintainers <wasi-socketd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "WASI 0.2 sockets broker for unprivileged WebAssembly runtimes")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "wasi-socketd owns the host's TCP/UDP sockets and serves them with WASI 0.2 wasi:sockets\n"
  "semantics over gRPC on a Unix socket, under a per-tenant policy. Includes wasi-socketctl,\n"
  "systemd units, the client library and the Node.js runtime adapter.")
# Debian ships stripped programs (debug info belongs in a -dbgsym package).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nodejs (>= 18)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
