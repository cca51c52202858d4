# `cmake --install`: the backend API, the harness, a provided main, every built backend as one
# library, the squarebench binary and plot script, and a CMake package, so that another project can
# find_package(squarebench) and build a squarebench binary with its own backends added.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# main() as a library, google/benchmark's benchmark_main way.
add_library(sqb_main STATIC harness/main.cc)
target_link_libraries(sqb_main PRIVATE sqb_harness)

# Every backend built here, in one static library a consumer links whole (so that the linker keeps
# each self-registration); its link interface is what the backends need.
add_library(sqb_backends STATIC)
get_property(backend_targets GLOBAL PROPERTY SQB_BACKEND_TARGETS)
get_property(backend_libraries GLOBAL PROPERTY SQB_BACKEND_LIBRARIES)
list(REMOVE_DUPLICATES backend_libraries)
foreach(backend IN LISTS backend_targets)
  target_sources(sqb_backends PRIVATE $<TARGET_OBJECTS:${backend}>)
endforeach()
target_link_libraries(sqb_backends PUBLIC sqb_api ${backend_libraries})

set_target_properties(sqb_api PROPERTIES EXPORT_NAME api)
set_target_properties(sqb_harness PROPERTIES EXPORT_NAME harness)
set_target_properties(sqb_main PROPERTIES EXPORT_NAME main)
set_target_properties(sqb_backends PROPERTIES EXPORT_NAME backends)
install(TARGETS sqb_api sqb_harness sqb_main sqb_backends EXPORT squarebenchTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS squarebench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/squarebench DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(PROGRAMS tools/plot.py DESTINATION ${CMAKE_INSTALL_DATADIR}/squarebench)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/squarebench)
install(EXPORT squarebenchTargets NAMESPACE squarebench:: DESTINATION ${config_dir})
# The packages the built backends found, found again by whoever uses the package.
get_property(backend_finds GLOBAL PROPERTY SQB_BACKEND_FINDS)
set(SQB_BACKEND_DEPENDENCIES "")
foreach(find IN LISTS backend_finds)
  string(APPEND SQB_BACKEND_DEPENDENCIES "find_dependency(${find})\n")
endforeach()
if(SQB_CUDA_ENABLED)
  string(APPEND SQB_BACKEND_DEPENDENCIES "find_dependency(CUDAToolkit)\n")
endif()
# The harness's optional libraries, which its static library links.
set(SQB_HARNESS_DEPENDENCIES "")
if(SQB_MPI_ENABLED)
  set(SQB_HARNESS_DEPENDENCIES "find_dependency(MPI COMPONENTS CXX)")
endif()
configure_package_config_file(cmake/squarebenchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/squarebenchConfig.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/squarebenchConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/squarebenchConfig.cmake
              ${PROJECT_BINARY_DIR}/squarebenchConfigVersion.cmake
              cmake/SquarebenchBackends.cmake
        DESTINATION ${config_dir})
