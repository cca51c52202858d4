# Each header of the backend API compiles on its own, seeing nothing but the API's include path:
# one generated source per header, built as part of the tests.
file(GLOB api_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/squarebench/*.h)
set(api_header_sources "")
foreach(header IN LISTS api_headers)
  get_filename_component(name ${header} NAME_WE)
  set(source ${CMAKE_CURRENT_BINARY_DIR}/api_headers/${name}.cc)
  file(CONFIGURE OUTPUT ${source} CONTENT "#include \"squarebench/${name}.h\"\n")
  list(APPEND api_header_sources ${source})
endforeach()
add_library(sqb_api_headers_compile_alone OBJECT ${api_header_sources})
target_link_libraries(sqb_api_headers_compile_alone PRIVATE squarebench::api)
