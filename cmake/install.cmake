# The installed package (docs/packaging.md): under the install prefix
#   <libdir>/libesent.so.<version>, libesent.so.<soversion>, libesent.so   the library and its links
#   <includedir>/esent.h, esent_ext.h                                      the public headers
#   <libdir>/pkgconfig/esent.pc                                            for pkg-config
#   <libdir>/cmake/esent/esent{Config,ConfigVersion,Targets*}.cmake        for find_package(esent),
#                                                                          target esent::esent
# The library's VERSION and SOVERSION are set where the target is made (src/CMakeLists.txt).
include(CMakePackageConfigHelpers)

set(ESENT_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/esent)

install(TARGETS esent EXPORT esentTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/esent.h ${PROJECT_SOURCE_DIR}/include/esent_ext.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# find_package(esent): the exported target, a config file and a version file. Versions with the
# same major number are compatible (the major number is the SOVERSION; docs/packaging.md).
install(EXPORT esentTargets NAMESPACE esent:: DESTINATION ${ESENT_CMAKE_PACKAGE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/esentConfig.cmake.in
  ${PROJECT_BINARY_DIR}/esentConfig.cmake
  INSTALL_DESTINATION ${ESENT_CMAKE_PACKAGE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/esentConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/esentConfig.cmake ${PROJECT_BINARY_DIR}/esentConfigVersion.cmake
  DESTINATION ${ESENT_CMAKE_PACKAGE_DIR})

# esent.pc names absolute folders, so it is written at install time, when the prefix is known
# (`cmake --install <build> --prefix <p>` may choose another one than the configured
# CMAKE_INSTALL_PREFIX). It is configured into a staging folder of its own per prefix, so that
# installs into different prefixes may run at the same time, and installed from there with
# file(INSTALL), which honours DESTDIR and records the file in install_manifest.txt. Its libdir
# and includedir are written relative to ${prefix} (bracket arguments keep the install script
# from expanding it) unless they were configured as absolute folders.
foreach(dir IN ITEMS LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(ESENT_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(ESENT_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(ESENT_PC_DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
else()
  set(ESENT_PC_DESTINATION "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endif()
install(CODE "
  set(ESENT_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(ESENT_PC_LIBDIR [[${ESENT_PC_LIBDIR}]])
  set(ESENT_PC_INCLUDEDIR [[${ESENT_PC_INCLUDEDIR}]])
  set(ESENT_PC_VERSION \"${PROJECT_VERSION}\")
  string(MD5 esent_pc_key \"\${CMAKE_INSTALL_PREFIX}\")
  set(esent_pc_staging \"${PROJECT_BINARY_DIR}/pkgconfig-staging/\${esent_pc_key}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/esent.pc.in\" \"\${esent_pc_staging}/esent.pc\" @ONLY)
  file(INSTALL DESTINATION \"${ESENT_PC_DESTINATION}\" TYPE FILE FILES \"\${esent_pc_staging}/esent.pc\")
  file(REMOVE_RECURSE \"\${esent_pc_staging}\")
")
