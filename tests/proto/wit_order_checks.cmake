# The compile-time checks of the WIT error-code catch a reordered table: each probe compiles
# against the real table, and fails with the checks' message against a copy of the table with two
# rows swapped (put first on the include path). Run by CTest: cmake -DCXX=... -DSOURCE_DIR=...
# -DGEN_DIR=... -DWORK_DIR=... -P wit_order_checks.cmake
set(table_path proto/common/include/wasi_socketd/common/wit_error_codes.h)
file(READ ${SOURCE_DIR}/${table_path} table)
string(REGEX MATCH "  X\\(access_denied[^\n]*\n" first "${table}")
string(REGEX MATCH "  X\\(not_supported[^\n]*\n" second "${table}")
if(NOT first OR NOT second)
  message(FATAL_ERROR "rows access_denied / not_supported not found in ${table_path}")
endif()
string(REPLACE "${first}" "@FIRST@" reordered "${table}")
string(REPLACE "${second}" "${first}" reordered "${reordered}")
string(REPLACE "@FIRST@" "${second}" reordered "${reordered}")
set(reordered_dir ${WORK_DIR}/reordered)
file(WRITE ${reordered_dir}/wasi_socketd/common/wit_error_codes.h "${reordered}")

set(includes -I${SOURCE_DIR}/proto/common/include -I${SOURCE_DIR}/proto -I${GEN_DIR}
    -I${SOURCE_DIR}/runtime-adapter/include -I${SOURCE_DIR}/runtime-adapter/core/src)
foreach(probe wire_order_probe abi_order_probe)
  set(source ${SOURCE_DIR}/tests/proto/${probe}.cpp)
  execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only ${includes} ${source}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${probe} does not compile against the real table:\n${err}")
  endif()
  execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only -I${reordered_dir} ${includes} ${source}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${probe} compiles against a reordered table: its checks catch nothing")
  endif()
  if(NOT err MATCHES "not in the WIT order of wit_error_codes.h: access-denied")
    message(FATAL_ERROR "${probe} failed, but not by its order check:\n${err}")
  endif()
  message(STATUS "${probe}: the reordered table is caught")
endforeach()
