# v8snapConfig.cmake: find_package(v8snap CONFIG) for an installed v8snap (tools/install.sh puts
# this file in PREFIX/lib/cmake/v8snap/). The prefix is found from this file's own place, so an
# installation can move; nothing here reads pkg-config or the environment.
#
#   find_package(v8snap 0.1 CONFIG REQUIRED)
#   add_library(app_extensions OBJECT kv_ops.cc)            # OBJECT: every registrar is linked
#   target_link_libraries(app_extensions PUBLIC v8snap::runtime)
#   add_executable(app_builder app_builder.cc)              # RunBuilderMain
#   target_link_libraries(app_builder PRIVATE app_extensions v8snap::extensions v8snap::builder)
#   add_executable(app_run app_run.cc)                      # RunRuntimeMain
#   target_link_libraries(app_run PRIVATE app_extensions v8snap::extensions v8snap::runtime)
#   v8snap_embed_manifest(app_run MANIFEST app.textproto CHECK_WITH app_inspect)
#   v8snap_add_snapshot(app_snapshot MANIFEST app.textproto BUILDER app_builder
#                       OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/app.bin)
#
# Targets:
#   v8snap::runtime     libv8snap_runtime.a (JsRuntime, the load check, RunRuntimeMain; Abseil,
#                       protobuf and xxHash inside), V8 (libnode), libuv, zlib, threads
#   v8snap::builder     libv8snap_builder.a (BuildSnapshot, RunBuilderMain), with the runtime
#   v8snap::inspect     libv8snap_inspect.a (RunInspectMain), with the runtime
#   v8snap::extensions  v8snap's built-in extensions (core, console, ...), linked whole
#   v8snap::snapshot_builder, v8snap::snapshot_run, v8snap::snapshot_inspect   the tools
#
# Every target compiles its users with -fno-ipa-icf (GCC): identical-code folding can give two
# ops one address, which breaks the 1:1 mapping of the external-reference table, and the
# layout check then refuses to start. C++17 is the minimum; a newer standard is fine.
cmake_minimum_required(VERSION 3.16)

get_filename_component(_v8snap_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(V8SNAP_PREFIX "${_v8snap_prefix}" CACHE INTERNAL "the v8snap installation in use")
set(V8SNAP_INCLUDE_DIR "${_v8snap_prefix}/include/v8snap")
set(V8SNAP_SHARE_DIR "${_v8snap_prefix}/share/v8snap")
set(V8SNAP_DEFAULT_SNAPSHOT "${V8SNAP_SHARE_DIR}/default.bin")
set(V8SNAP_EMBED_MANIFEST_SCRIPT "${V8SNAP_SHARE_DIR}/gn/embed_manifest.py")

include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_library(V8SNAP_UV_LIBRARY NAMES uv)
find_library(V8SNAP_Z_LIBRARY NAMES z)
foreach(_v8snap_dep V8SNAP_UV_LIBRARY V8SNAP_Z_LIBRARY)
  if(NOT ${_v8snap_dep})
    set(v8snap_FOUND FALSE)
    set(v8snap_NOT_FOUND_MESSAGE
        "v8snap needs libuv and zlib, and ${_v8snap_dep} was not found: install them (Debian: "
        "apt-get install libuv1-dev zlib1g-dev), or set ${_v8snap_dep} to the library's path")
    return()
  endif()
endforeach()

if(NOT TARGET v8snap::runtime)
  add_library(v8snap::node SHARED IMPORTED)
  set_target_properties(v8snap::node PROPERTIES
    IMPORTED_LOCATION "${_v8snap_prefix}/lib/libnode.so.108"
    IMPORTED_SONAME "libnode.so.108")

  add_library(v8snap::runtime STATIC IMPORTED)
  set_target_properties(v8snap::runtime PROPERTIES
    IMPORTED_LOCATION "${_v8snap_prefix}/lib/libv8snap_runtime.a"
    INTERFACE_INCLUDE_DIRECTORIES "${V8SNAP_INCLUDE_DIR};${V8SNAP_INCLUDE_DIR}/v8"
    INTERFACE_COMPILE_FEATURES cxx_std_17
    INTERFACE_COMPILE_OPTIONS "$<$<CXX_COMPILER_ID:GNU>:-fno-ipa-icf>"
    INTERFACE_LINK_LIBRARIES
      "v8snap::node;${V8SNAP_UV_LIBRARY};${V8SNAP_Z_LIBRARY};Threads::Threads;${CMAKE_DL_LIBS}")

  foreach(_v8snap_lib builder inspect)
    add_library(v8snap::${_v8snap_lib} STATIC IMPORTED)
    set_target_properties(v8snap::${_v8snap_lib} PROPERTIES
      IMPORTED_LOCATION "${_v8snap_prefix}/lib/libv8snap_${_v8snap_lib}.a"
      INTERFACE_LINK_LIBRARIES v8snap::runtime)
  endforeach()

  # The built-in extensions register from static initializers nothing references: a plain link
  # would drop every one of them, so the archive is linked whole, before the runtime.
  add_library(v8snap::extensions INTERFACE IMPORTED)
  set_target_properties(v8snap::extensions PROPERTIES
    INTERFACE_LINK_LIBRARIES
      "-Wl,--whole-archive;${_v8snap_prefix}/lib/libv8snap_extensions.a;-Wl,--no-whole-archive;v8snap::runtime")

  foreach(_v8snap_tool snapshot_builder snapshot_run snapshot_inspect)
    if(EXISTS "${_v8snap_prefix}/bin/${_v8snap_tool}")
      add_executable(v8snap::${_v8snap_tool} IMPORTED)
      set_target_properties(v8snap::${_v8snap_tool} PROPERTIES
        IMPORTED_LOCATION "${_v8snap_prefix}/bin/${_v8snap_tool}")
    endif()
  endforeach()
endif()

# v8snap_add_snapshot(NAME MANIFEST m BUILDER target [OUTPUT path] [BUILDER_ARGS args...]
#                     [DEPENDS files-or-targets...])
# A target NAME (built by `all`) that runs BUILDER (your RunBuilderMain binary, or
# v8snap::snapshot_builder) to write OUTPUT (default: NAME.bin in the current binary folder) and
# OUTPUT.sidecar.pb. The builder's depfile names the manifest and every JS source it lists, so
# the snapshot is rebuilt when one of them or the builder changes, and not otherwise.
function(v8snap_add_snapshot name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "MANIFEST;BUILDER;OUTPUT" "BUILDER_ARGS;DEPENDS")
  if(NOT arg_MANIFEST OR NOT arg_BUILDER)
    message(FATAL_ERROR "v8snap_add_snapshot(${name}): expected MANIFEST and BUILDER, got "
                        "MANIFEST '${arg_MANIFEST}' BUILDER '${arg_BUILDER}'")
  endif()
  if(NOT arg_OUTPUT)
    set(arg_OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${name}.bin")
  endif()
  get_filename_component(manifest "${arg_MANIFEST}" ABSOLUTE)
  get_filename_component(output "${arg_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  if(CMAKE_VERSION VERSION_LESS 3.20 AND NOT CMAKE_GENERATOR MATCHES "Ninja")
    message(FATAL_ERROR "v8snap_add_snapshot(${name}): depfiles with the "
                        "'${CMAKE_GENERATOR}' generator need CMake 3.20 or later (found "
                        "${CMAKE_VERSION}); upgrade CMake or use -G Ninja")
  endif()
  add_custom_command(
    OUTPUT "${output}" "${output}.sidecar.pb"
    COMMAND "$<TARGET_FILE:${arg_BUILDER}>" --manifest "${manifest}" --out "${output}"
            --depfile "${output}.d" ${arg_BUILDER_ARGS}
    DEPENDS "${arg_BUILDER}" "${manifest}" ${arg_DEPENDS}
    DEPFILE "${output}.d"
    COMMENT "Building snapshot ${output}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS "${output}")
endfunction()

# v8snap_embed_manifest(TARGET MANIFEST m [ROOT dir] [CHECK_WITH inspector-target])
# Compiles the manifest and every source it names into TARGET (v8snap::kEmbeddedManifest, what
# RunRuntimeMain checks snapshots against). Paths inside are relative to ROOT (default: the
# manifest's folder). With CHECK_WITH (your RunInspectMain binary), `CHECK_WITH validate` checks
# the manifest first, so an invalid one fails the build. Regenerated when the manifest or a
# source changes; the C++ is rewritten only when it changes.
function(v8snap_embed_manifest target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "MANIFEST;ROOT;CHECK_WITH" "")
  if(NOT arg_MANIFEST)
    message(FATAL_ERROR "v8snap_embed_manifest(${target}): expected MANIFEST, got none")
  endif()
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  get_filename_component(manifest "${arg_MANIFEST}" ABSOLUTE)
  get_filename_component(name "${manifest}" NAME_WE)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_${name}_manifest.cc")
  set(args --manifest "${manifest}" --out "${out}" --depfile "${out}.d")
  if(arg_ROOT)
    get_filename_component(root "${arg_ROOT}" ABSOLUTE)
    list(APPEND args --root "${root}")
  endif()
  set(depends "${manifest}" "${V8SNAP_EMBED_MANIFEST_SCRIPT}")
  if(arg_CHECK_WITH)
    list(APPEND args --check-with "$<TARGET_FILE:${arg_CHECK_WITH}>")
    list(APPEND depends "${arg_CHECK_WITH}")
  endif()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND Python3::Interpreter "${V8SNAP_EMBED_MANIFEST_SCRIPT}" ${args}
    DEPENDS ${depends}
    DEPFILE "${out}.d"
    COMMENT "Embedding manifest ${manifest}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
