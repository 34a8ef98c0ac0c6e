# The bookstore is a standalone CMake project, the way a user's monolith is:
# it shares no code with Seam. We build it as an ExternalProject so that it
# gets its own compile database at build/bookstore/compile_commands.json
# (what `seam analyze` reads) and its binaries land in build/bin.
include(ExternalProject)
ExternalProject_Add(bookstore
  SOURCE_DIR ${PROJECT_SOURCE_DIR}/sample-monolith
  BINARY_DIR ${CMAKE_BINARY_DIR}/bookstore
  CMAKE_ARGS
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    -DCMAKE_RUNTIME_OUTPUT_DIRECTORY=${CMAKE_BINARY_DIR}/bin
    -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
    -DCMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}
  BUILD_ALWAYS TRUE
  INSTALL_COMMAND ""
  USES_TERMINAL_BUILD TRUE
)
set(BOOKSTORE_BIN ${CMAKE_BINARY_DIR}/bin/bookstore)
set(BOOKSTORE_COMPILE_DB ${CMAKE_BINARY_DIR}/bookstore/compile_commands.json)
